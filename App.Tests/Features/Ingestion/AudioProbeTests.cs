using System.Text.Json;
using NagrywanieRozmow.Features.Ingestion;
using NagrywanieRozmow.Tests.Shared.Media;

namespace NagrywanieRozmow.Tests.Features.Ingestion;

public sealed class AudioProbeTests : IDisposable
{
    private static readonly string Spool = Path.Combine(AppContext.BaseDirectory, "Fixtures/freepbx-spool");
    private readonly string dir = Directory.CreateTempSubdirectory("probe-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private async Task<ProbeResult> ProbeAsync(string name, byte[] bytes)
    {
        var path = Path.Combine(dir, name);
        await File.WriteAllBytesAsync(path, bytes);
        return await AudioProbe.ProbeAsync(path, CancellationToken.None);
    }

    public static TheoryData<string, string, double, int, bool> Samples()
    {
        var data = new TheoryData<string, string, double, int, bool>();
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Spool, "expected.json")));
        foreach (var e in doc.RootElement.EnumerateArray())
            data.Add(e.GetProperty("file").GetString()!, e.GetProperty("format").GetString()!, e.GetProperty("seconds").GetDouble(),
                e.GetProperty("channels").GetInt32(), e.GetProperty("accepted").GetBoolean());
        return data;
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Each_sample_is_identified_from_its_bytes_as_expected_json_says(string file, string format, double seconds, int channels, bool accepted)
    {
        var result = await AudioProbe.ProbeAsync(Path.Combine(Spool, file), CancellationToken.None);
        if (!accepted)
        {
            var expected = format switch
            {
                "header-only" => ProbeProblem.HeaderOnly,
                "truncated" => ProbeProblem.Truncated,
                "not-audio" => ProbeProblem.NotAudio,
                "empty" => ProbeProblem.Empty,
                _ => throw new InvalidOperationException(format),
            };
            Assert.Equal(expected, result.Problem);
            Assert.False(string.IsNullOrWhiteSpace(result.Reason));
            return;
        }
        Assert.True(result.Info is not null, result.Reason);
        var codec = format switch
        {
            "wav" or "stereo" => "pcm_s16le", "ulaw" => "pcm_mulaw", "alaw" => "pcm_alaw", "gsm" => "gsm_ms", "mp3" => "mp3",
            _ => throw new InvalidOperationException(format),
        };
        Assert.Equal(codec, result.Info!.Codec);
        Assert.Equal(channels, result.Info.Channels);
        Assert.Equal(8000, result.Info.SampleRate);
        Assert.InRange(result.Info.DurationMs / 1000.0, seconds - 0.1, seconds + 0.1);
    }

    [Fact]
    public async Task A_truncated_file_says_how_much_of_it_is_there()
    {
        var result = await AudioProbe.ProbeAsync(Path.Combine(Spool, "monitor/2026/11/21/out-48601234567-204-20261121-080102-1795244462.14.wav"), CancellationToken.None);
        Assert.Equal("the file is truncated: it holds 10.0 s of the 30.0 s its header announces.", result.Reason);
    }

    [Fact]
    public async Task The_GSM_WAV_is_told_apart_from_plain_WAV()
    {
        var result = await AudioProbe.ProbeAsync(Path.Combine(Spool, "monitor/2026/11/17/q-400-48698765432-20261117-083012-1794900612.6.WAV"), CancellationToken.None);
        Assert.Equal("wav49", result.Info!.Format);
    }

    [Theory]
    [InlineData("call.ulaw", PcmSamples.MuLawWav, "ulaw", "pcm_mulaw", 8000)]
    [InlineData("call.ul", PcmSamples.MuLawWav, "ulaw", "pcm_mulaw", 8000)]
    [InlineData("call.mu", PcmSamples.MuLawWav, "ulaw", "pcm_mulaw", 8000)]
    [InlineData("call.pcm", PcmSamples.MuLawWav, "ulaw", "pcm_mulaw", 8000)]
    [InlineData("call.alaw", PcmSamples.ALawWav, "alaw", "pcm_alaw", 8000)]
    [InlineData("call.alw", PcmSamples.ALawWav, "alaw", "pcm_alaw", 8000)]
    [InlineData("call.sln", PcmSamples.PcmWav, "sln", "pcm_s16le", 8000)]
    [InlineData("call.raw", PcmSamples.PcmWav, "sln", "pcm_s16le", 8000)]
    [InlineData("call.sln16", PcmSamples.PcmWav, "sln", "pcm_s16le", 16000)]
    [InlineData("call.SLN48", PcmSamples.PcmWav, "sln", "pcm_s16le", 48000)]
    public async Task A_raw_Asterisk_file_is_known_by_its_extension_and_measured_by_its_size(string name, string wav, string format, string codec, int sampleRate)
    {
        var samples = await PcmSamples.StripHeaderAsync(PcmSamples.Spool(wav));
        var bytesPerSecond = sampleRate * (codec == "pcm_s16le" ? 2 : 1);

        var result = await ProbeAsync(name, samples);

        Assert.True(result.Info is not null, result.Reason);
        Assert.Equal(new AudioInfo(format, codec, sampleRate, 1, (int)Math.Round(samples.Length * 1000.0 / bytesPerSecond)), result.Info);
    }

    [Fact]
    public async Task A_raw_GSM_file_lasts_20_ms_a_frame_and_one_that_is_not_GSM_is_not_audio()
    {
        var frames = Enumerable.Range(0, 33 * 150).Select(i => i % 33 == 0 ? (byte)0xD4 : (byte)i).ToArray();
        Assert.Equal(new AudioInfo("gsm", "gsm", 8000, 1, 3000), (await ProbeAsync("call.gsm", frames)).Info);

        var text = "<html>not a recording</html>"u8.ToArray().Concat(new byte[33 * 10 - 28]).ToArray();
        Assert.Equal(ProbeProblem.NotAudio, (await ProbeAsync("page.gsm", text)).Problem);
    }

    [Theory]
    [InlineData("call.sln", 16_001, "its 16001 bytes end 1 byte(s) into a 2-byte sln frame")]
    [InlineData("call.gsm", 33 * 4 + 10, "its 142 bytes end 10 byte(s) into a 33-byte gsm frame")]
    public async Task A_raw_file_that_ends_inside_a_frame_is_truncated(string name, int length, string reason)
    {
        var bytes = new byte[length];
        bytes[0] = 0xD0;

        var result = await ProbeAsync(name, bytes);

        Assert.Equal(ProbeProblem.Truncated, result.Problem);
        Assert.Contains(reason, result.Reason);
    }

    [Theory]
    [InlineData("call.wav")]
    [InlineData("call.WAV")]
    [InlineData("call.ulaw")]
    [InlineData("call.sln16")]
    [InlineData("call.gsm")]
    [InlineData("call.mp3")]
    public async Task An_empty_file_of_any_kind_is_an_unanswered_call(string name)
    {
        var result = await ProbeAsync(name, []);
        Assert.Equal(ProbeProblem.Empty, result.Problem);
        Assert.Contains("unanswered call", result.Reason);
    }

    [Fact]
    public async Task The_60_byte_header_of_an_unanswered_WAV49_call_is_header_only()
    {
        var result = await ProbeAsync("call.WAV", Wav49Header());
        Assert.Equal(ProbeProblem.HeaderOnly, result.Problem);
        Assert.Contains("unanswered call", result.Reason);
    }

    /// <summary>What Asterisk's format_wav_gsm writes when a recording starts: RIFF, a 20-byte GSM fmt chunk, fact, an empty data chunk.</summary>
    public static byte[] Wav49Header()
    {
        using var ms = new MemoryStream();
        using var w = new BinaryWriter(ms);
        w.Write("RIFF"u8); w.Write(52); w.Write("WAVE"u8);
        w.Write("fmt "u8); w.Write(20); w.Write((short)0x31); w.Write((short)1); w.Write(8000); w.Write(1625); w.Write((short)65); w.Write((short)0);
        w.Write((short)2); w.Write((short)320);
        w.Write("fact"u8); w.Write(4); w.Write(0);
        w.Write("data"u8); w.Write(0);
        w.Flush();
        return ms.ToArray();
    }
}
