using System.Security.Claims;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Features.Watches;

/// <summary>
/// Turns arrivals into notifications: follows the audit log for new recordings (<see cref="AuditActions.Ingest"/>) and
/// case numbers added later (<see cref="AuditActions.CaseAdded"/>), and writes one <see cref="Notification"/> for each
/// watch whose search lists the recording for its watcher as the watcher's account stands now (<see cref="Watchers"/>):
/// a recording outside their scope at that moment is never announced to them. The rows are committed with the log
/// position, so an arrival is announced once, also after a crash or on several instances.
/// </summary>
public sealed class WatchFollower(
    IDbContextFactory<AppDbContext> dbs, AuditLog audit, IServiceScopeFactory scopes, WatchNotices notices, TimeProvider time,
    IOptions<SmtpOptions> smtp, IBackgroundJobClient jobs, ILogger<WatchFollower> logger)
    : AuditFollower(dbs, audit, logger)
{
    protected override string Name => "watches";

    protected override IReadOnlyCollection<string> Actions => [AuditActions.Ingest, AuditActions.CaseAdded];

    protected override TimeSpan Poll => TimeSpan.FromSeconds(3);

    protected override async Task HandleAsync(AppDbContext db, IReadOnlyList<AuditEntry> entries, CancellationToken ct)
    {
        var arrived = entries.Where(e => e.Action == AuditActions.Ingest && e.Outcome == AuditOutcomes.Success && e.RecordingId is not null)
            .Select(e => e.RecordingId!.Value).Distinct().ToList();
        var casesAdded = entries.Where(e => e.Action == AuditActions.CaseAdded && e.Outcome == AuditOutcomes.Success && e.RecordingId is not null)
            .Select(e => (Recording: e.RecordingId!.Value, Case: e.DetailText("value"))).Where(c => c.Case is not null).ToList();
        if (arrived.Count == 0 && casesAdded.Count == 0) return;

        var watches = await db.Set<Watch>().AsNoTracking().Where(w => w.RemovedAt == null).ToListAsync(ct);
        var candidates = new List<(Watch Watch, List<long> Ids)>();
        foreach (var watch in watches)
        {
            var ids = new List<long>(arrived);
            if (watch.Kind == WatchKind.Case)
                ids.AddRange(casesAdded.Where(c => string.Equals(c.Case, watch.Value, StringComparison.OrdinalIgnoreCase)).Select(c => c.Recording));
            if (ids.Count > 0) candidates.Add((watch, ids.Distinct().ToList()));
        }
        if (candidates.Count == 0) return;

        var allIds = candidates.SelectMany(c => c.Ids).Distinct().ToList();
        var watchIds = candidates.Select(c => c.Watch.Id).ToList();
        var known = (await db.Set<Notification>().AsNoTracking().Where(n => watchIds.Contains(n.WatchId) && allIds.Contains(n.RecordingId))
            .Select(n => new { n.WatchId, n.RecordingId }).ToListAsync(ct)).Select(n => (n.WatchId, n.RecordingId)).ToHashSet();

        await using var scope = scopes.CreateAsyncScope();
        var watchers = scope.ServiceProvider.GetRequiredService<Watchers>();
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var mine in candidates.GroupBy(c => c.Watch.UserId))
        {
            // The account as it is now: a changed team, a disabled account or a lost permission count from this moment.
            if (await watchers.CurrentAsync(mine.Key) is not (_, var principal)) continue;
            foreach (var (watch, ids) in mine)
            {
                foreach (var id in await MatchingAsync(db, watch, principal, ids, ct))
                {
                    if (!known.Add((watch.Id, id))) continue;
                    db.Add(new Notification { UserId = watch.UserId, WatchId = watch.Id, RecordingId = id, CreatedAt = now });
                }
            }
        }
    }

    /// <summary>Which of <paramref name="ids"/> the watch's search lists for the watcher: the panel's own search and scope.</summary>
    public static Task<List<long>> MatchingAsync(AppDbContext db, Watch watch, ClaimsPrincipal watcher, IReadOnlyCollection<long> ids, CancellationToken ct) =>
        RecordingSearch.Filter(db, watch.Filter).VisibleTo(db, watcher).Where(r => ids.Contains(r.Id)).Select(r => r.Id).ToListAsync(ct);

    protected override async Task AfterCommitAsync(CancellationToken ct)
    {
        notices.Wake();
        if (!smtp.Value.IsConfigured) return;
        // Queued only when there is something to mail (a batch of arrivals nobody watches queues nothing); the recurring
        // run picks up what a stop right here left behind.
        await using var scope = scopes.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(ct);
        var since = time.GetUtcNow().UtcDateTime - WatchMailJob.MaxAge;
        if (await db.Set<Notification>().AnyAsync(n => n.MailHandledAt == null && n.CreatedAt >= since, ct))
            jobs.Enqueue<WatchMailJob>(j => j.RunAsync(CancellationToken.None));
    }
}
