using System.Globalization;
using NagrywanieRozmow.Features.Playback;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Shared.Media;

namespace NagrywanieRozmow.Features.Quality;

/// <summary>Cuts a span of a call into a 16-bit PCM WAV: here for PCM and G.711 (and every rendition), by ffmpeg for MP3 and Ogg originals.</summary>
public static class ClipCutter
{
    /// <param name="playableKey">The key <paramref name="playable"/> was opened from: the original, or the recording's PCM rendition.</param>
    /// <exception cref="FfmpegUnavailableException"/>
    /// <exception cref="FfmpegFailedException"/>
    public static async Task CutAsync(Recording recording, string playableKey, Stream playable, int startMs, int endMs, string outputPath, CancellationToken ct)
    {
        var pcm = playableKey == recording.StorageKey
            ? await RecordingPcm.OpenAsync(recording, playable, ct)
            : await PcmDecoder.OpenWavAsync(playable, ct);
        if (pcm is not null)
        {
            var first = startMs * (long)pcm.SampleRate / 1000;
            var last = endMs * (long)pcm.SampleRate / 1000;
            await pcm.SkipFramesAsync(first, ct);
            await using var file = File.Create(outputPath);
            await WavWriter.WriteAsync(file, pcm, Math.Max(0, last - first), ct);
            return;
        }
        if (playable.CanSeek) playable.Position = 0;
        await Ffmpeg.RunAsync(["-v", "error", "-i", "pipe:0", "-ss", Seconds(startMs), "-t", Seconds(endMs - startMs), "-c:a", "pcm_s16le", "-f", "wav", "-y", outputPath],
            playable, (output, token) => output.CopyToAsync(Stream.Null, token), TimeSpan.FromMinutes(2), ct);
    }

    private static string Seconds(int ms) => (ms / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);
}
