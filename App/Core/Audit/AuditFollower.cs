using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NagrywanieRozmow.Data;

namespace NagrywanieRozmow.Core;

/// <summary>How far one follower of the audit log has read (<see cref="AuditFollower"/>): the last entry it handled.</summary>
public sealed class AuditCursor
{
    public required string Name { get; set; }
    public long LastId { get; set; }
}

internal sealed class AuditCursorConfiguration : IEntityTypeConfiguration<AuditCursor>
{
    public void Configure(EntityTypeBuilder<AuditCursor> e)
    {
        e.ToTable("AuditCursors");
        e.HasKey(c => c.Name);
        e.Property(c => c.Name).HasMaxLength(64);
    }
}

/// <summary>
/// Follows the audit log from a stored position and turns the entries it cares about into work (webhook deliveries, a
/// person's notifications). The audit log is the record of every change to a recording, written in the change's own
/// transaction, so what a follower derives from it is neither missed nor made twice: the work and the new position are
/// committed together, and a follower stopped in between (a crash, SIGKILL) picks up where its position says. Several
/// instances may run the same follower; the conditional update of the position lets one of them win each batch.
/// A new follower starts at the end of the log: it reacts to what happens from now on, not to the past.
/// </summary>
public abstract class AuditFollower(IDbContextFactory<AppDbContext> dbs, AuditLog audit, ILogger logger) : BackgroundService
{
    /// <summary>The database the follower reads and writes, for a subclass's own work outside a batch.</summary>
    protected IDbContextFactory<AppDbContext> Databases => dbs;

    /// <summary>The position's name, stable across versions.</summary>
    protected abstract string Name { get; }

    /// <summary>The actions this follower handles; the rest are passed over.</summary>
    protected abstract IReadOnlyCollection<string> Actions { get; }

    /// <summary>How often the log is read when this process has not appended anything (another instance or the CLI may have).</summary>
    protected virtual TimeSpan Poll => TimeSpan.FromSeconds(5);

    protected virtual int BatchSize => 200;

    /// <summary>
    /// Adds the work for <paramref name="entries"/> to <paramref name="db"/> (not saved: it is saved with the new position).
    /// Runs inside the batch's transaction.
    /// </summary>
    protected abstract Task HandleAsync(AppDbContext db, IReadOnlyList<AuditEntry> entries, CancellationToken ct);

    /// <summary>Called after a batch with work committed, outside the transaction (e.g. to enqueue jobs for the new rows).</summary>
    protected virtual Task AfterCommitAsync(CancellationToken ct) => Task.CompletedTask;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var appended = audit.NextAppend;
            try
            {
                while (await ProcessBatchAsync(stoppingToken)) { }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Following the audit log ({Follower}) failed; trying again shortly", Name);
            }
            await Task.WhenAny(appended, Task.Delay(Poll, stoppingToken));
        }
    }

    /// <summary>
    /// How far the stored position may lag behind the log while nothing in between concerns this follower. Searches and
    /// listens are most of the log: reading past them costs a short index walk, where moving the position each time would
    /// cost a write transaction per search (SQLite has one writer).
    /// </summary>
    protected virtual int MaxIdleLag => 10_000;

    /// <summary>Handles the next batch; true when there may be more. Public for tests, which drive followers step by step.</summary>
    public async Task<bool> ProcessBatchAsync(CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var end = await db.AuditLog.MaxAsync(a => (long?)a.Id, ct) ?? 0;
        var cursor = await db.Set<AuditCursor>().AsNoTracking().FirstOrDefaultAsync(c => c.Name == Name, ct);
        if (cursor is null)
        {
            db.Add(new AuditCursor { Name = Name, LastId = end });
            try { await db.SaveChangesAsync(ct); }
            catch (DbUpdateException) { /* another instance created it first */ }
            return false;
        }
        if (cursor.LastId >= end) return false;
        var actions = Actions.ToArray();
        IQueryable<AuditEntry> Pending(long from) => db.AuditLog.AsNoTracking()
            .Where(a => a.Id > from && a.Id <= end && actions.Contains(a.Action)).OrderBy(a => a.Id).Take(BatchSize);
        // Read first without a transaction: most appends (searches, listens) concern no follower, and need no write.
        if (!await Pending(cursor.LastId).AnyAsync(ct) && end - cursor.LastId < MaxIdleLag) return false;

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var entries = await Pending(cursor.LastId).ToListAsync(ct);
        var to = entries.Count == BatchSize ? entries[^1].Id : end;
        if (entries.Count > 0) await HandleAsync(db, entries, ct);
        var moved = await db.Set<AuditCursor>().Where(c => c.Name == Name && c.LastId == cursor.LastId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastId, to), ct);
        if (moved == 0) return true; // another instance handled this batch; the transaction rolls back
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        if (entries.Count > 0) await AfterCommitAsync(ct);
        return to < end;
    }
}
