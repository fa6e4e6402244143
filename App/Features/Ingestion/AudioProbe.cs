using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace NagrywanieRozmow.Features.Ingestion;

/// <summary>What a file holds, read from its bytes (the extension is only a hint).</summary>
public sealed record AudioInfo(string Format, string Codec, int SampleRate, int Channels, int DurationMs);

public enum ProbeProblem { None, Empty, HeaderOnly, Truncated, NotAudio, Unreadable }

public sealed record ProbeResult(AudioInfo? Info, ProbeProblem Problem, string? Reason)
{
    public static ProbeResult Ok(AudioInfo info) => new(info, ProbeProblem.None, null);
    public static ProbeResult Fail(ProbeProblem problem, string reason) => new(null, problem, reason);
}

/// <summary>
/// Identifies WAV (PCM, µ-law, A-law, GSM 6.10 "WAV49") from the RIFF header itself, checks the data the header announces is
/// all there, and asks ffprobe about MP3 and Ogg. Raw GSM is recognised by its frame size.
/// </summary>
public static class AudioProbe
{
    public static async Task<ProbeResult> ProbeAsync(string path, CancellationToken ct)
    {
        var length = new FileInfo(path).Length;
        if (length == 0) return ProbeResult.Fail(ProbeProblem.Empty, "the file is empty (0 bytes).");

        var head = new byte[Math.Min(length, 4096)];
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
        {
            await file.ReadExactlyAsync(head, ct);
        }

        if (head.AsSpan().StartsWith("RIFF"u8) && head.Length >= 12 && head.AsSpan(8, 4).SequenceEqual("WAVE"u8))
            return ProbeWav(head, length);
        if (head.AsSpan().StartsWith("ID3"u8) || (head.Length > 1 && head[0] == 0xFF && (head[1] & 0xE0) == 0xE0))
            return await FfprobeAsync(path, "mp3", ct);
        if (head.AsSpan().StartsWith("OggS"u8))
            return await FfprobeAsync(path, "ogg", ct);
        if (Path.GetExtension(path).Equals(".gsm", StringComparison.OrdinalIgnoreCase) && length % 33 == 0)
            return ProbeResult.Ok(new AudioInfo("gsm", "gsm", 8000, 1, (int)(length / 33 * 20)));
        return ProbeResult.Fail(ProbeProblem.NotAudio, "the content is not audio (no WAV, MP3, Ogg or GSM header).");
    }

    private static ProbeResult ProbeWav(byte[] head, long fileLength)
    {
        var span = head.AsSpan();
        int pos = 12, formatTag = 0, channels = 0, sampleRate = 0, byteRate = 0, bits = 0;
        var haveFormat = false;
        while (pos + 8 <= span.Length)
        {
            var id = span.Slice(pos, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(span.Slice(pos + 4, 4));
            var body = pos + 8;
            if (id.SequenceEqual("fmt "u8) && body + 16 <= span.Length)
            {
                formatTag = BinaryPrimitives.ReadUInt16LittleEndian(span.Slice(body, 2));
                channels = BinaryPrimitives.ReadUInt16LittleEndian(span.Slice(body + 2, 2));
                sampleRate = (int)BinaryPrimitives.ReadUInt32LittleEndian(span.Slice(body + 4, 4));
                byteRate = (int)BinaryPrimitives.ReadUInt32LittleEndian(span.Slice(body + 8, 4));
                bits = BinaryPrimitives.ReadUInt16LittleEndian(span.Slice(body + 14, 2));
                // WAVE_FORMAT_EXTENSIBLE: the real format is the first two bytes of the sub-format GUID.
                if (formatTag == 0xFFFE && size >= 40 && body + 26 <= span.Length)
                    formatTag = BinaryPrimitives.ReadUInt16LittleEndian(span.Slice(body + 24, 2));
                haveFormat = true;
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (!haveFormat || byteRate <= 0 || channels <= 0)
                    return ProbeResult.Fail(ProbeProblem.Unreadable, "the WAV header has no usable format description.");
                var present = fileLength - body;
                // Asterisk writes the sizes when it closes the file; 0 (or all ones) means they were never filled in.
                var declared = size is 0 or uint.MaxValue ? present : size;
                if (present <= 0)
                    return ProbeResult.Fail(ProbeProblem.HeaderOnly, "the file is a WAV header with no audio (an unanswered call).");
                if (present + 1 < declared)
                    return ProbeResult.Fail(ProbeProblem.Truncated,
                        $"the file is truncated: it holds {Seconds(present, byteRate)} s of the {Seconds(declared, byteRate)} s its header announces.");
                var codec = CodecOf(formatTag, bits);
                if (codec is null)
                    return ProbeResult.Fail(ProbeProblem.Unreadable, $"the WAV file uses an unsupported format (tag 0x{formatTag:X4}).");
                var durationMs = (int)Math.Round(declared * 1000.0 / byteRate);
                return ProbeResult.Ok(new AudioInfo(codec == "gsm_ms" ? "wav49" : "wav", codec, sampleRate, channels, durationMs));
            }
            pos = body + (int)Math.Min(size + (size & 1), int.MaxValue - body);
        }
        return ProbeResult.Fail(fileLength <= 44 ? ProbeProblem.HeaderOnly : ProbeProblem.Unreadable,
            fileLength <= 44 ? "the file is a WAV header with no audio (an unanswered call)." : "the WAV file has no data chunk.");
    }

    private static string Seconds(long bytes, int byteRate) => (bytes / (double)byteRate).ToString("0.0", CultureInfo.InvariantCulture);

    private static string? CodecOf(int tag, int bits) => tag switch
    {
        1 => bits switch { 8 => "pcm_u8", 16 => "pcm_s16le", 24 => "pcm_s24le", 32 => "pcm_s32le", _ => null },
        3 => "pcm_f32le",
        6 => "pcm_alaw",
        7 => "pcm_mulaw",
        0x31 => "gsm_ms",
        0x55 => "mp3",
        _ => null,
    };

    private static double? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? number : null;

    private static async Task<ProbeResult> FfprobeAsync(string path, string format, CancellationToken ct)
    {
        var start = new ProcessStartInfo("ffprobe") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
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
            return ProbeResult.Fail(ProbeProblem.Unreadable, "ffprobe is not installed, so this format cannot be checked (apt-get install ffmpeg).");
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
            using var json = JsonDocument.Parse(await output is { Length: > 0 } text ? text : "{}");
            var root = json.RootElement;
            if (process.ExitCode != 0 || !root.TryGetProperty("streams", out var streams) || streams.GetArrayLength() == 0)
                return ProbeResult.Fail(ProbeProblem.NotAudio, $"the {format} file cannot be decoded ({(await errors).Trim()}).");
            var stream = streams[0];
            // The stream's duration counts the encoder's delay (its start time) as audio; the call itself is the rest.
            var duration = Number(stream, "duration") ?? (root.TryGetProperty("format", out var f) ? Number(f, "duration") : null) ?? 0;
            duration -= Math.Max(0, Number(stream, "start_time") ?? 0);
            if (duration <= 0) return ProbeResult.Fail(ProbeProblem.HeaderOnly, $"the {format} file holds no audio.");
            return ProbeResult.Ok(new AudioInfo(format, stream.GetProperty("codec_name").GetString() ?? format,
                int.Parse(stream.GetProperty("sample_rate").GetString() ?? "0", CultureInfo.InvariantCulture),
                stream.GetProperty("channels").GetInt32(), (int)Math.Round(duration * 1000)));
        }
    }
}
