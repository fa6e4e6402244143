using System.Diagnostics;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Shared.Telemetry;

using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Features.Retention;

/// <summary>What one rule did in a purge: recordings deleted (or, in a dry run, due), and expired ones kept by a legal hold.</summary>
public sealed record RulePurge(RetentionRule Rule, int Deleted, int KeptOnHold);

public sealed record PurgeReport(bool DryRun, IReadOnlyList<RulePurge> Rules, int FinishedFromEarlierRun, int FilesStillPending, TimeSpan Took)
{
    /// <summary>What the other steps (<see cref="IRetentionPurgeStep"/>) deleted, by name.</summary>
    public IReadOnlyList<(string Name, int Deleted)> Others { get; init; } = [];

    public int Deleted => Rules.Sum(r => r.Deleted);
    public int KeptOnHold => Rules.Sum(r => r.KeptOnHold);
}

/// <summary>
/// The daily purge: every recording past its rule's period and not on legal hold is erased, in small batches in the order
/// they expired, with a pause between batches so the panel and ingestion keep the database. Stopping it anywhere is safe:
/// what was erased stays erased (tombstones), files a stopped run could not remove are removed first by the next run.
/// </summary>
public sealed class RetentionPurgeJob(
    IDbContextFactory<AppDbContext> dbs, RetentionPolicies policies, RecordingEraser eraser, AuditLog audit, TimeProvider time,
    IOptions<RetentionOptions> options, ILogger<RetentionPurgeJob> log, IEnumerable<IRetentionPurgeStep> steps)
{
    public const string Id = "retention-purge";
    public const string Actor = "system (retention)";

    [AutomaticRetry(Attempts = 3)]
    [DisableConcurrentExecution(timeoutInSeconds: 6 * 3600)]
    public Task RunAsync(CancellationToken ct) => PurgeAsync(dryRun: false, ct);

    public async Task<PurgeReport> PurgeAsync(bool dryRun, CancellationToken ct = default)
    {
        using var span = AppTelemetry.StartPurge(dryRun);
        var watch = Stopwatch.StartNew();
        var now = time.GetUtcNow().UtcDateTime;
        var policy = await policies.CurrentAsync(ct, fresh: true);
        var finished = dryRun ? 0 : await eraser.CompletePendingAsync(ct);
        var results = new List<RulePurge>();
        foreach (var rule in policy.Rules.Where(r => r.Days is not null).OrderByDescending(r => r.Specificity))
        {
            var deleted = dryRun ? await CountAsync(policy, rule, now, held: false, ct) : await PurgeRuleAsync(policy, rule, now, ct);
            results.Add(new RulePurge(rule, deleted, await CountAsync(policy, rule, now, held: true, ct)));
        }
        var others = new List<(string Name, int Deleted)>();
        foreach (var step in steps) others.Add((step.Name, await step.PurgeAsync(now, dryRun, ct)));
        var report = new PurgeReport(dryRun, results, finished, dryRun ? 0 : await eraser.PendingCountAsync(ct), watch.Elapsed) { Others = others };
        await audit.AppendAsync(new AuditActor(Actor, null), AuditActions.RetentionPurge, AuditOutcomes.Success, details: AuditLog.Details(new
        {
            dryRun,
            deleted = report.Deleted,
            keptOnHold = report.KeptOnHold,
            rules = results.Select(r => new { rule = r.Rule.Describe(), deleted = r.Deleted, keptOnHold = r.KeptOnHold }),
            finishedFromEarlierRun = finished,
            others = others.Count == 0 ? null : others.Select(o => new { name = o.Name, deleted = o.Deleted }),
            filesStillPending = report.FilesStillPending,
            seconds = Math.Round(watch.Elapsed.TotalSeconds, 1),
        }));
        AppTelemetry.Purged(span, report.Deleted, report.KeptOnHold);
        log.LogInformation("Retention purge (dry run: {DryRun}): {Deleted} deleted, {Held} kept on hold, in {Seconds:0.0} s",
            dryRun, report.Deleted, report.KeptOnHold, watch.Elapsed.TotalSeconds);
        return report;
    }

    private async Task<int> CountAsync(RetentionPolicy policy, RetentionRule rule, DateTime now, bool held, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await policy.ExpiredUnder(db.Recordings, rule, now).CountAsync(r => r.LegalHold == held, ct);
    }

    /// <summary>Walks the rule's expired recordings oldest first by keyset, so held ones are stepped over once, not rescanned.</summary>
    private async Task<int> PurgeRuleAsync(RetentionPolicy policy, RetentionRule rule, DateTime now, CancellationToken ct)
    {
        var (batchSize, pause) = (options.Value.BatchSize, TimeSpan.FromMilliseconds(options.Value.BatchPauseMs));
        var why = rule.Describe();
        var deleted = 0;
        (DateTime At, long Id)? after = null;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            List<(DateTime At, long Id)> batch;
            await using (var db = await dbs.CreateDbContextAsync(ct))
            {
                var expired = policy.ExpiredUnder(db.Recordings, rule, now).Where(r => !r.LegalHold);
                if (after is { } a) expired = expired.Where(r => r.StartedAt > a.At || (r.StartedAt == a.At && r.Id > a.Id));
                batch = (await expired.OrderBy(r => r.StartedAt).ThenBy(r => r.Id).Select(r => new { r.StartedAt, r.Id }).Take(batchSize).ToListAsync(ct))
                    .Select(r => (r.StartedAt, r.Id)).ToList();
            }
            if (batch.Count == 0) return deleted;
            // Audited in the transaction that makes the rows tombstones (before the files go), and only for what this run
            // erased itself: another instance purging at the same moment audits the rest.
            var result = await eraser.EraseAsync(batch.Select(b => new Erasure(b.Id, why)).ToList(), ErasureCause.Retention, Actor, ct,
                audited: (_, erased) => Task.FromResult<IReadOnlyList<AuditDraft>>(erased.Erased.Count == 0 ? [] : [new AuditDraft(new AuditActor(Actor, null),
                    AuditActions.RecordingDeleted, AuditOutcomes.Success, Details: AuditLog.Details(new
                    {
                        cause = "retention", rule = why, count = erased.Erased.Count, recordings = erased.Erased.Select(t => t.Id),
                    }))]));
            deleted += result.Erased.Count;
            after = batch[^1];
            if (pause > TimeSpan.Zero) await Task.Delay(pause, ct);
        }
    }
}
