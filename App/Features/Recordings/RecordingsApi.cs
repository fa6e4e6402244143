using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Shared.Api;
using NagrywanieRozmow.Shared.Time;

namespace NagrywanieRozmow.Features.Recordings;

public sealed record SearchResponse(IReadOnlyList<RecordingJson> Items, string? NextCursor, int Total, bool TotalIsEstimate);

public static class RecordingsApi
{
    public static IEndpointRouteBuilder MapRecordingsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/recordings").RequireAuthorization(Policies.ListenRecordings).WithTags("Recordings");
        group.MapGet("/", SearchAsync).WithSummary("Search recordings (filters, sort and cursor paging in the query string)").WithQueryParameters(RecordingQuery.Known);
        group.MapGet("/{id:long}", GetAsync).WithSummary("Get one recording");
        return app;
    }

    private static async Task<Results<Ok<SearchResponse>, ValidationProblem>> SearchAsync(
        HttpContext http, RecordingFinder finder, DisplayTime time, TimeProvider clock, IRetentionSchedule retention, CancellationToken ct)
    {
        var query = RecordingQuery.Parse(http.Request.Query, time, clock.GetUtcNow().UtcDateTime);
        if (!query.IsValid) return TypedResults.ValidationProblem(query.Errors, title: "The search has invalid values.");
        // A search is audited once, when it starts; following its cursor is paging, not a new search.
        var request = new SearchRequest(query.Filter, http.User, AuditActor.Of(http.User, http.Connection.RemoteIpAddress?.ToString()), "api",
            query.PageSize, Continues: query.Cursor is not null, Cursor: query.Cursor);
        var page = await finder.SearchAsync(request, RecordingJson.FromEntity, j => j.Id, ct);
        var retainUntil = await retention.CurrentAsync(ct);
        return TypedResults.Ok(new SearchResponse(page.Rows.Select(j => j.WithRetention(retainUntil)).ToList(), page.NextCursor, page.Total, page.TotalIsEstimate));
    }

    private static async Task<Results<Ok<RecordingJson>, ProblemHttpResult>> GetAsync(
        long id, HttpContext http, IDbContextFactory<AppDbContext> dbs, AuditLog audit, IRetentionSchedule retention, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var recording = await db.Recordings.AsNoTracking().VisibleTo(db, http.User).Where(r => r.Id == id).Select(RecordingJson.FromEntity).FirstOrDefaultAsync(ct);
        if (recording is not null) return TypedResults.Ok(recording.WithRetention(await retention.CurrentAsync(ct)));
        return await NotFoundAsync(id, http, audit);
    }

    /// <summary>A recording's JSON as every endpoint that changes it answers (with the retention of the day).</summary>
    public static async Task<RecordingJson> JsonOfAsync(long id, IDbContextFactory<AppDbContext> dbs, IRetentionSchedule retention, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var json = await db.Recordings.AsNoTracking().Where(r => r.Id == id).Select(RecordingJson.FromEntity).FirstAsync(ct);
        return json.WithRetention(await retention.CurrentAsync(ct));
    }

    /// <summary>404 for an id that does not exist or lies outside the caller's scope (the same answer, so nothing leaks), audited.</summary>
    public static async Task<ProblemHttpResult> NotFoundAsync(long id, HttpContext http, AuditLog audit)
    {
        await audit.RecordingNotFoundAsync(http, id);
        return TypedResults.Problem($"There is no recording {id}.", statusCode: StatusCodes.Status404NotFound, title: "Recording not found");
    }
}
