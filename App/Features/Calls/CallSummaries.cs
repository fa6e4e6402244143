using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Ingestion;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Features.Calls;

/// <summary>
/// Keeps <see cref="CallSummary"/> rows in step with the CDR: every CDR row past the cursor names a call, and each such call
/// is folded again from all of its rows (<see cref="CallBuilder"/>), in one transaction with the cursor's move. Runs after
/// each chunk the CDR reader stores, every minute as a job, and at start (which also builds the history of a CDR stored
/// before this feature existed).
/// </summary>
public sealed class CallSummaries(
    IDbContextFactory<AppDbContext> dbs, IOptions<IngestionOptions> ingestion, NumberNormalizer numbers, TimeProvider time, CallRecordingFlags flags,
    ILogger<CallSummaries> log)
    : ICdrRowsListener
{
    public const string JobId = "call-summaries";
    private const int BatchRows = 2_000;
    private readonly SemaphoreSlim gate = new(1, 1);

    async Task ICdrRowsListener.CdrRowsStoredAsync(CancellationToken ct)
    {
        try
        {
            await CatchUpAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The CDR reader goes on; the job folds these rows in its next minute.
            log.LogWarning(e, "Could not update the call history; the next pass will");
        }
    }

    /// <summary>The minute job: folds what the CDR reader left, then checks the recent calls' recording flags again.</summary>
    [AutomaticRetry(Attempts = 3)]
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public async Task RunAsync(CancellationToken ct)
    {
        await CatchUpAsync(ct);
        await flags.ReconcileRecentAsync(time.GetUtcNow().UtcDateTime, ct);
    }

    /// <summary>Folds every CDR row stored since the last pass. Returns the number of calls written.</summary>
    public async Task<int> CatchUpAsync(CancellationToken ct = default)
    {
        await gate.WaitAsync(ct);
        try
        {
            var written = 0;
            while (true)
            {
                var (rows, calls) = await FoldBatchAsync(ct);
                written += calls;
                if (rows < BatchRows) return written;
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<(int Rows, int Calls)> FoldBatchAsync(CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var cursor = await db.Set<CallSummaryCursor>().FirstOrDefaultAsync(c => c.Id == 1, ct);
        if (cursor is null)
        {
            cursor = new CallSummaryCursor { Id = 1 };
            db.Add(cursor);
        }
        var fresh = await db.CdrRecords.AsNoTracking().Where(c => c.Id > cursor.LastCdrId).OrderBy(c => c.Id).Take(BatchRows)
            .Select(c => new { c.Id, c.LinkedId, c.UniqueId }).ToListAsync(ct);
        if (fresh.Count == 0)
        {
            await tx.RollbackAsync(ct);
            return (0, 0);
        }
        var keys = fresh.Select(c => c.LinkedId is { Length: > 0 } l ? l : c.UniqueId).OfType<string>().Where(k => k.Length > 0).Distinct().ToList();
        var written = await FoldAsync(db, keys, ct);
        cursor.LastCdrId = fresh[^1].Id;
        cursor.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (fresh.Count, written);
    }

    /// <summary>Writes the calls of these keys (linkedids) from all their CDR rows, in the caller's context.</summary>
    public async Task<int> FoldAsync(AppDbContext db, IReadOnlyCollection<string> keys, CancellationToken ct)
    {
        if (keys.Count == 0) return 0;
        var (internals, people) = await CdrStore.DirectoryAsync(db, ingestion.Value.MaxExtensionDigits, ct);
        var now = time.GetUtcNow().UtcDateTime;
        var written = 0;
        foreach (var batch in keys.Chunk(400))
        {
            var rows = (await db.CdrRecords.AsNoTracking().Where(c => batch.Contains(c.LinkedId!)).ToListAsync(ct))
                .Concat(await db.CdrRecords.AsNoTracking().Where(c => c.LinkedId == null && batch.Contains(c.UniqueId!)).ToListAsync(ct))
                .ToLookup(c => CallBuilder.KeyOf(c)!);
            var existing = await db.Set<CallSummary>().Where(c => batch.Contains(c.LinkedId)).ToDictionaryAsync(c => c.LinkedId, ct);
            var recorded = await CallRecordingFlags.RecordedAsync(db, batch, ct);
            foreach (var key in batch)
            {
                var own = rows[key].ToList();
                if (own.Count == 0) continue;
                if (!existing.TryGetValue(key, out var call))
                {
                    call = new CallSummary { LinkedId = key, CallerNumber = "", CallerDigits = "", CalleeNumber = "", CalleeDigits = "" };
                    db.Add(call);
                }
                // A call whose person was erased stays erased: the rows that named them are gone, what is left is not refolded.
                if (call.Erased) continue;
                CallBuilder.Fold(call, own, internals, people, numbers.Normalize);
                call.HasRecording = recorded.Contains(key);
                call.UpdatedAt = now;
                written++;
            }
        }
        await db.SaveChangesAsync(ct);
        return written;
    }
}
