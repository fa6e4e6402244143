using System.Diagnostics;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Shared.Storage;

namespace NagrywanieRozmow.Features.Retention;

/// <summary>What one archive run did.</summary>
/// <param name="Resumed">Moves an earlier, stopped run had begun, finished by this one.</param>
/// <param name="Failed">Recordings left in the hot store: the file is missing or its bytes differ from the recorded SHA-256.</param>
public sealed record ArchiveReport(int Archived, long Bytes, int Resumed, IReadOnlyList<long> Failed, TimeSpan Took)
{
    public double FilesPerSecond => Took.TotalSeconds > 0 ? Archived / Took.TotalSeconds : 0;
    public double MegabytesPerSecond => Took.TotalSeconds > 0 ? Bytes / 1_000_000.0 / Took.TotalSeconds : 0;
}

/// <summary>
/// The daily archive job: every hot recording past its rule's "archive after" period moves to the archive store, in small
/// batches, oldest first. A recording keeps its id, hash, holds and audit trail; only where its file lies changes. Each
/// batch is written down first (<see cref="ArchiveMove"/>), copied and checked against the recorded SHA-256, then its rows
/// say "archive" in the transaction that audits the batch (<c>recording.archived</c>), and only then do the hot copies go.
/// Killed anywhere, the next run finishes what was begun: a file is never lost, and never left in both places.
/// </summary>
public sealed class RetentionArchiveJob(
    IDbContextFactory<AppDbContext> dbs, RetentionPolicies policies, IRecordingArchive archive, IRecordingStore store, AuditLog audit,
    TimeProvider time, IOptions<RetentionOptions> options, ILogger<RetentionArchiveJob> log)
{
    public const string Id = "retention-archive";
    public const string Actor = "system (archive)";

    private sealed record Candidate(long Id, string StorageKey, string Sha256, long SizeBytes);

    [AutomaticRetry(Attempts = 3)]
    [DisableConcurrentExecution(timeoutInSeconds: 6 * 3600)]
    public Task RunAsync(CancellationToken ct) => ArchiveAsync(ct);

    public async Task<ArchiveReport> ArchiveAsync(CancellationToken ct = default)
    {
        var watch = Stopwatch.StartNew();
        if (archive.Kind == ArchiveKind.None)
        {
            log.LogInformation("No archive store is configured (Storage:ArchivePath or Storage:ArchiveTier): nothing is archived");
            return new ArchiveReport(0, 0, 0, [], watch.Elapsed);
        }
        var now = time.GetUtcNow().UtcDateTime;
        var failed = new List<long>();
        var (resumed, resumedBytes) = await ResumeAsync(failed, ct);
        var policy = await policies.CurrentAsync(ct, fresh: true);
        var (archived, bytes) = (0, 0L);
        foreach (var rule in policy.Rules.Where(r => r.ArchiveDays is not null).OrderByDescending(r => r.Specificity))
        {
            var (a, b) = await ArchiveRuleAsync(policy, rule, now, failed, ct);
            archived += a;
            bytes += b;
        }
        var report = new ArchiveReport(archived + resumed, bytes + resumedBytes, resumed, failed, watch.Elapsed);
        await audit.AppendAsync(new AuditActor(Actor, null), AuditActions.RetentionArchive, failed.Count == 0 ? AuditOutcomes.Success : AuditOutcomes.Failed,
            details: AuditLog.Details(new
            {
                archive = archive.Kind.ToString(),
                archived = report.Archived,
                bytes = report.Bytes,
                resumedFromEarlierRun = resumed,
                failed = failed.Count == 0 ? null : failed,
                seconds = Math.Round(watch.Elapsed.TotalSeconds, 1),
            }));
        log.LogInformation("Archive run ({Kind}): {Archived} recordings, {Bytes} bytes, {Failed} failed, in {Seconds:0.0} s",
            archive.Kind, report.Archived, report.Bytes, failed.Count, watch.Elapsed.TotalSeconds);
        return report;
    }

    /// <summary>Walks the rule's due recordings oldest first by keyset, so one that failed is stepped over, not retried in a loop.</summary>
    private async Task<(int Archived, long Bytes)> ArchiveRuleAsync(RetentionPolicy policy, RetentionRule rule, DateTime now, List<long> failed, CancellationToken ct)
    {
        var (batchSize, pause) = (options.Value.BatchSize, TimeSpan.FromMilliseconds(options.Value.BatchPauseMs));
        var why = rule.Describe();
        var (archived, bytes) = (0, 0L);
        (DateTime At, long Id)? after = null;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            List<(DateTime At, Candidate Candidate)> batch;
            await using (var db = await dbs.CreateDbContextAsync(ct))
            {
                var due = policy.ArchiveDueUnder(db.Recordings, rule, now);
                if (after is { } a) due = due.Where(r => r.StartedAt > a.At || (r.StartedAt == a.At && r.Id > a.Id));
                batch = (await due.OrderBy(r => r.StartedAt).ThenBy(r => r.Id).Select(r => new { r.StartedAt, r.Id, r.StorageKey, r.Sha256, r.SizeBytes })
                    .Take(batchSize).ToListAsync(ct)).Select(r => (r.StartedAt, new Candidate(r.Id, r.StorageKey, r.Sha256, r.SizeBytes))).ToList();
            }
            if (batch.Count == 0) return (archived, bytes);
            await BeginAsync(batch.Select(b => b.Candidate).ToList(), why, ct);
            var (done, doneBytes) = await MoveAsync(batch.Select(b => b.Candidate).ToList(), why, failed, ct);
            archived += done;
            bytes += doneBytes;
            after = (batch[^1].At, batch[^1].Candidate.Id);
            if (pause > TimeSpan.Zero) await Task.Delay(pause, ct);
        }
    }

    /// <summary>Step 0: the intent, committed before any byte moves.</summary>
    private async Task BeginAsync(List<Candidate> batch, string why, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var ids = batch.Select(b => b.Id).ToList();
        await using var db = await dbs.CreateDbContextAsync(ct);
        var begun = (await db.Set<ArchiveMove>().Where(m => ids.Contains(m.RecordingId)).Select(m => m.RecordingId).ToListAsync(ct)).ToHashSet();
        db.AddRange(batch.Where(b => !begun.Contains(b.Id)).Select(b => new ArchiveMove
        {
            RecordingId = b.Id, StorageKey = b.StorageKey, StartedAt = now, Rule = why.Length > 1000 ? why[..1000] : why,
        }));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Finishes the moves a stopped run left: those still hot are copied (or their copy checked) again, the others lose their hot copy.</summary>
    private async Task<(int Archived, long Bytes)> ResumeAsync(List<long> failed, CancellationToken ct)
    {
        var (archived, bytes) = (0, 0L);
        long after = 0;
        while (true)
        {
            List<(ArchiveMove Move, Candidate? Recording, StorageTier Tier)> pending;
            await using (var db = await dbs.CreateDbContextAsync(ct))
            {
                pending = (await (from m in db.Set<ArchiveMove>().AsNoTracking()
                                  where m.RecordingId > after
                                  join r in db.Recordings on m.RecordingId equals r.Id into rs
                                  from r in rs.DefaultIfEmpty()
                                  orderby m.RecordingId
                                  select new { Move = m, Id = (long?)r.Id, r.StorageKey, r.Sha256, r.SizeBytes, r.Tier })
                        .Take(options.Value.BatchSize).ToListAsync(ct))
                    .Select(x => (x.Move, x.Id is null ? null : new Candidate(x.Id.Value, x.StorageKey, x.Sha256, x.SizeBytes), x.Tier)).ToList();
            }
            if (pending.Count == 0) return (archived, bytes);
            after = pending[^1].Move.RecordingId;
            // Erased meanwhile: the eraser deleted the keys wherever they were; a copy made after that goes too.
            foreach (var gone in pending.Where(p => p.Recording is null))
                foreach (var key in RecordingEraser.StoredKeysOf(gone.Move.RecordingId, gone.Move.StorageKey)) await store.DeleteAsync(key, ct);
            var committed = pending.Where(p => p.Recording is not null && p.Tier == StorageTier.Archive).Select(p => p.Recording!).ToList();
            await RemoveHotCopiesAsync(committed, ct);
            await ForgetAsync(pending.Where(p => p.Recording is null).Select(p => p.Move.RecordingId).Concat(committed.Select(c => c.Id)).ToList(), ct);
            foreach (var group in pending.Where(p => p.Recording is not null && p.Tier == StorageTier.Hot).GroupBy(p => p.Move.Rule))
            {
                var (a, b) = await MoveAsync(group.Select(p => p.Recording!).ToList(), group.Key, failed, ct);
                archived += a;
                bytes += b;
            }
        }
    }

    /// <summary>Steps 1-3 for begun moves: copy and check, then rows and audit in one transaction, then the hot copies go.</summary>
    private async Task<(int Archived, long Bytes)> MoveAsync(List<Candidate> batch, string why, List<long> failed, CancellationToken ct)
    {
        var copied = new List<Candidate>(batch.Count);
        var refused = new List<long>();
        foreach (var r in batch)
        {
            ct.ThrowIfCancellationRequested();
            var original = await archive.CopyToArchiveAsync(r.StorageKey, r.Sha256, ct);
            // The browser rendition, where one was made, goes along (its hash is checked against the hot one it copies).
            var rendition = original == ArchiveCopy.Copied ? await archive.CopyToArchiveAsync(Playback.Renditions.RenditionKeyOf(r.Id), null, ct) : original;
            if (original == ArchiveCopy.Copied && rendition is ArchiveCopy.Copied or ArchiveCopy.Missing) copied.Add(r);
            else
            {
                refused.Add(r.Id);
                log.LogWarning("Recording {Id} stays in the hot store: {Problem}", r.Id, original == ArchiveCopy.Copied ? "its rendition's copy differs" : original.ToString());
            }
        }
        failed.AddRange(refused);
        var ids = copied.Select(c => c.Id).ToArray();
        var ((flipped, gone), _) = await audit.InTransactionAsync(async db =>
        {
            // Claim the rows first (as the eraser does), so a second archive run at the same moment waits, then finds them archived.
            await db.Recordings.Where(r => ids.Contains(r.Id)).ExecuteUpdateAsync(s => s.SetProperty(r => r.Tier, r => r.Tier), ct);
            var rows = await db.Recordings.Where(r => ids.Contains(r.Id)).Select(r => new { r.Id, r.Tier }).ToListAsync(ct);
            var mine = rows.Where(r => r.Tier == StorageTier.Hot).Select(r => r.Id).ToList();
            var vanished = ids.Except(rows.Select(r => r.Id)).ToHashSet();
            if (mine.Count > 0) await db.Recordings.Where(r => mine.Contains(r.Id)).ExecuteUpdateAsync(s => s.SetProperty(r => r.Tier, StorageTier.Archive), ct);
            // A refused move is forgotten: the recording stays hot and is tried again by the next run.
            if (refused.Count > 0) await db.Set<ArchiveMove>().Where(m => refused.Contains(m.RecordingId)).ExecuteDeleteAsync(ct);
            IReadOnlyList<AuditDraft> entries = mine.Count == 0 ? [] : [new AuditDraft(new AuditActor(Actor, null), AuditActions.RecordingArchived, AuditOutcomes.Success,
                Details: AuditLog.Details(new
                {
                    rule = why, archive = archive.Kind.ToString(), count = mine.Count, recordings = mine,
                    bytes = copied.Where(c => mine.Contains(c.Id)).Sum(c => c.SizeBytes),
                }))];
            return ((mine, vanished), entries);
        }, ct);
        // Rows another run archived lose their hot copies as well; those erased meanwhile lose the copy just made.
        await RemoveHotCopiesAsync(copied.Where(c => !gone.Contains(c.Id)).ToList(), ct);
        foreach (var c in copied.Where(c => gone.Contains(c.Id)))
            foreach (var key in RecordingEraser.StoredKeysOf(c.Id, c.StorageKey)) await store.DeleteAsync(key, ct);
        await ForgetAsync([.. ids], ct);
        var set = flipped.ToHashSet();
        return (flipped.Count, copied.Where(c => set.Contains(c.Id)).Sum(c => c.SizeBytes));
    }

    private async Task RemoveHotCopiesAsync(List<Candidate> recordings, CancellationToken ct)
    {
        foreach (var r in recordings)
        {
            await archive.RemoveHotCopyAsync(r.StorageKey, ct);
            await archive.RemoveHotCopyAsync(Playback.Renditions.RenditionKeyOf(r.Id), ct);
        }
    }

    private async Task ForgetAsync(List<long> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return;
        await using var db = await dbs.CreateDbContextAsync(CancellationToken.None);
        foreach (var chunk in ids.Chunk(500))
            await db.Set<ArchiveMove>().Where(m => chunk.Contains(m.RecordingId)).ExecuteDeleteAsync(CancellationToken.None);
    }
}
