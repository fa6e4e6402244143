using System.Collections.Concurrent;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NagrywanieRozmow.Data;

namespace NagrywanieRozmow.Features.Webhooks;

/// <summary>Wakes the sweep: a retry was scheduled, a delivery is to be sent again, an endpoint was switched back on.</summary>
public sealed class WebhookSignal
{
    private TaskCompletionSource next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Next => Volatile.Read(ref next).Task;

    public void Wake() => Interlocked.Exchange(ref next, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}

/// <summary>
/// Queues a job for every due delivery: at start (on SQLite the job queue is in memory and did not survive the restart),
/// when a retry falls due, and every <see cref="WebhooksOptions.SweepSeconds"/> (a job lost with a crashed instance, an
/// attempt cut off mid-flight whose claim lapsed). A job queued twice is harmless: only one claims the attempt.
/// </summary>
public sealed class WebhookSweep(
    IDbContextFactory<AppDbContext> dbs, IBackgroundJobClient jobs, IOptions<WebhooksOptions> options, TimeProvider time, WebhookSignal signal,
    ILogger<WebhookSweep> logger) : BackgroundService
{
    private const int BatchSize = 500;

    /// <summary>What this instance queued, and for which due time, so a delivery waiting in the queue is not queued again for the same attempt.</summary>
    private readonly ConcurrentDictionary<long, DateTime> queued = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var woken = signal.Next;
            var wait = TimeSpan.FromSeconds(options.Value.SweepSeconds);
            try
            {
                wait = await SweepAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Queueing due webhook deliveries failed; trying again shortly");
            }
            await Task.WhenAny(woken, Task.Delay(wait, time, stoppingToken));
        }
    }

    /// <summary>Queues what is due; returns how long until the next delivery falls due (at most the sweep interval).</summary>
    public async Task<TimeSpan> SweepAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var interval = TimeSpan.FromSeconds(options.Value.SweepSeconds);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var enabled = db.Set<WebhookEndpoint>().Where(e => e.Enabled).Select(e => e.Id);
        var pending = db.Set<WebhookDelivery>().Where(d => d.State == DeliveryState.Pending && enabled.Contains(d.EndpointId));
        var due = await pending.Where(d => d.NextAttemptAt <= now).OrderBy(d => d.NextAttemptAt)
            .Select(d => new { d.Id, d.NextAttemptAt }).Take(BatchSize).ToListAsync(ct);
        foreach (var d in due)
        {
            // The same due time queued less than a claim ago: its job is still waiting for a worker.
            if (queued.TryGetValue(d.Id, out var at) && at == d.NextAttemptAt && now - d.NextAttemptAt < options.Value.Claim) continue;
            queued[d.Id] = d.NextAttemptAt;
            WebhookDeliveryJob.Enqueue(jobs, d.Id);
        }
        foreach (var old in queued.Where(q => now - q.Value > options.Value.Claim * 2).Select(q => q.Key).ToList()) queued.TryRemove(old, out _);
        if (due.Count == BatchSize) return TimeSpan.FromSeconds(1);
        var next = await pending.Where(d => d.NextAttemptAt > now).MinAsync(d => (DateTime?)d.NextAttemptAt, ct);
        if (next is not { } n) return interval;
        var until = n - now + TimeSpan.FromMilliseconds(50);
        return until < interval ? until : interval;
    }
}
