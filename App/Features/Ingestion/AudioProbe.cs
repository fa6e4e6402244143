using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NagrywanieRozmow.Shared.Media;

namespace NagrywanieRozmow.Features.Ingestion;

/// <summary>What a file holds, read from its bytes (the extension is only a hint).</summary>
public sealed record AudioInfo(string Format, string Codec, int SampleRate, int Channels, int DurationMs);

/// <summary>NeedsFfprobe: MP3 or Ogg with no ffprobe to read it; not the file's fault, so it waits rather than being rejected.</summary>
public enum ProbeProblem { None, Empty, HeaderOnly, Truncated, NotAudio, Unreadable, NeedsFfprobe }

public sealed record ProbeResult(AudioInfo? Info, ProbeProblem Problem, string? Reason)
{
    public static ProbeResult Ok(AudioInfo info) => new(info, ProbeProblem.None, null);
    public static ProbeResult Fail(ProbeProblem problem, string reason) => new(null, problem, reason);
}

/// <summary>
/// Identifies WAV (PCM, µ-law, A-law, GSM 6.10 "WAV49") from the RIFF header itself, checks the data the header announces is
/// all there, and asks ffprobe about MP3 and Ogg. Header-less files (raw µ-law, A-law, signed linear, GSM) are known by
/// the extension Asterisk gives them and measured by their size.
/// </summary>
public static class AudioProbe
{
    /// <param name="ffprobe">The ffprobe to run for MP3 and Ogg (see <c>FfmpegStatus</c>); null when there is none.</param>
    public static async Task<ProbeResult> ProbeAsync(string path, CancellationToken ct, string? ffprobe = "ffprobe")
    {
        var length = new FileInfo(path).Length;
        // Asterisk opens the file when the call starts recording: a call nobody answered leaves it empty.
        if (length == 0) return ProbeResult.Fail(ProbeProblem.Empty, "the file is empty (0 bytes): an unanswered call.");

        var head = new byte[Math.Min(length, 4096)];
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
        {
            await file.ReadExactlyAsync(head, ct);
        }

        if (RiffWave.IsRiffWave(head))
            return await ProbeWavAsync(path, length, ct);
        // Before the MP3 check: µ-law silence is 0xFF bytes, which look like an MPEG frame sync.
        if (RawFormat.OfFileName(path) is { } raw)
            return ProbeRaw(raw, head, length);
        if (head.AsSpan().StartsWith("ID3"u8) || (head.Length > 1 && head[0] == 0xFF && (head[1] & 0xE0) == 0xE0))
            return await FfprobeAsync(ffprobe, path, "mp3", ct);
        if (head.AsSpan().StartsWith("OggS"u8))
            return await FfprobeAsync(ffprobe, path, "ogg", ct);
        return ProbeResult.Fail(ProbeProblem.NotAudio, "the content is not audio (no WAV, MP3, Ogg or GSM header).");
    }

    /// <summary>A header-less file holds whatever its extension says; only whole frames are audio.</summary>
    private static ProbeResult ProbeRaw(RawFormat raw, byte[] head, long length)
    {
        // Every GSM 06.10 frame starts with the 0xD signature nibble: anything else is not GSM whatever its name.
        if (raw.Codec == "gsm" && head[0] >> 4 != 0xD)
            return ProbeResult.Fail(ProbeProblem.NotAudio, "the content is not audio (a .gsm file whose first frame is not GSM 06.10).");
        var (frames, leftover) = raw.FramesIn(length);
        if (leftover != 0)
            return ProbeResult.Fail(ProbeProblem.Truncated,
                $"the file is truncated: its {length} bytes end {leftover} byte(s) into a {raw.FrameBytes}-byte {raw.Format} frame.");
        return ProbeResult.Ok(new AudioInfo(raw.Format, raw.Codec, raw.SampleRate, 1, raw.DurationMs(frames)));
    }

    /// <summary>The highest sample rate any recorder writes (DXD); a larger one is a corrupt header.</summary>
    private const int MaxSampleRate = 768_000;

