using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Recordings;
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
        long id, string? session, HttpContext http, IDbContextFactory<AppDbContext> dbs, PlayerAudio player, AuditLog audit, CancellationToken ct)
    {
        var recording = await FindAsync(dbs, id, http.User, ct);
        if (recording is null) return await NotFoundAsync(audit, http, id);
        return await player.AudioAsync(recording, session, http, auditDetails: null, ct);
    }

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
        long id, HttpContext http, IDbContextFactory<AppDbContext> dbs, IRecordingStore store, AuditLog audit, DisplayTime time, PlayerAudio player,
        CancellationToken ct)
    {
        var recording = await FindAsync(dbs, id, http.User, ct);
        if (recording is null) return await NotFoundAsync(audit, http, id);
        if (await player.OfflineAsync(recording, ct) is { } offline) return offline;
        var stream = await store.OpenReadAsync(recording.StorageKey, ct);
        if (stream is null) return FileMissing(id);
        await audit.AppendAsync(http, AuditActions.Download, AuditOutcomes.Success, id);
        AppTelemetry.Downloaded();
        return TypedResults.File(stream, ContentTypeOf(recording.OriginalFileName), DownloadName(recording, time), enableRangeProcessing: true);
    }

    private static async Task<Results<Ok<WaveformJson>, ProblemHttpResult>> WaveformAsync(
        long id, HttpContext http, IDbContextFactory<AppDbContext> dbs, PlayerAudio player, AuditLog audit, CancellationToken ct)
    {
        var recording = await FindAsync(dbs, id, http.User, ct);
        if (recording is null) return await NotFoundAsync(audit, http, id);
        return await player.WaveformAsync(recording, ct);
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

    internal static string ContentTypeOf(string fileName) => Path.GetExtension(fileName).ToLowerInvariant() switch
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
        return await db.Recordings.AsNoTracking().VisibleTo(db, user).FirstOrDefaultAsync(r => r.Id == id, ct);
    }

    private static async Task<ProblemHttpResult> NotFoundAsync(AuditLog audit, HttpContext http, long id)
    {
        await audit.RecordingNotFoundAsync(http, id);
        return TypedResults.Problem($"There is no recording {id}.", statusCode: StatusCodes.Status404NotFound, title: "Recording not found");
    }

    internal static ProblemHttpResult FileMissing(long id) =>
        TypedResults.Problem($"The audio file of recording {id} is missing from the store.", statusCode: StatusCodes.Status404NotFound, title: "File missing");
}
