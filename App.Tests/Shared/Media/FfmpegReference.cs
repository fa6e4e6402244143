using System.ComponentModel;
using System.Diagnostics;

namespace NagrywanieRozmow.Tests.Shared.Media;

/// <summary>ffmpeg's own decoding, as the reference the C# decoders are held to. A machine without ffmpeg fails these tests: they never skip.</summary>
public static class FfmpegReference
{
    /// <summary>Runs ffmpeg with <paramref name="arguments"/> and returns what it wrote to stdout.</summary>
    public static async Task<byte[]> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-v", "error", "-nostdin" }.Concat(arguments)) start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception)
        {
            Assert.Fail("ffmpeg is not installed: these tests compare the C# decoders with it (apt-get install -y ffmpeg; ./test.sh installs it).");
            throw;
        }
        using (process)
        {
            using var output = new MemoryStream();
            var errors = process.StandardError.ReadToEndAsync();
            await process.StandardOutput.BaseStream.CopyToAsync(output);
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"ffmpeg {string.Join(' ', arguments)} failed: {await errors}");
            return output.ToArray();
        }
    }

    /// <summary>Interleaved 16-bit samples of <paramref name="input"/> as ffmpeg decodes it (<paramref name="inputFormat"/> for a raw file).</summary>
    public static async Task<short[]> DecodeAsync(string input, params string[] inputFormat)
    {
        var bytes = await RunAsync([.. inputFormat, "-i", input, "-f", "s16le", "-acodec", "pcm_s16le", "-"]);
        var samples = new short[bytes.Length / 2];
        Buffer.BlockCopy(bytes, 0, samples, 0, samples.Length * 2);
        return samples;
    }
}
