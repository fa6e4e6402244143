using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Data;

namespace NagrywanieRozmow.Features.Watches;

/// <summary>
/// Tells open panels that a person's notifications changed, by the person's account id: each bell listens once per
/// circuit and counts again only when its own person is named. <see cref="WatchNoticesPoller"/> reads the new rows (this
/// instance's, woken by <see cref="Wake"/>, or another instance's within a poll) and names their people. Listeners are
/// called on the thread pool; one that fails never reaches the others.
/// </summary>
public sealed class WatchNotices(ILogger<WatchNotices> logger)
{
    private TaskCompletionSource woken = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public event Action<string>? Changed;

    /// <summary>Completes at the next <see cref="Wake"/>.</summary>
    internal Task Woken => Volatile.Read(ref woken).Task;

    /// <summary>New notifications were committed here: the poller reads them now rather than at its next tick.</summary>
    public void Wake() => Interlocked.Exchange(ref woken, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Returns at once; the listeners are called on the thread pool.</summary>
    public void Announce(IReadOnlyCollection<string> userIds)
    {
        if (userIds.Count == 0 || Changed is null) return;
        ThreadPool.UnsafeQueueUserWorkItem(ids => Raise(ids), userIds, preferLocal: false);
    }

    private void Raise(IReadOnlyCollection<string> userIds)
    {
        if (Changed is not { } listeners) return;
        foreach (var listener in listeners.GetInvocationList().Cast<Action<string>>())
        {
            foreach (var userId in userIds)
            {
                try
                {
                    listener(userId);
                }
                catch (Exception e)
                {
                    logger.LogWarning(e, "A listener of notifications failed");
                }
            }
        }
    }
}

/// <summary>
/// Reads notifications written since it last looked (one indexed query on the primary key) when this instance wrote some,
/// and every <see cref="Interval"/> for those another instance wrote, and tells the open panels whose they are.
/// </summary>
public sealed class WatchNoticesPoller(IDbContextFactory<AppDbContext> dbs, WatchNotices notices, ILogger<WatchNoticesPoller> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(3);

    private long seen = -1;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var woken = notices.Woken;
            try
            {
                await using var db = await dbs.CreateDbContextAsync(stoppingToken);
                if (seen < 0)
                {
                    seen = await db.Set<Notification>().MaxAsync(n => (long?)n.Id, stoppingToken) ?? 0;
                }
                else
                {
                    var fresh = await db.Set<Notification>().AsNoTracking().Where(n => n.Id > seen)
                        .GroupBy(n => n.UserId).Select(g => new { UserId = g.Key, Last = g.Max(n => n.Id) }).ToListAsync(stoppingToken);
                    if (fresh.Count > 0)
                    {
                        seen = fresh.Max(f => f.Last);
                        notices.Announce(fresh.Select(f => f.UserId).ToList());
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A database that is down or not migrated yet: the next round tries again.
                logger.LogDebug(e, "Could not read new notifications");
            }
            try
            {
                await Task.WhenAny(woken, Task.Delay(Interval, stoppingToken));
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
