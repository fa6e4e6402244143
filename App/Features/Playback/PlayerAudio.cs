using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Localization;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Shared.Media;
using NagrywanieRozmow.Shared.Storage;
using NagrywanieRozmow.Shared.Telemetry;

namespace NagrywanieRozmow.Features.Playback;

/// <summary>
/// A recording's audio and waveform for the player, once the route has decided the caller may hear it: the recording's
/// own routes by its scope, an evaluation's by the evaluation (a blind evaluator hears the call without learning its id).
/// </summary>
public sealed class PlayerAudio(
    IRecordingStore store, Renditions renditions, AuditLog audit, IMemoryCache listens, FfmpegStatus ffmpeg, IStringLocalizer<PlaybackText> text,
    IRecordingArchive archive, ILogger<PlayerAudio> logger)
{
    /// <summary>The playable rendition with range requests; the first request of a listening is audited, with <paramref name="auditDetails"/>.</summary>
    public async Task<IResult> AudioAsync(Recording recording, string? session, HttpContext http, string? auditDetails, CancellationToken ct)
    {
        if (await OfflineAsync(recording, ct) is { } offline) return offline;
        // GSM is decoded by ffmpeg alone: say why at once rather than try (a missing ffmpeg is a known state, not a failure).
        if (IsGsm(recording.Codec) && ffmpeg.Current.Ffmpeg is null) return FfmpegMissing(recording);
        string key;
        try
        {
            key = await renditions.PlayableKeyAsync(recording, ct);
        }
        catch (FileNotFoundException)
        {
            return PlaybackEndpoints.FileMissing(recording.Id);
        }
        catch (FfmpegUnavailableException)
        {
            return FfmpegMissing(recording);
        }
        catch (FfmpegFailedException e)
        {
            logger.LogWarning("Recording {Id} could not be converted: {Reason}", recording.Id, e.Message);
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status422UnprocessableEntity, title: "The recording cannot be played");
        }
        var stream = await store.OpenReadAsync(key, ct);
        if (stream is null) return PlaybackEndpoints.FileMissing(recording.Id);
        if (PlaybackEndpoints.IsNewListening(http, recording.Id, session, listens))
        {
            await audit.AppendAsync(http, AuditActions.Listen, AuditOutcomes.Success, recording.Id, auditDetails);
            AppTelemetry.Listened();
        }
        return TypedResults.File(stream, PlaybackEndpoints.ContentTypeOf(key), enableRangeProcessing: true);
    }

    public async Task<Results<Ok<WaveformJson>, ProblemHttpResult>> WaveformAsync(Recording recording, CancellationToken ct)
    {
        if (await OfflineAsync(recording, ct) is { } offline) return offline;
        RecordingWaveform? waveform;
        try
        {
            waveform = await renditions.WaveformAsync(recording, ct);
        }
        catch (Exception e) when (e is FfmpegUnavailableException or FfmpegFailedException)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status422UnprocessableEntity, title: "No waveform for this recording");
        }
        return waveform is null ? PlaybackEndpoints.FileMissing(recording.Id) : TypedResults.Ok(Waveform.ToJson(waveform));
    }

    /// <summary>
    /// An archived recording in Azure's Archive tier cannot be read until it is restored: a 409 that says so (and whether a
    /// restore is under way), rather than a read that fails half way. Folders and the Cool and Cold tiers are read directly.
    /// </summary>
    public async Task<ProblemHttpResult?> OfflineAsync(Recording recording, CancellationToken ct)
    {
        if (recording.Tier != StorageTier.Archive || !archive.NeedsRestore) return null;
        var state = await archive.StateAsync(recording.StorageKey, ct);
        return state is ArchivedFileState.Offline or ArchivedFileState.Rehydrating
            ? TypedResults.Problem(text[state == ArchivedFileState.Rehydrating ? "Restoring" : "NeedsRestore"], statusCode: StatusCodes.Status409Conflict,
                title: "The recording is in the archive", extensions: new Dictionary<string, object?> { ["archive"] = state.ToString() })
            : null;
    }

    private static bool IsGsm(string? codec) => codec is "gsm" or "gsm_ms";

    /// <summary>The player shows the detail as it is, so it is in the reader's language and names the fix.</summary>
    private ProblemHttpResult FfmpegMissing(Recording recording) =>
        TypedResults.Problem(text["NeedsFfmpeg", CodecLabel(recording)], statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "ffmpeg is not installed on the server", extensions: new Dictionary<string, object?> { ["missing"] = "ffmpeg", ["codec"] = recording.Codec });

    private static string CodecLabel(Recording recording) => recording.Codec switch
    {
        "gsm" or "gsm_ms" => "GSM",
        "pcm_mulaw" => "G.711 µ-law",
        "pcm_alaw" => "G.711 A-law",
        _ => recording.Format.ToUpperInvariant(),
    };
}