    private static async Task<ProbeResult> ProbeWavAsync(string path, long fileLength, CancellationToken ct)
    {
        WavLayout layout;
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
            layout = await RiffWave.ReadLayoutAsync(file, fileLength, ct);
        if (layout.DataStart is not { } body)
            return ProbeResult.Fail(fileLength <= 44 ? ProbeProblem.HeaderOnly : ProbeProblem.Unreadable,
                fileLength <= 44 ? "the file is a WAV header with no audio (an unanswered call)." : "the WAV file has no data chunk.");
        if (layout.Format is not { ByteRate: > 0, Channels: > 0 } format)
            return ProbeResult.Fail(ProbeProblem.Unreadable, "the WAV header has no usable format description.");
        var (channels, sampleRate, byteRate, size) = (format.Channels, format.SampleRate, format.ByteRate, layout.DataSize);
        if (sampleRate is <= 0 or > MaxSampleRate)
            return ProbeResult.Fail(ProbeProblem.Unreadable, $"the WAV header's sample rate ({sampleRate} Hz) is not one audio is recorded at.");
        var codec = format.Codec;
        // For PCM and G.711 the rate, channels and sample size fix the bytes a second; the header's byte rate is
        // only a copy of it, and a wrong copy must not stretch or shrink the call.
        if (PcmDecoder.SampleBytes(codec) is { } sampleBytes) byteRate = (int)Math.Min((long)sampleRate * channels * sampleBytes, int.MaxValue);
        var present = fileLength - body;
        // Asterisk writes the sizes when it closes the file; 0 (or all ones) means they were never filled in.
        var declared = size is 0 or uint.MaxValue ? present : size;
        if (present <= 0)
            return ProbeResult.Fail(ProbeProblem.HeaderOnly, "the file is a WAV header with no audio (an unanswered call).");
        if (present + 1 < declared)
            return ProbeResult.Fail(ProbeProblem.Truncated,
                $"the file is truncated: it holds {Seconds(present, byteRate)} s of the {Seconds(declared, byteRate)} s its header announces.");
        if (codec is null)
            return ProbeResult.Fail(ProbeProblem.Unreadable, $"the WAV file uses an unsupported format (tag 0x{format.Tag:X4}).");
        var durationMs = (int)Math.Min(Math.Round(declared * 1000.0 / byteRate), int.MaxValue);
        return ProbeResult.Ok(new AudioInfo(codec == "gsm_ms" ? "wav49" : "wav", codec, sampleRate, channels, durationMs));
    }

    private static string Seconds(long bytes, int byteRate) => (bytes / (double)byteRate).ToString("0.0", CultureInfo.InvariantCulture);

    private static double? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            && double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
            ? number : null;

    private static ProbeResult NoFfprobe(string format) =>
        ProbeResult.Fail(ProbeProblem.NeedsFfprobe, $"ffprobe (part of ffmpeg) is not installed, so this {(format == "mp3" ? "MP3" : "Ogg")} file cannot be read yet; " +
            "it is taken once ffmpeg is installed (apt-get install ffmpeg).");

    private static async Task<ProbeResult> FfprobeAsync(string? ffprobe, string path, string format, CancellationToken ct)
    {
        if (ffprobe is null) return NoFfprobe(format);
        var start = new ProcessStartInfo(ffprobe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-v", "error", "-select_streams", "a:0", "-show_entries", "stream=codec_name,sample_rate,channels,duration,start_time:format=duration", "-of", "json", path })
            start.ArgumentList.Add(arg);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Removed since it was last looked for.
            return NoFfprobe(format);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var errors = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                return ProbeResult.Fail(ProbeProblem.Unreadable, "ffprobe did not finish within 30 s.");
            }
            var text = await output;
            try
            {
                return await ReadFfprobeAsync(text, process.ExitCode, format, errors);
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException or OverflowException)
            {
                // ffprobe of another version, or one that gave up half-way: its answer is not one this reads.
                return ProbeResult.Fail(ProbeProblem.NotAudio, $"the {format} file cannot be decoded (ffprobe's answer cannot be read: {e.Message}).");
            }
        }
    }

    private static async Task<ProbeResult> ReadFfprobeAsync(string text, int exitCode, string format, Task<string> errors)
    {
        using var json = JsonDocument.Parse(text is { Length: > 0 } ? text : "{}");
        var root = json.RootElement;
        if (exitCode != 0 || !root.TryGetProperty("streams", out var streams) || streams.GetArrayLength() == 0)
            return ProbeResult.Fail(ProbeProblem.NotAudio, $"the {format} file cannot be decoded ({(await errors).Trim()}).");
        var stream = streams[0];
        // The stream's duration counts the encoder's delay (its start time) as audio; the call itself is the rest.
        var duration = Number(stream, "duration") ?? (root.TryGetProperty("format", out var f) ? Number(f, "duration") : null) ?? 0;
        duration -= Math.Max(0, Number(stream, "start_time") ?? 0);
        if (duration <= 0) return ProbeResult.Fail(ProbeProblem.HeaderOnly, $"the {format} file holds no audio.");
        var sampleRate = (int)(Number(stream, "sample_rate") ?? 0);
        var channels = stream.TryGetProperty("channels", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var n) ? n : 0;
        if (sampleRate <= 0 || channels <= 0)
            return ProbeResult.Fail(ProbeProblem.NotAudio, $"the {format} file names no sample rate or channel count.");
        var codec = stream.TryGetProperty("codec_name", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString()! : format;
        return ProbeResult.Ok(new AudioInfo(format, codec, sampleRate, channels, (int)Math.Min(Math.Round(duration * 1000), int.MaxValue)));
    }
}
