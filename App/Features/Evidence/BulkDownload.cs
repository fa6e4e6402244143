using NagrywanieRozmow.Shared.Csv;
using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Playback;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Shared.Storage;
using NagrywanieRozmow.Shared.Time;
using NagrywanieRozmow.Shared.Zip;

namespace NagrywanieRozmow.Features.Evidence;

public sealed record DownloadRequest(long[]? Ids);

/// <summary>
/// `POST /api/v1/downloads`: many recordings in one ZIP, streamed with its length known up front: the original files under
/// readable names, a manifest.csv (metadata, SHA-256, case numbers, tags) and a README. Takes `{ "ids": [...] }` as JSON, or
/// the panel's form post (`ids`, with the antiforgery token). Audited as one entry listing every recording.
/// </summary>
public static class BulkDownload
{
    public static IEndpointRouteBuilder MapBulkDownload(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/downloads", DownloadAsync).RequireAuthorization(Policies.DownloadRecordings).WithTags("Downloads")
            .WithSummary("Download several originals as one ZIP with manifest.csv (JSON { \"ids\": [..] } or the panel's form)")
            .Produces<Stream>(StatusCodes.Status200OK, "application/zip");
        return app;
    }

    private static IResult Invalid(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "The download request is not valid");

    private static async Task<IResult> DownloadAsync(
        HttpContext http, IAntiforgery antiforgery, IDbContextFactory<AppDbContext> dbs, IRecordingStore store, AuditLog audit,
        IOptions<DownloadOptions> options, DisplayTime display, TimeProvider time, CancellationToken ct)
    {
        var (ids, problem) = await ReadIdsAsync(http, antiforgery, ct);
        if (problem is not null) return Invalid(problem);
        var max = options.Value.MaxRecordings;
        if (ids.Count == 0) return Invalid("Choose at least one recording: send { \"ids\": [1, 2, …] }.");
        if (ids.Count > max) return Invalid($"At most {max} recordings fit in one download (Downloads:MaxRecordings); {ids.Count} were chosen.");

        List<Recording> recordings;
        await using (var db = await dbs.CreateDbContextAsync(ct))
            recordings = await db.Recordings.AsNoTracking().AsSplitQuery().VisibleTo(db, http.User).Where(r => ids.Contains(r.Id))
                .Include(r => r.Cases).Include(r => r.Tags).ToListAsync(ct);
        var unknown = ids.Except(recordings.Select(r => r.Id)).ToList();
        if (unknown.Count > 0)
        {
            await audit.RecordingNotFoundAsync(http, unknown[0]);
            return TypedResults.Problem($"There is no recording {string.Join(", ", unknown.Take(10))}{(unknown.Count > 10 ? $" (and {unknown.Count - 10} more)" : "")}.",
                statusCode: StatusCodes.Status404NotFound, title: "Recording not found");
        }
        // In the order they were chosen.
        var order = ids.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        recordings = recordings.OrderBy(r => order[r.Id]).ToList();

        var items = new List<ZipItem>();
        var files = new Dictionary<long, string>();
        var stored = await store.ExistingAsync(recordings.Select(r => r.StorageKey), ct);
        foreach (var r in recordings)
        {
            if (!stored.Contains(r.StorageKey)) continue;
            files[r.Id] = PlaybackEndpoints.DownloadName(r, display, withId: true);
            items.Add(new ZipItem(files[r.Id], r.SizeBytes, display.ToLocal(r.StartedAt), token => store.OpenReadAsync(r.StorageKey, token)));
        }
        var now = time.GetUtcNow().UtcDateTime;
        var by = AuditLog.ActorOf(http.User);
        items.Add(ZipItem.Text("manifest.csv", ManifestCsv(recordings, files), display.ToLocal(now)));
        items.Add(ZipItem.Text("README.txt", Readme(recordings.Count, files.Count, by, now), display.ToLocal(now)));

        await audit.AppendAsync(http, AuditActions.Download, AuditOutcomes.Success, recordings.Count == 1 ? recordings[0].Id : null, details: AuditLog.Details(new
        {
            zip = true, count = recordings.Count, bytes = StoredZip.LengthOf(items), recordings = recordings.Select(r => r.Id),
            missingFiles = recordings.Where(r => !files.ContainsKey(r.Id)).Select(r => r.Id),
        }));
        await StoredZipResult.SendAsync(http, items, $"recordings-{display.ToLocal(now):yyyy-MM-dd-HHmm}.zip", ct);
        return TypedResults.Empty;
    }

    /// <summary>The ids from JSON, or from the panel's form (repeated or comma-separated `ids`, with its antiforgery token).</summary>
    private static async Task<(List<long> Ids, string? Problem)> ReadIdsAsync(HttpContext http, IAntiforgery antiforgery, CancellationToken ct)
    {
        if (http.Request.HasFormContentType)
        {
            try { await antiforgery.ValidateRequestAsync(http); }
            catch (AntiforgeryValidationException) { return ([], "The form's antiforgery token is missing or not valid: download from the panel."); }
            var form = await http.Request.ReadFormAsync(ct);
            var ids = new List<long>();
            foreach (var part in form["ids"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
            {
                if (!long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0) return ([], $"'{part}' is not a recording id.");
                ids.Add(id);
            }
            return (ids.Distinct().ToList(), null);
        }
        try
        {
            var ids = (await http.Request.ReadFromJsonAsync<DownloadRequest>(ct))?.Ids ?? [];
            if (ids.Where(id => id <= 0).Select(id => (long?)id).FirstOrDefault() is { } bad) return ([], $"'{bad}' is not a recording id.");
            return (ids.Distinct().ToList(), null);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or BadHttpRequestException)
        {
            return ([], "The body must be JSON: { \"ids\": [1, 2, …] }.");
        }
    }

    private static string ManifestCsv(IReadOnlyList<Recording> recordings, IReadOnlyDictionary<long, string> files)
    {
        var csv = new CsvText("id", "file", "startedAt", "durationSeconds", "callerNumber", "calleeNumber", "extension", "userName", "team", "type", "callId", "sizeBytes",
            "sha256", "caseNumbers", "tags");
        foreach (var r in recordings)
            csv.Row(CsvText.Number(r.Id), files.GetValueOrDefault(r.Id) ?? "(file missing)", CsvText.Iso(r.StartedAt), CsvText.Seconds(r.DurationMs),
                r.CallerNumber, r.CalleeNumber, r.Extension, r.UserName, r.Team, r.Type.ToString(), r.CallId, CsvText.Number(r.SizeBytes), r.Sha256,
                string.Join(" ", r.Cases.Select(c => c.CaseNumber).Order()), string.Join(" ", r.Tags.Select(t => t.Tag).Order()));
        return csv.ToString();
    }

    private static string Readme(int recordings, int files, string by, DateTime nowUtc) => $"""
        Call recordings / Nagrania rozmów

        {recordings} recording(s), {files} file(s), downloaded {nowUtc:yyyy-MM-dd HH:mm} UTC by {by}.

        Each file is the original exactly as the phone system stored it, named date_time_caller_callee_id.
        manifest.csv lists every recording: time (UTC), numbers, agent, team, call type, call id, size, SHA-256 (computed
        when the recording arrived), case numbers and tags. `sha256sum FILE` shows a file is unchanged.
        """;
}
