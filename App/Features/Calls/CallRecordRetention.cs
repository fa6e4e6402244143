using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Retention;

namespace NagrywanieRozmow.Features.Calls;

/// <summary>
/// The call history's part of retention: the daily purge deletes CDR rows and calls older than
/// <c>Retention:CallRecordDays</c> (those of a recording still kept stay with it, and go when it goes); a data-subject erasure
/// masks the person's number in the calls that name it, as it deletes the CDR rows naming it.
/// </summary>
public sealed class CallRecordRetention(IDbContextFactory<AppDbContext> dbs, IOptions<CallRecordOptions> options, ILogger<CallRecordRetention> log)
    : IRetentionPurgeStep, ISubjectErasureStep
{
    private const int Batch = 2_000;

    public string Name => "call records";

    public async Task<int> PurgeAsync(DateTime nowUtc, bool dryRun, CancellationToken ct)
    {
        var cutoff = nowUtc.AddDays(-options.Value.CallRecordDays);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var cdr = db.CdrRecords.Where(c => c.StartedAt < cutoff && !db.Recordings.Any(r => r.CallId == c.UniqueId));
        var calls = db.Set<CallSummary>().Where(c => c.StartedAt < cutoff
            && !db.Recordings.Any(r => r.CallId == c.LinkedId || r.LinkedId == c.LinkedId));
        if (dryRun) return await cdr.CountAsync(ct);

        // Small batches: the CDR reader and the panel keep the database in between.
        var deleted = 0;
        while (true)
        {
            var ids = await cdr.OrderBy(c => c.Id).Select(c => c.Id).Take(Batch).ToListAsync(ct);
            if (ids.Count == 0) break;
            deleted += await db.CdrRecords.Where(c => ids.Contains(c.Id)).ExecuteDeleteAsync(ct);
        }
        var callsDeleted = 0;
        while (true)
        {
            var ids = await calls.OrderBy(c => c.Id).Select(c => c.Id).Take(Batch).ToListAsync(ct);
            if (ids.Count == 0) break;
            callsDeleted += await db.Set<CallSummary>().Where(c => ids.Contains(c.Id)).ExecuteDeleteAsync(ct);
        }
        log.LogInformation("Call records older than {Days} days: {Rows} CDR rows and {Calls} calls deleted", options.Value.CallRecordDays, deleted, callsDeleted);
        return deleted;
    }

    public async Task<int> EraseAsync(AppDbContext db, string digits, string masked, CancellationToken ct)
    {
        if (digits.Length == 0) return 0;
        var asCaller = await db.Set<CallSummary>().Where(c => c.CallerDigits == digits)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.CallerNumber, masked).SetProperty(c => c.CallerDigits, "").SetProperty(c => c.Erased, true), ct);
        var asCallee = await db.Set<CallSummary>().Where(c => c.CalleeDigits == digits)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.CalleeNumber, masked).SetProperty(c => c.CalleeDigits, "").SetProperty(c => c.Erased, true), ct);
        return asCaller + asCallee;
    }
}
