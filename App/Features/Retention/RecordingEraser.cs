using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Shared.Storage;

namespace NagrywanieRozmow.Features.Retention;

/// <summary>A recording to erase and why (the rule for the purge, the reason for a person's deletion).</summary>
public sealed record Erasure(long RecordingId, string Why);

public sealed record ErasureResult(IReadOnlyList<RecordingTombstone> Erased, IReadOnlyList<long> KeptOnHold, IReadOnlyList<long> Missing);

/// <summary>
/// Deletes recordings in two steps that survive being stopped anywhere: (1) one transaction replaces the rows with tombstones
/// (the audio's keys written into them), removing the call's personal data, CDR row, case numbers, tags and waveform; held
/// recordings are re-checked inside it and kept. (2) the files are deleted and the tombstone marked done. A run that stops
/// between the steps leaves tombstones with pending keys, which <see cref="CompletePendingAsync"/> finishes.
/// </summary>
public sealed class RecordingEraser(
    IDbContextFactory<AppDbContext> dbs, IRecordingStore store, AuditLog audit, TimeProvider time, ILogger<RecordingEraser> log)
{
    /// <summary>Files a recording may have in the store: its original and, for codecs a browser cannot play, the rendition.</summary>
    public static IReadOnlyList<string> StoredKeysOf(long id, string storageKey) => [storageKey, Playback.Renditions.RenditionKeyOf(id)];

    /// <param name="audited">
    /// The audit entries for what this call erased (not what another eraser took first), appended in the transaction that
    /// makes the tombstones; it may also change more in that transaction (the subject request records its receipt there).
    /// Every erasure audits this way, so a process killed at any moment leaves erased recordings with their entries, or
    /// nothing erased. Called also when nothing was erased (all held or already gone).
    /// </param>
    public async Task<ErasureResult> EraseAsync(
        IReadOnlyCollection<Erasure> erasures, ErasureCause cause, string deletedBy, CancellationToken ct = default,
        Func<AppDbContext, ErasureResult, Task<IReadOnlyList<AuditDraft>>>? audited = null)
    {
        var why = erasures.GroupBy(e => e.RecordingId).ToDictionary(g => g.Key, g => g.First().Why);
        var ids = why.Keys.ToArray();
        var (result, _) = await audit.InTransactionAsync(async db =>
        {
            var (tombstones, held) = await TombstoneAsync(db, ids, why, cause, deletedBy, ct);
            var erased = new ErasureResult(tombstones, held, ids.Except(tombstones.Select(t => t.Id)).Except(held).ToList());
            return (erased, audited is null ? [] : await audited(db, erased));
        }, ct);
        Shared.Telemetry.AppTelemetry.RecordingsErased(result.Erased.Count, cause switch
        {
            ErasureCause.Retention => "retention",
            ErasureCause.Manual => "manual",
            _ => "subject_request",
        });
        await RemoveFilesAsync(result.Erased, ct);
        return result;
    }

    /// <summary>Step 1, in the caller's transaction: held recordings are kept, the others become tombstones.</summary>
    private async Task<(List<RecordingTombstone> Tombstones, List<long> Held)> TombstoneAsync(
        AppDbContext db, long[] ids, Dictionary<long, string> why, ErasureCause cause, string deletedBy, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        // Claim the rows before reading them: this no-op update locks them until the commit, so a second eraser at the
        // same moment (another instance's purge, a `retention run`, a manual deletion) waits here, then reads them gone
        // and neither writes a second tombstone nor is audited as deleting them. Without it, both read the rows and the
        // second one failed on the tombstone's key.
        await db.Recordings.Where(r => ids.Contains(r.Id)).ExecuteUpdateAsync(s => s.SetProperty(r => r.LegalHold, r => r.LegalHold), ct);
        var rows = await db.Recordings.AsNoTracking().Where(r => ids.Contains(r.Id))
            .Select(r => new { r.Id, r.CallId, r.StartedAt, r.DurationMs, r.IngestedAt, r.Sha256, r.StorageKey, r.LegalHold, r.Team })
            .ToListAsync(ct);
        var held = rows.Where(r => r.LegalHold).Select(r => r.Id).ToList();
        var doomed = rows.Where(r => !r.LegalHold).ToList();
        var tombstones = doomed.Select(r => new RecordingTombstone
        {
            Id = r.Id, CallId = r.CallId, StartedAt = r.StartedAt, DurationMs = r.DurationMs, IngestedAt = r.IngestedAt,
            Sha256 = r.Sha256, Cause = cause, Rule = Truncate(why[r.Id], 1000), DeletedBy = deletedBy, DeletedAt = now, Team = r.Team,
            PendingKeys = string.Join('\n', StoredKeysOf(r.Id, r.StorageKey)),
        }).ToList();
        if (tombstones.Count > 0)
        {
            var doomedIds = doomed.Select(r => r.Id).ToArray();
            var callIds = doomed.Select(r => r.CallId).Distinct().ToArray();
            db.AddRange(tombstones);
            await db.SaveChangesAsync(ct);
            // The CDR row holds the same numbers as the recording: it goes with it (unless another recording of the call remains).
            await db.CdrRecords.Where(c => c.UniqueId != null && callIds.Contains(c.UniqueId)
                    && !db.Recordings.Any(r => r.CallId == c.UniqueId && !doomedIds.Contains(r.Id)))
                .ExecuteDeleteAsync(ct);
            await db.Recordings.Where(r => doomedIds.Contains(r.Id) && !r.LegalHold).ExecuteDeleteAsync(ct);
        }
        return (tombstones, held);
    }

    /// <summary>Finishes step 2 for tombstones a stopped run left behind. Returns how many it completed.</summary>
    public async Task<int> CompletePendingAsync(CancellationToken ct = default)
    {
        var done = 0;
        while (true)
        {
            List<RecordingTombstone> pending;
            await using (var db = await dbs.CreateDbContextAsync(ct))
                pending = await db.Set<RecordingTombstone>().AsNoTracking().Where(t => t.FilesRemovedAt == null).OrderBy(t => t.Id).Take(500).ToListAsync(ct);
            if (pending.Count == 0) return done;
            if (!await RemoveFilesAsync(pending, ct)) return done;
            done += pending.Count;
        }
    }

    public async Task<int> PendingCountAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Set<RecordingTombstone>().CountAsync(t => t.FilesRemovedAt == null, ct);
    }

    /// <returns>False when a running backup deferred the removal (nothing was removed).</returns>
    private async Task<bool> RemoveFilesAsync(IReadOnlyCollection<RecordingTombstone> tombstones, CancellationToken ct)
    {
        if (tombstones.Count == 0) return true;
        // A running `backup` copies the files its database snapshot references; these rows were tombstoned before this
        // look, so before any snapshot taken after it. Their files wait for the next run (see BackupGate).
        if (BackupRunning())
        {
            log.LogWarning("A backup is running: the files of {Count} erased recordings are removed by the next run", tombstones.Count);
            return false;
        }
        var removed = new List<long>(tombstones.Count);
        foreach (var t in tombstones)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                foreach (var key in (t.PendingKeys ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries)) await store.DeleteAsync(key, ct);
                removed.Add(t.Id);
            }
            catch (IOException e)
            {
                // Left pending: the next run tries again, and the purge report counts it.
                // The exception's message names the file, whose name holds the call's numbers: that part at Debug only.
                log.LogWarning("Could not delete the files of recording {Id} ({Error}); will retry", t.Id, e.GetType().Name);
                log.LogDebug(e, "Could not delete the files of recording {Id}", t.Id);
            }
        }
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbs.CreateDbContextAsync(CancellationToken.None);
        foreach (var chunk in removed.Chunk(1000))
            await db.Set<RecordingTombstone>().Where(t => chunk.Contains(t.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.FilesRemovedAt, now).SetProperty(t => t.PendingKeys, (string?)null), CancellationToken.None);
        return true;
    }

    /// <summary>The SQLite database file a backup would lock, or null on a server database (whose backups are its own).</summary>
    private readonly Lazy<string?> sqliteDatabase = new(() =>
    {
        using var db = dbs.CreateDbContext();
        return db.Provider == DatabaseProvider.Sqlite ? BackupGate.DatabasePathOf(db.Database.GetConnectionString()) : null;
    });

    private bool BackupRunning() => sqliteDatabase.Value is { } path && BackupGate.IsHeld(path);

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}
