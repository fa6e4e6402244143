using System.Linq.Expressions;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Shared.Telemetry;

namespace NagrywanieRozmow.Features.Recordings;

/// <summary>
/// One page of a search as someone asked for it, from the panel or the API. <see cref="Continues"/> says it is the same
/// search as before (the API follows a cursor, the panel sorts or pages), which is not audited again.
/// </summary>
public sealed record SearchRequest(
    RecordingFilter Filter, ClaimsPrincipal User, AuditActor By, string Surface, int Take, bool Continues, int Skip = 0, string? Cursor = null);

public sealed record SearchPage<T>(IReadOnlyList<T> Rows, int Total, bool TotalIsEstimate, string? NextCursor);

/// <summary>
/// The search use case, written once for the panel and the API: the audit entry of a new search, the timing, the caller's
/// scope, the capped count and one page (by offset or by cursor), then the rows the surface shows.
/// </summary>
public sealed class RecordingFinder(IDbContextFactory<AppDbContext> dbs, AuditLog audit)
{
    public async Task<SearchPage<T>> SearchAsync<T>(SearchRequest request, Expression<Func<Recording, T>> select, Func<T, long> idOf, CancellationToken ct)
    {
        var filter = request.Filter;
        if (!request.Continues)
            await audit.AppendAsync(request.By, AuditActions.Search, AuditOutcomes.Success, details: RecordingSearch.Describe(filter));

        using var timing = AppTelemetry.Search(filter.Kind, filter.Sort.Field.ToString(), request.Surface, nextPage: request.Continues);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var scoped = RecordingSearch.WithoutNumber(db, filter).VisibleTo(db, request.User);
        var (total, estimate) = await RecordingSearch.CountAsync(RecordingSearch.MatchNumber(db, scoped, filter.Number), ct);

        var page = scoped;
        if (request.Cursor is not null && KeysetCursor.TryDecode(request.Cursor, filter.Sort) is { } position)
            page = RecordingSearch.After(page, filter.Sort, position.Value, position.Id);
        // One row more than asked tells whether there is a next page without counting.
        var keys = await RecordingSearch.PageAsync(db, page, filter.Number, filter.Sort, request.Skip, request.Take + 1, RecordingSearch.Keys, ct);
        var hasMore = keys.Count > request.Take;
        if (hasMore) keys.RemoveAt(keys.Count - 1);
        var ids = keys.Select(k => k.Id).ToList();
        var rows = (await db.Recordings.AsNoTracking().Where(r => ids.Contains(r.Id)).Select(select).ToListAsync(ct)).ToDictionary(idOf);
        var next = hasMore ? KeysetCursor.Encode(filter.Sort, keys[^1].ValueFor(filter.Sort), keys[^1].Id) : null;
        return new SearchPage<T>(ids.Select(id => rows[id]).ToList(), total, estimate, next);
    }

    /// <summary>The ids of the first <paramref name="limit"/> recordings the filter finds in the caller's scope, in the search's order.</summary>
    public async Task<List<long>> MatchingIdsAsync(RecordingFilter filter, ClaimsPrincipal user, int limit, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await RecordingSearch.Sort(RecordingSearch.Filter(db, filter).VisibleTo(db, user), filter.Sort).Select(r => r.Id).Take(limit).ToListAsync(ct);
    }
}
