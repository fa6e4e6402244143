using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Features.Watches;

/// <summary>A person's watch as their list shows it.</summary>
public sealed record WatchRow(long Id, WatchKind Kind, string Value, DateTime CreatedAt);

/// <summary>A notification as the bell and the list show it: when, which call, which watch.</summary>
public sealed record NotificationRow(
    long Id, long RecordingId, DateTime CreatedAt, DateTime? ReadAt, DateTime StartedAt, string CallerNumber, string CalleeNumber, WatchKind Kind, string Value);

/// <summary>
/// Making, listing and removing one's watches, and reading one's notifications. Only someone who may search may watch; the
/// person is the signed-in account (<see cref="UserIdOf"/>). Creating and removing are audited.
/// </summary>
public sealed class Watchlist(IDbContextFactory<AppDbContext> dbs, AuditLog audit, TimeProvider time)
{
    public const int MaxValueLength = 100;

    /// <summary>The account id a sign-in puts in the cookie; null for API keys and people without an account.</summary>
    public static string? UserIdOf(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && user.FindFirstValue(ApiKeyScopes.Claim) is null ? user.FindFirstValue(ClaimTypes.NameIdentifier) : null;

    public static bool MayWatch(ClaimsPrincipal user) => UserIdOf(user) is not null && Permissions.Allows(user, Policies.ListenRecordings);

    /// <summary>The watches a search stands for: one for each of its number, case and extension that is set.</summary>
    public static IReadOnlyList<(WatchKind Kind, string Value)> From(RecordingFilter filter)
    {
        var result = new List<(WatchKind, string)>();
        if (Clean(filter.Number) is { } number && IsNumber(number)) result.Add((WatchKind.Number, number));
        if (Clean(filter.Case) is { } caseNumber) result.Add((WatchKind.Case, caseNumber));
        if (Clean(filter.Extension) is { } extension) result.Add((WatchKind.Extension, extension));
        return result;
    }

    /// <summary>
    /// Starts watching each of <paramref name="what"/> (one already watched is kept as it is). Returns how many are new;
    /// null when the person may not watch.
    /// </summary>
    public async Task<int?> AddAsync(ClaimsPrincipal user, AuditActor by, IEnumerable<(WatchKind Kind, string Value)> what, CancellationToken ct = default)
    {
        if (!MayWatch(user)) return null;
        var userId = UserIdOf(user)!;
        var added = 0;
        foreach (var (kind, raw) in what)
        {
            if (Clean(raw) is not { } value || kind == WatchKind.Number && !IsNumber(value)) continue;
            var (isNew, _) = await audit.InTransactionAsync<bool>(async db =>
            {
                if (await db.Set<Watch>().AnyAsync(w => w.UserId == userId && w.Kind == kind && w.Value == value && w.RemovedAt == null, ct))
                    return (false, []);
                var watch = new Watch { UserId = userId, Kind = kind, Value = value, CreatedAt = time.GetUtcNow().UtcDateTime };
                db.Add(watch);
                await db.SaveChangesAsync(ct);
                return (true, [new AuditDraft(by, AuditActions.WatchCreated, AuditOutcomes.Success,
                    Details: AuditLog.Details(new { watch = watch.Id, kind = kind.ToString(), value }))]);
            }, ct);
            if (isNew) added++;
        }
        return added;
    }

    /// <summary>Stops a watch of the person's own; false when there is no such watch of theirs.</summary>
    public async Task<bool> RemoveAsync(ClaimsPrincipal user, AuditActor by, long watchId, CancellationToken ct = default)
    {
        if (UserIdOf(user) is not { } userId) return false;
        var (removed, _) = await audit.InTransactionAsync<bool>(async db =>
        {
            var watch = await db.Set<Watch>().FirstOrDefaultAsync(w => w.Id == watchId && w.UserId == userId && w.RemovedAt == null, ct);
            if (watch is null) return (false, []);
            watch.RemovedAt = time.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(ct);
            return (true, [new AuditDraft(by, AuditActions.WatchRemoved, AuditOutcomes.Success,
                Details: AuditLog.Details(new { watch = watch.Id, kind = watch.Kind.ToString(), value = watch.Value }))]);
        }, ct);
        return removed;
    }

    public async Task<IReadOnlyList<WatchRow>> ListAsync(ClaimsPrincipal user, CancellationToken ct = default)
    {
        if (UserIdOf(user) is not { } userId) return [];
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Set<Watch>().AsNoTracking().Where(w => w.UserId == userId && w.RemovedAt == null)
            .OrderByDescending(w => w.Id).Select(w => new WatchRow(w.Id, w.Kind, w.Value, w.CreatedAt)).ToListAsync(ct);
    }

    /// <summary>Unread notifications of recordings the person still sees.</summary>
    public async Task<int> UnreadCountAsync(ClaimsPrincipal user, CancellationToken ct = default)
    {
        if (UserIdOf(user) is not { } userId) return 0;
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await Mine(db, user, userId).CountAsync(n => n.ReadAt == null, ct);
    }

    /// <summary>The newest notifications of recordings the person still sees (an erased or out-of-scope call drops out).</summary>
    public async Task<IReadOnlyList<NotificationRow>> RecentAsync(ClaimsPrincipal user, int count, CancellationToken ct = default)
    {
        if (UserIdOf(user) is not { } userId) return [];
        await using var db = await dbs.CreateDbContextAsync(ct);
        var visible = db.Recordings.AsNoTracking().VisibleTo(db, user);
        return await (
            from n in Mine(db, user, userId)
            join r in visible on n.RecordingId equals r.Id
            join w in db.Set<Watch>() on n.WatchId equals w.Id
            orderby n.Id descending
            select new NotificationRow(n.Id, n.RecordingId, n.CreatedAt, n.ReadAt, r.StartedAt, r.CallerNumber, r.CalleeNumber, w.Kind, w.Value))
            .Take(count).ToListAsync(ct);
    }

    public async Task MarkReadAsync(ClaimsPrincipal user, long? notificationId, CancellationToken ct = default)
    {
        if (UserIdOf(user) is not { } userId) return;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        await db.Set<Notification>().Where(n => n.UserId == userId && n.ReadAt == null && (notificationId == null || n.Id == notificationId))
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
    }

    private static IQueryable<Notification> Mine(AppDbContext db, ClaimsPrincipal user, string userId)
    {
        var visible = db.Recordings.AsNoTracking().VisibleTo(db, user).Select(r => r.Id);
        return db.Set<Notification>().AsNoTracking().Where(n => n.UserId == userId && visible.Contains(n.RecordingId));
    }

    /// <summary>As the search takes a number: digits (spaces, +, - and brackets ignored); anything else would match every call.</summary>
    private static bool IsNumber(string value) => PhoneNumber.LooksLikeNumber(value) && PhoneNumber.NormalizeFragment(value).Length > 0;

    private static string? Clean(string? value) => value?.Trim() is { Length: > 0 and <= MaxValueLength } v ? v : null;
}
