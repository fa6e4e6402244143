using NagrywanieRozmow.Shared.Media;

namespace NagrywanieRozmow.Features.Playback;

/// <summary>Peaks for the player's waveform: the file is decoded once, as a stream, into ~1000 buckets of loudest sample.</summary>
public static class Waveform
{
    public const int Buckets = 1000;
    private const int SampleRate = 8000;

    public static async Task<byte[]> ComputeAsync(Stream audio, int durationMs, CancellationToken ct)
    {
        var expectedSamples = Math.Max(1L, durationMs * (long)SampleRate / 1000);
        var perBucket = Math.Max(1L, (expectedSamples + Buckets - 1) / Buckets);
        var peaks = new byte[Buckets];
        long sample = 0;
        await Ffmpeg.RunAsync(["-v", "error", "-i", "pipe:0", "-ac", "1", "-ar", SampleRate.ToString(System.Globalization.CultureInfo.InvariantCulture), "-f", "s16le", "pipe:1"],
            audio, async (pcm, token) =>
            {
                var buffer = new byte[64 * 1024];
                var carry = -1;
                int read;
                while ((read = await pcm.ReadAsync(buffer, token)) > 0)
                {
                    var i = 0;
                    if (carry >= 0) { Add((short)(carry | buffer[0] << 8)); i = 1; carry = -1; }
                    for (; i + 1 < read; i += 2) Add((short)(buffer[i] | buffer[i + 1] << 8));
                    if (i < read) carry = buffer[i];
                }
            }, TimeSpan.FromMinutes(5), ct);
        return peaks;

        void Add(short value)
        {
            var bucket = (int)Math.Min(Buckets - 1, sample++ / perBucket);
            var level = (byte)Math.Min(255, Math.Abs((int)value) >> 7);
            if (level > peaks[bucket]) peaks[bucket] = level;
        }
    }
}
