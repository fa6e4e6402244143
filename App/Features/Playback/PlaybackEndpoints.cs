using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Localization;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Shared.Media;
using NagrywanieRozmow.Shared.Storage;
using NagrywanieRozmow.Shared.Telemetry;
using NagrywanieRozmow.Shared.Time;

namespace NagrywanieRozmow.Features.Playback;

/// <summary>Audio for the player (ranges, converted once where the browser cannot play the original), downloads, waveform.</summary>
public static class PlaybackEndpoints
{
    public static IEndpointRouteBuilder MapPlaybackEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/recordings/{id:long}").WithTags("Playback");
        group.MapGet("/audio", AudioAsync).RequireAuthorization(Policies.ListenRecordings).WithSummary("Stream a recording's audio (range requests: 206, 416)")
            .Produces<Stream>(StatusCodes.Status200OK, "audio/wav", "audio/mpeg", "audio/ogg");
        group.MapGet("/download", DownloadAsync).RequireAuthorization(Policies.DownloadRecordings).WithSummary("Download a recording's original file")
            .Produces<Stream>(StatusCodes.Status200OK, "application/octet-stream");
        group.MapGet("/waveform", WaveformAsync).RequireAuthorization(Policies.ListenRecordings).WithSummary("Get a recording's waveform peaks");
        return app;
    }

    private static async Task<IResult> AudioAsync(
        long id, string? session, HttpContext http, IDbContextFactory<AppDbContext> dbs, IRecordingStore store, Renditions renditions, AuditLog audit,
        IMemoryCache listens, FfmpegStatus ffmpeg, IStringLocalizer<PlaybackText> text, ILoggerFactory logs, IRecordingArchive archive, CancellationToken ct)
    {
        var recording = await FindAsync(dbs, id, http.User, ct);
        if (recording is null) return await NotFoundAsync(audit, http, id);
        if (await OfflineAsync(recording, archive, text, ct) is { } offline) return offline;
        // GSM is decoded by ffmpeg alone: say why at once rather than try (a missing ffmpeg is a known state, not a failure).
        if (IsGsm(recording.Codec) && ffmpeg.Current.Ffmpeg is null) return FfmpegMissing(recording, text);
        string key;
        try
        {
            key = await renditions.PlayableKeyAsync(recording, ct);
        }
        catch (FileNotFoundException)
        {
            return FileMissing(id);
        }
        catch (FfmpegUnavailableException)
        {
            return FfmpegMissing(recording, text);
        }
        catch (FfmpegFailedException e)
        {
            logs.CreateLogger(nameof(PlaybackEndpoints)).LogWarning("Recording {Id} could not be converted: {Reason}", id, e.Message);
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status422UnprocessableEntity, title: "The recording cannot be played");
        }
        var stream = await store.OpenReadAsync(key, ct);
        if (stream is null) return FileMissing(id);
        if (IsNewListening(http, id, session, listens))
        {
            await audit.AppendAsync(http, AuditActions.Listen, AuditOutcomes.Success, id);
            AppTelemetry.Listened();
        }
        return TypedResults.File(stream, ContentTypeOf(key), enableRangeProcessing: true);
    }

    /// <summary>
    /// An archived recording in Azure's Archive tier cannot be read until it is restored: a 409 that says so (and whether a
    /// restore is under way), rather than a read that fails half way. Folders and the Cool and Cold tiers are read directly.
    /// </summary>
    private static async Task<ProblemHttpResult?> OfflineAsync(Recording recording, IRecordingArchive archive, IStringLocalizer<PlaybackText> text, CancellationToken ct)
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
    private static ProblemHttpResult FfmpegMissing(Recording recording, IStringLocalizer<PlaybackText> text) =>
        TypedResults.Problem(text["NeedsFfmpeg", CodecLabel(recording)], statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "ffmpeg is not installed on the server", extensions: new Dictionary<string, object?> { ["missing"] = "ffmpeg", ["codec"] = recording.Codec });

    private static string CodecLabel(Recording recording) => recording.Codec switch
    {
        "gsm" or "gsm_ms" => "GSM",
        "pcm_mulaw" => "G.711 µ-law",
        "pcm_alaw" => "G.711 A-law",
        _ => recording.Format.ToUpperInvariant(),
    };

    /// <summary>
    /// One entry per listening, not per range request: the player names its listening with ?session=…; a caller
    /// without one starts a listening with each request from the beginning of the file.
    /// </summary>
    internal static bool IsNewListening(HttpContext http, long id, string? session, IMemoryCache listens)
    {
        if (string.IsNullOrEmpty(session))
        {
            var range = http.Request.Headers.Range.ToString();
            return range.Length == 0 || range.StartsWith("bytes=0-", StringComparison.Ordinal);
        }
        var who = AuditLog.ActorOf(http.User);
        var cacheKey = $"listen:{who}:{id}:{session}";
        if (listens.TryGetValue(cacheKey, out _)) return false;
        listens.Set(cacheKey, true, TimeSpan.FromHours(12));
        return true;
    }

    private static async Task<IResult> DownloadAsync(
        long id, HttpContext http, IDbContextFactory<AppDbContext> dbs, IRecordingStore store, AuditLog audit, DisplayTime time,
        IRecordingArchive archive, IStringLocalizer<PlaybackText> text, CancellationToken ct)
    {
        var recording = await FindAsync(dbs, id, http.User, ct);
        if (recording is null) return await NotFoundAsync(audit, http, id);
        if (await OfflineAsync(recording, archive, text, ct) is { } offline) return offline;
        var stream = await store.OpenReadAsync(recording.StorageKey, ct);
        if (stream is null) return FileMissing(id);
        await audit.AppendAsync(http, AuditActions.Download, AuditOutcomes.Success, id);
        AppTelemetry.Downloaded();
        return TypedResults.File(stream, ContentTypeOf(recording.OriginalFileName), DownloadName(recording, time), enableRangeProcessing: true);
    }

    private static async Task<Results<Ok<WaveformJson>, ProblemHttpResult>> WaveformAsync(
        long id, HttpContext http, IDbContextFactory<AppDbContext> dbs, Renditions renditions, AuditLog audit, IRecordingArchive archive,
        IStringLocalizer<PlaybackText> text, CancellationToken ct)
    {
        var recording = await FindAsync(dbs, id, http.User, ct);
        if (recording is null) return await NotFoundAsync(audit, http, id);
        if (await OfflineAsync(recording, archive, text, ct) is { } offline) return offline;
        RecordingWaveform? waveform;
        try
        {
            waveform = await renditions.WaveformAsync(recording, ct);
        }
        catch (Exception e) when (e is FfmpegUnavailableException or FfmpegFailedException)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status422UnprocessableEntity, title: "No waveform for this recording");
        }
        return waveform is null ? FileMissing(id) : TypedResults.Ok(Waveform.ToJson(waveform));
    }

    /// <summary>
    /// e.g. 2026-11-16_09-15_48601234567_to_201_incoming.wav: office time, who called whom, what kind of call. In a ZIP
    /// (<paramref name="withId"/>) the id follows ("…_incoming_42.wav"), so two calls in the same minute stay apart and
    /// each file matches its manifest line.
    /// </summary>
    public static string DownloadName(Recording r, DisplayTime time, bool withId = false)
    {
        var local = time.ToLocal(r.StartedAt).ToString("yyyy-MM-dd_HH-mm", CultureInfo.InvariantCulture);
        var extension = Path.GetExtension(r.OriginalFileName);
        if (string.IsNullOrEmpty(extension)) extension = "." + r.Format;
        var id = withId ? "_" + r.Id.ToString(CultureInfo.InvariantCulture) : "";
        return $"{local}_{Safe(r.CallerNumber)}_to_{Safe(r.CalleeNumber)}_{r.Type.ToString().ToLowerInvariant()}{id}.{Safe(extension)}";
    }

    private static string Safe(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text) if (char.IsAsciiLetterOrDigit(c) || c == '+') builder.Append(c);
        return builder.Length == 0 ? "unknown" : builder.ToString();
    }

    private static string ContentTypeOf(string fileName) => Path.GetExtension(fileName).ToLowerInvariant() switch
    {
        ".wav" => "audio/wav",
        ".mp3" => "audio/mpeg",
        ".ogg" or ".opus" => "audio/ogg",
        ".gsm" => "audio/x-gsm",
        _ => "application/octet-stream",
    };

    /// <summary>The recording, if it exists and the caller may see it; otherwise null (a 404, so nothing leaks).</summary>
    private static async Task<Recording?> FindAsync(IDbContextFactory<AppDbContext> dbs, long id, System.Security.Claims.ClaimsPrincipal user, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Recordings.AsNoTracking().VisibleTo(user).FirstOrDefaultAsync(r => r.Id == id, ct);
    }

    private static async Task<ProblemHttpResult> NotFoundAsync(AuditLog audit, HttpContext http, long id)
    {
        await audit.RecordingNotFoundAsync(http, id);
        return TypedResults.Problem($"There is no recording {id}.", statusCode: StatusCodes.Status404NotFound, title: "Recording not found");
    }

    private static ProblemHttpResult FileMissing(long id) =>
        TypedResults.Problem($"The audio file of recording {id} is missing from the store.", statusCode: StatusCodes.Status404NotFound, title: "File missing");
}
