using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Access;
using NagrywanieRozmow.Features.Audit;
using NagrywanieRozmow.Features.Retention;
using NagrywanieRozmow.Shared.Telemetry;
using NagrywanieRozmow.Shared.Time;

namespace NagrywanieRozmow.Features.Recordings;

public sealed record SearchResponse(IReadOnlyList<RecordingJson> Items, string? NextCursor, int Total, bool TotalIsEstimate);

public static class RecordingsApi
{
    public static IEndpointRouteBuilder MapRecordingsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/recordings").RequireAuthorization(Policies.ListenRecordings).WithTags("Recordings");
        group.MapGet("/", SearchAsync);
        group.MapGet("/{id:long}", GetAsync);
        return app;
    }

    private static async Task<Results<Ok<SearchResponse>, ValidationProblem>> SearchAsync(
        HttpRequest request, IDbContextFactory<AppDbContext> dbs, DisplayTime time, TimeProvider clock, AuditLog audit, RetentionPolicies policies, CancellationToken ct)
    {
        var query = RecordingQuery.Parse(request.Query, time, clock.GetUtcNow().UtcDateTime);
        if (!query.IsValid) return TypedResults.ValidationProblem(query.Errors, title: "The search has invalid values.");
        // A search is audited once, when it starts; following its cursor is paging, not a new search.
        if (query.Cursor is null)
            await audit.AppendAsync(request.HttpContext, AuditActions.Search, AuditOutcomes.Success, details: RecordingSearch.Describe(query.Filter));

        using var timing = AppTelemetry.Search(query.Filter, "api", nextPage: query.Cursor is not null);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var scoped = RecordingSearch.WithoutNumber(db, query.Filter).VisibleTo(request.HttpContext.User);
        var (total, estimate) = await RecordingSearch.CountAsync(RecordingSearch.MatchNumber(db, scoped, query.Filter.Number), ct);

        var page = scoped;
        if (query.Cursor is not null && KeysetCursor.TryDecode(query.Cursor, query.Filter.Sort) is { } position)
            page = RecordingSearch.After(page, query.Filter.Sort, position.Value, position.Id);
        // One row more than asked tells whether there is a next page without counting.
        var keys = await RecordingSearch.PageAsync(db, page, query.Filter.Number, query.Filter.Sort, 0, query.PageSize + 1, RecordingSearch.Keys, ct);
        var hasMore = keys.Count > query.PageSize;
        if (hasMore) keys.RemoveAt(keys.Count - 1);
        var ids = keys.Select(k => k.Id).ToList();
        var json = (await db.Recordings.AsNoTracking().Where(r => ids.Contains(r.Id)).Select(RecordingJson.FromEntity).ToListAsync(ct)).ToDictionary(j => j.Id);
        var next = hasMore ? KeysetCursor.Encode(query.Filter.Sort, keys[^1].ValueFor(query.Filter.Sort), keys[^1].Id) : null;
        var policy = await policies.CurrentAsync(ct);
        return TypedResults.Ok(new SearchResponse(ids.Select(id => json[id].WithRetention(policy)).ToList(), next, total, estimate));
    }

    private static async Task<Results<Ok<RecordingJson>, ProblemHttpResult>> GetAsync(
        long id, HttpContext http, IDbContextFactory<AppDbContext> dbs, AuditLog audit, RetentionPolicies policies, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var recording = await db.Recordings.AsNoTracking().VisibleTo(http.User).Where(r => r.Id == id).Select(RecordingJson.FromEntity).FirstOrDefaultAsync(ct);
        if (recording is not null) return TypedResults.Ok(recording.WithRetention(await policies.CurrentAsync(ct)));
        return await NotFoundAsync(id, http, audit);
    }

    /// <summary>A recording's JSON as every endpoint that changes it answers (with the retention of the day).</summary>
    public static async Task<RecordingJson> JsonOfAsync(long id, IDbContextFactory<AppDbContext> dbs, RetentionPolicies policies, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var json = await db.Recordings.AsNoTracking().Where(r => r.Id == id).Select(RecordingJson.FromEntity).FirstAsync(ct);
        return json.WithRetention(await policies.CurrentAsync(ct));
    }

    /// <summary>404 for an id that does not exist or lies outside the caller's scope (the same answer, so nothing leaks), audited.</summary>
    public static async Task<ProblemHttpResult> NotFoundAsync(long id, HttpContext http, AuditLog audit)
    {
        await audit.RecordingNotFoundAsync(http, id);
        return TypedResults.Problem($"There is no recording {id}.", statusCode: StatusCodes.Status404NotFound, title: "Recording not found");
    }
}
