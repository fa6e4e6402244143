using System.Buffers.Binary;
using NagrywanieRozmow.Features.Playback;
using NagrywanieRozmow.Shared.Media;
using NagrywanieRozmow.Tests.Shared.Media;

namespace NagrywanieRozmow.Tests.Features.Playback;

/// <summary>Peaks computed from samples decoded here, which replace ffmpeg's for PCM and G.711 recordings.</summary>
public sealed class DecodedWaveformTests
{
    [Fact]
    public async Task The_peaks_of_a_G711_call_are_the_ones_ffmpeg_gives()
    {
        var path = PcmSamples.Spool(PcmSamples.MuLawWav);
        byte[] viaFfmpeg, here;
        await using (var audio = File.OpenRead(path))
            viaFfmpeg = await Waveform.ComputeAsync(audio, ["-i", "pipe:0"], 75_000, 1, CancellationToken.None);
        await using (var audio = File.OpenRead(path))
            here = await Waveform.ComputeAsync((await PcmDecoder.OpenWavAsync(audio, CancellationToken.None))!, 75_000, CancellationToken.None);

        Assert.True(here.Max() > 25, "the speech in the recording shows in its peaks");
        Assert.Equal(viaFfmpeg, here);
    }

    [Fact]
    public async Task Buckets_span_the_frames_at_the_file_s_own_rate_so_sound_shows_where_it_is()
    {
        // 10 s of 16 kHz signed linear, silent but for a tone in the last second.
        var raw = new byte[16_000 * 2 * 10];
        for (var i = 16_000 * 9; i < 16_000 * 10; i++)
            BinaryPrimitives.WriteInt16LittleEndian(raw.AsSpan(2 * i), (short)(Math.Sin(2 * Math.PI * 440 * i / 16_000.0) * 16_000));
        var pcm = PcmDecoder.Raw(new MemoryStream(raw), "pcm_s16le", 1, 16_000, raw.Length);

        // The duration the row holds is ignored when the frames are known: a wrong one must not squeeze the drawing.
        var peaks = await Waveform.ComputeAsync(pcm, 20_000, CancellationToken.None);

        Assert.Equal(Waveform.Buckets, peaks.Length);
        Assert.All(peaks[..900], p => Assert.Equal(0, p));
        Assert.All(peaks[900..], p => Assert.True(p > 100, $"a bucket of the last second has peak {p}"));
    }

    [Fact]
    public async Task A_stereo_WAV_keeps_its_channels_apart_channel_after_channel()
    {
        var wav = StereoWav.Make(4, t => t < 2, t => t >= 2);
        var peaks = await Waveform.ComputeAsync((await PcmDecoder.OpenWavAsync(new MemoryStream(wav), CancellationToken.None))!, 4_000, CancellationToken.None);

        Assert.Equal(2 * Waveform.Buckets, peaks.Length);
        var (left, right) = (peaks[..Waveform.Buckets], peaks[Waveform.Buckets..]);
        Assert.True(left[..499].All(p => p > 25) && left[501..].All(p => p == 0), "the left side speaks in the first half only");
        Assert.True(right[..499].All(p => p == 0) && right[501..].All(p => p > 25), "the right side speaks in the second half only");
    }
}
