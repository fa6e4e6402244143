using NagrywanieRozmow.Shared.Media;

namespace NagrywanieRozmow.Tests.Shared.Media;

/// <summary>µ-law and A-law decoded in C# must be exactly what ffmpeg makes of them: the rendition replaces ffmpeg's.</summary>
public sealed class G711Tests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("g711-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Theory]
    [InlineData(PcmSamples.MuLawWav, "pcm_mulaw")]
    [InlineData(PcmSamples.ALawWav, "pcm_alaw")]
    public async Task A_G711_WAV_decodes_sample_for_sample_as_ffmpeg_decodes_it(string file, string codec)
    {
        var path = PcmSamples.Spool(file);
        await using var wav = File.OpenRead(path);
        var pcm = await PcmDecoder.OpenWavAsync(wav, CancellationToken.None);
        Assert.NotNull(pcm);
        Assert.Equal((1, 8000), (pcm.Channels, pcm.SampleRate));

        var decoded = await PcmSamples.ReadAllAsync(pcm);

        Assert.True(decoded.Length > 8000 * 60, $"the {codec} fixture is a call of over a minute");
        PcmSamples.AssertSame(await FfmpegReference.DecodeAsync(path), decoded);
    }

    [Theory]
    [InlineData(PcmSamples.MuLawWav, "pcm_mulaw", "mulaw", "ulaw")]
    [InlineData(PcmSamples.ALawWav, "pcm_alaw", "alaw", "alaw")]
    public async Task A_raw_G711_file_decodes_as_ffmpeg_decodes_it(string file, string codec, string ffmpegFormat, string extension)
    {
        var raw = Path.Combine(dir, $"call.{extension}");
        await File.WriteAllBytesAsync(raw, await PcmSamples.StripHeaderAsync(PcmSamples.Spool(file)));
        await using var samples = File.OpenRead(raw);

        var decoded = await PcmSamples.ReadAllAsync(PcmDecoder.Raw(samples, codec, 1, 8000, samples.Length));

        PcmSamples.AssertSame(await FfmpegReference.DecodeAsync(raw, "-f", ffmpegFormat, "-ar", "8000", "-ac", "1"), decoded);
    }

    [Theory]
    [InlineData("pcm_mulaw", "mulaw")]
    [InlineData("pcm_alaw", "alaw")]
    public async Task Every_one_of_the_256_codes_expands_as_ffmpeg_expands_it(string codec, string ffmpegFormat)
    {
        var raw = Path.Combine(dir, "codes.raw");
        await File.WriteAllBytesAsync(raw, Enumerable.Range(0, 256).Select(i => (byte)i).ToArray());
        await using var samples = File.OpenRead(raw);

        var decoded = await PcmSamples.ReadAllAsync(PcmDecoder.Raw(samples, codec, 1, 8000, samples.Length));

        PcmSamples.AssertSame(await FfmpegReference.DecodeAsync(raw, "-f", ffmpegFormat, "-ar", "8000", "-ac", "1"), decoded);
    }
}
