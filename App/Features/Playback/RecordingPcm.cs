using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Shared.Media;

namespace NagrywanieRozmow.Features.Playback;

/// <summary>Which recordings the panel decodes itself (PCM and G.711, in a WAV or header-less) and how to open their samples.</summary>
public static class RecordingPcm
{
    public static bool CanDecode(Recording recording) =>
        PcmDecoder.CanDecode(recording.Codec) && (recording.Format == "wav" || RawFormat.IsRawContainer(recording.Format));

    /// <summary>
    /// The samples of <paramref name="audio"/>, a stored original; null when ffmpeg has to read it (the stream is then back at
    /// its start, for ffmpeg).
    /// </summary>
    public static async Task<PcmDecoder?> OpenAsync(Recording recording, Stream audio, CancellationToken ct)
    {
        if (!CanDecode(recording)) return null;
        if (recording.Format == "wav")
        {
            // The header, not the row, has the last word: a row whose codec was set by hand may not match the file.
            var wav = await PcmDecoder.OpenWavAsync(audio, ct);
            if (wav is null && audio.CanSeek) audio.Position = 0;
            return wav;
        }
        return PcmDecoder.Raw(audio, recording.Codec!, recording.Channels, recording.SampleRate, audio.CanSeek ? audio.Length : null);
    }
}
