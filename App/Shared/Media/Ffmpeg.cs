using System.ComponentModel;
using System.Diagnostics;

namespace NagrywanieRozmow.Shared.Media;

public sealed class FfmpegUnavailableException(string message) : Exception(message);

public sealed class FfmpegFailedException(string message) : Exception(message);

/// <summary>Runs ffmpeg (Debian's package) without a shell, feeding it a stream and handing its output to a consumer.</summary>
public static class Ffmpeg
{
    private static readonly AsyncLocal<string?> FlowExecutable = new();

    /// <summary>The ffmpeg of this process: "ffmpeg" from PATH until <see cref="FfmpegStatus"/> has found it (perhaps at Media:FfmpegPath).</summary>
    public static string DefaultExecutable { get; set; } = "ffmpeg";

    /// <summary>
    /// The program started as ffmpeg. Set per async flow, so a test can point its own work at a missing binary (a server
    /// without ffmpeg) while tests running beside it keep the real one.
    /// </summary>
    public static string Executable
    {
        get => FlowExecutable.Value ?? DefaultExecutable;
        set => FlowExecutable.Value = value;
    }

    public static async Task RunAsync(IReadOnlyList<string> arguments, Stream input, Func<Stream, CancellationToken, Task> consumeOutput, TimeSpan timeout, CancellationToken ct)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new FfmpegUnavailableException("ffmpeg could not be started.");
        }
        catch (Win32Exception)
        {
            throw new FfmpegUnavailableException("ffmpeg is not installed on the server (apt-get install ffmpeg).");
        }
        using (process)
        using (var limit = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            limit.CancelAfter(timeout);
            var errors = process.StandardError.ReadToEndAsync(limit.Token);
            var feed = Task.Run(async () =>
            {
                try
                {
                    await input.CopyToAsync(process.StandardInput.BaseStream, limit.Token);
                }
                catch (IOException)
                {
                    // ffmpeg stopped reading (it had enough, or failed): its exit code tells which.
                }
                finally
                {
                    try { process.StandardInput.Close(); } catch (IOException) { }
                }
            }, limit.Token);
            try
            {
                await consumeOutput(process.StandardOutput.BaseStream, limit.Token);
                await Task.WhenAll(feed, process.WaitForExitAsync(limit.Token));
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                throw new FfmpegFailedException($"ffmpeg did not finish within {timeout.TotalSeconds:0} s.");
            }
            catch
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
                throw;
            }
            if (process.ExitCode != 0)
                throw new FfmpegFailedException($"ffmpeg could not read the audio: {(await errors).Trim().Split('\n').LastOrDefault()}");
        }
    }
}
