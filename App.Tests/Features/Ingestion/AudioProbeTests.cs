using System.Text.Json;
using NagrywanieRozmow.Features.Ingestion;

namespace NagrywanieRozmow.Tests.Features.Ingestion;

public sealed class AudioProbeTests
{
    private static readonly string Spool = Path.Combine(AppContext.BaseDirectory, "Fixtures/freepbx-spool");

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
}
