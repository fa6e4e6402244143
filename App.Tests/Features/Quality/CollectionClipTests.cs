using System.Buffers.Binary;
using NagrywanieRozmow.Features.Playback;
using NagrywanieRozmow.Features.Quality;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Shared.Media;
using NagrywanieRozmow.Tests.Features.Playback;
using NagrywanieRozmow.Tests.Shared.Media;

namespace NagrywanieRozmow.Tests.Features.Quality;

/// <summary>A collection item's span cut on a server without ffmpeg, from a raw original or from a PCM rendition.</summary>
public sealed class CollectionClipTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("clip-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static Recording Raw(string format, string codec)
    {
        var row = TestData.Recording(format: format);
        row.Codec = codec;
        return row;
    }

    [Theory]
    [InlineData(PcmSamples.MuLawWav, "ulaw", "pcm_mulaw")]
    [InlineData(PcmSamples.ALawWav, "alaw", "pcm_alaw")]
    [InlineData(PcmSamples.PcmWav, "sln", "pcm_s16le")]
    public async Task A_span_of_a_raw_original_is_cut_here_to_the_exact_samples(string fixture, string format, string codec)
    {
        Ffmpeg.Executable = Path.Combine(dir, "no-ffmpeg");
        var recording = Raw(format, codec);
        var samples = await PcmSamples.StripHeaderAsync(PcmSamples.Spool(fixture));
        var whole = await PcmSamples.ReadAllAsync(PcmDecoder.Raw(new MemoryStream(samples), codec, 1, 8000, samples.Length));
        var clip = Path.Combine(dir, "clip.wav");

        await ClipCutter.CutAsync(recording, recording.StorageKey, new MemoryStream(samples), 5_000, 8_500, clip, CancellationToken.None);

        var bytes = await File.ReadAllBytesAsync(clip);
        Assert.Equal((8000, 1, 16), (BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(24)), BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(22)),
            BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(34))));
        var cut = await PcmSamples.ReadAllAsync((await PcmDecoder.OpenWavAsync(new MemoryStream(bytes), CancellationToken.None))!);
        PcmSamples.AssertSame(whole[40_000..68_000], cut);
    }

    [Fact]
    public async Task A_span_of_a_rendition_is_cut_here_and_a_span_past_the_end_is_an_empty_clip()
    {
        Ffmpeg.Executable = Path.Combine(dir, "no-ffmpeg");
        var recording = Raw("wav49", "gsm_ms");
        var rendition = StereoWav.LeftOnly(2);
        var clip = Path.Combine(dir, "clip.wav");

        await ClipCutter.CutAsync(recording, Renditions.RenditionKeyOf(recording.Id), new MemoryStream(rendition), 1_500, 4_000, clip, CancellationToken.None);
        Assert.Equal(WavWriter.HeaderBytes + 4_000 * 4, new FileInfo(clip).Length);

        await ClipCutter.CutAsync(recording, Renditions.RenditionKeyOf(recording.Id), new MemoryStream(rendition), 3_000, 4_000, clip, CancellationToken.None);
        Assert.Equal(WavWriter.HeaderBytes, new FileInfo(clip).Length);
    }

    [Fact]
    public async Task An_MP3_original_is_the_one_that_needs_ffmpeg()
    {
        Ffmpeg.Executable = Path.Combine(dir, "no-ffmpeg");
        var recording = Raw("mp3", "mp3");
        var mp3 = await File.ReadAllBytesAsync(PcmSamples.Spool("2026/11/17/rg-600-48221112233-20261117-121500-1794914100.7.mp3"));

        await Assert.ThrowsAsync<FfmpegUnavailableException>(() =>
            ClipCutter.CutAsync(recording, recording.StorageKey, new MemoryStream(mp3), 1_000, 2_000, Path.Combine(dir, "clip.wav"), CancellationToken.None));
    }
}
