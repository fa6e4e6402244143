using System.Globalization;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Shared.Media;

namespace NagrywanieRozmow.Features.Playback;

/// <summary>What the player draws: <c>peaks</c> is the loudest channel per bucket, <c>channels</c> one list per channel (mono: one).</summary>
public sealed record WaveformJson(double DurationSeconds, IReadOnlyList<double> Peaks, IReadOnlyList<IReadOnlyList<double>> Channels);

/// <summary>
/// Peaks for the player's waveform: the file is decoded once, as a stream, into ~1000 buckets of loudest sample per channel.
/// Stored channel after channel (<see cref="Buckets"/> bytes each), so a mono row written before stereo existed reads the same.
/// </summary>
public static class Waveform
{
    public const int Buckets = 1000;
    private const int SampleRate = 8000;

    /// <summary>Peaks of each channel, channel-major: <paramref name="channels"/> × <see cref="Buckets"/> bytes (0–255), decoded by ffmpeg.</summary>
    public static async Task<byte[]> ComputeAsync(Stream audio, IReadOnlyList<string> input, int durationMs, int channels, CancellationToken ct)
    {
        channels = channels == 2 ? 2 : 1;
        var peaks = new PeakBuckets(channels, durationMs * (long)SampleRate / 1000);
        await Ffmpeg.RunAsync(
            ["-v", "error", .. input, "-ac", channels.ToString(CultureInfo.InvariantCulture), "-ar", SampleRate.ToString(CultureInfo.InvariantCulture), "-f", "s16le", "pipe:1"],
            audio, async (pcm, token) =>
            {
                var buffer = new byte[64 * 1024];
                var carry = -1;
                int read;
                while ((read = await pcm.ReadAsync(buffer, token)) > 0)
                {
                    var i = 0;
                    if (carry >= 0) { peaks.Add((short)(carry | buffer[0] << 8)); i = 1; carry = -1; }
                    for (; i + 1 < read; i += 2) peaks.Add((short)(buffer[i] | buffer[i + 1] << 8));
                    if (i < read) carry = buffer[i];
                }
            }, TimeSpan.FromMinutes(5), ct);
        return peaks.Levels;
    }

    /// <summary>
    /// Peaks of samples decoded here, at their own rate: buckets span the frames the file holds (the duration when its length
    /// is unknown). More than two channels are drawn as one, as ffmpeg's path downmixes them.
    /// </summary>
    public static async Task<byte[]> ComputeAsync(PcmDecoder pcm, int durationMs, CancellationToken ct)
    {
        var drawn = pcm.Channels == 2 ? 2 : 1;
        var peaks = new PeakBuckets(drawn, pcm.Frames ?? durationMs * (long)pcm.SampleRate / 1000);
        var samples = new short[16 * 1024 * pcm.Channels];
        int count;
        while ((count = await pcm.ReadAsync(samples, ct)) > 0)
        {
            if (drawn == pcm.Channels)
            {
                for (var i = 0; i < count; i++) peaks.Add(samples[i]);
                continue;
            }
            for (var frame = 0; frame < count; frame += pcm.Channels)
            {
                var loudest = samples[frame];
                for (var c = 1; c < pcm.Channels; c++)
                    if (Math.Abs((int)samples[frame + c]) > Math.Abs((int)loudest)) loudest = samples[frame + c];
                peaks.Add(loudest);
            }
        }
        return peaks.Levels;
    }

    /// <summary>Loudest level per bucket and channel from interleaved samples (L R L R …), in the stored channel-major layout.</summary>
    private sealed class PeakBuckets(int channels, long expectedFrames)
    {
        private readonly long perBucket = Math.Max(1L, (Math.Max(1L, expectedFrames) + Buckets - 1) / Buckets);
        private long sample;

        public byte[] Levels { get; } = new byte[Buckets * channels];

        public void Add(short value)
        {
            var channel = (int)(sample % channels);
            var bucket = (int)Math.Min(Buckets - 1, sample++ / channels / perBucket);
            var level = (byte)Math.Min(255, Math.Abs((int)value) >> 7);
            var at = channel * Buckets + bucket;
            if (level > Levels[at]) Levels[at] = level;
        }
    }

    /// <summary>How many channels a stored row holds: its length in whole blocks of <see cref="Buckets"/>.</summary>
    public static int ChannelsOf(byte[] peaks) => Math.Max(1, peaks.Length / Buckets);

    public static WaveformJson ToJson(RecordingWaveform waveform)
    {
        var count = ChannelsOf(waveform.Peaks);
        var length = count == 1 ? waveform.Peaks.Length : Buckets;
        var channels = Enumerable.Range(0, count)
            .Select(c => (IReadOnlyList<double>)waveform.Peaks.Skip(c * length).Take(length).Select(Level).ToList())
            .ToList();
        var loudest = Enumerable.Range(0, length).Select(i => channels.Max(c => c[i])).ToList();
        return new WaveformJson(waveform.DurationMs / 1000.0, loudest, channels);
    }

    private static double Level(byte peak) => Math.Round(peak / 255.0, 3);
}
