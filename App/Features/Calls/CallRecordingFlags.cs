using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Features.Calls;

/// <summary>
/// Keeps <see cref="CallSummary.HasRecording"/> true exactly while a recording of the call exists, so "with a recording" and
/// "without" are an index condition rather than a lookup per call. A recording belongs to a call by the call's linkedid, or
/// by the uniqueid of one of its legs (as <see cref="CallSearch"/> explains rows). Set when a call is folded from the CDR,
/// and after the fact from the audit log (a recording arrived after its call, or was deleted): both orders of arrival end
/// with the flag right; the minute job checks the last six hours' calls again for a fold and an arrival that crossed.
/// </summary>
public sealed class CallRecordingFlags(IDbContextFactory<AppDbContext> dbs, AuditLog audit, ILogger<CallRecordingFlags> logger)
    : AuditFollower(dbs, audit, logger)
{
    protected override string Name => "calls.has-recording";
    protected override IReadOnlyCollection<string> Actions => [AuditActions.Ingest, AuditActions.RecordingDeleted];

    protected override async Task HandleAsync(AppDbContext db, IReadOnlyList<AuditEntry> entries, CancellationToken ct)
    {
        var ids = entries.Where(e => e.Outcome == AuditOutcomes.Success).SelectMany(e => e.RecordingIds()).Distinct().ToList();
        if (ids.Count == 0) return;
        var callIds = await db.Recordings.AsNoTracking().Where(r => ids.Contains(r.Id)).Select(r => r.CallId)
            .Concat(db.Recordings.Where(r => ids.Contains(r.Id) && r.LinkedId != null).Select(r => r.LinkedId!))
            .Concat(db.Set<RecordingTombstone>().Where(t => ids.Contains(t.Id)).Select(t => t.CallId))
            .ToListAsync(ct);
        await RefreshAsync(db, await KeysOfAsync(db, callIds, ct), ct);
    }

    /// <summary>The calls (linkedids) these uniqueids or linkedids belong to: themselves, and the call of the CDR leg they name.</summary>
    private static async Task<List<string>> KeysOfAsync(AppDbContext db, List<string> callIds, CancellationToken ct)
    {
        var keys = callIds.ToHashSet(StringComparer.Ordinal);
        foreach (var chunk in callIds.Distinct().Chunk(400))
            keys.UnionWith(await db.CdrRecords.AsNoTracking().Where(c => c.UniqueId != null && chunk.Contains(c.UniqueId) && c.LinkedId != null)
                .Select(c => c.LinkedId!).Distinct().ToListAsync(ct));
        return keys.ToList();
    }

    /// <summary>Of these calls (linkedids), those a recording exists for: by linkedid, or by a leg's uniqueid.</summary>
    public static async Task<HashSet<string>> RecordedAsync(AppDbContext db, IReadOnlyCollection<string> keys, CancellationToken ct)
    {
        var recorded = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in keys.Distinct().Chunk(400))
        {
            var legs = await db.CdrRecords.AsNoTracking().Where(c => c.LinkedId != null && chunk.Contains(c.LinkedId) && c.UniqueId != null)
                .Select(c => new { c.UniqueId, c.LinkedId }).ToListAsync(ct);
            var callOf = chunk.ToDictionary(k => k, k => k, StringComparer.Ordinal);
            foreach (var leg in legs) callOf.TryAdd(leg.UniqueId!, leg.LinkedId!);
            var ids = callOf.Keys.ToList();
            recorded.UnionWith(await db.Recordings.AsNoTracking().Where(r => r.LinkedId != null && chunk.Contains(r.LinkedId)).Select(r => r.LinkedId!).ToListAsync(ct));
            recorded.UnionWith((await db.Recordings.AsNoTracking().Where(r => ids.Contains(r.CallId)).Select(r => r.CallId).ToListAsync(ct)).Select(id => callOf[id]));
        }
        return recorded;
    }

    /// <summary>Sets the flag of these calls (linkedids) from what exists now, in the caller's context and transaction.</summary>
    public static async Task<int> RefreshAsync(AppDbContext db, IReadOnlyCollection<string> keys, CancellationToken ct)
    {
        var recorded = await RecordedAsync(db, keys, ct);
        var changed = 0;
        foreach (var chunk in keys.Distinct().Chunk(400))
        {
            var yes = chunk.Where(recorded.Contains).ToList();
            var no = chunk.Where(k => !recorded.Contains(k)).ToList();
            changed += await db.Calls.Where(c => yes.Contains(c.LinkedId) && !c.HasRecording).ExecuteUpdateAsync(s => s.SetProperty(c => c.HasRecording, true), ct);
            changed += await db.Calls.Where(c => no.Contains(c.LinkedId) && c.HasRecording).ExecuteUpdateAsync(s => s.SetProperty(c => c.HasRecording, false), ct);
        }
        return changed;
    }

    /// <summary>
    /// Checks the calls of the last six hours again (a crossing is a matter of seconds; a recording stuck in the spool
    /// longer still sets the flag through its audit entry); returns how many flags were wrong.
    /// </summary>
    public async Task<int> ReconcileRecentAsync(DateTime now, CancellationToken ct = default)
    {
        await using var db = await Databases.CreateDbContextAsync(ct);
        var since = now.AddHours(-6);
        var keys = await db.Calls.AsNoTracking().Where(c => c.StartedAt >= since).Select(c => c.LinkedId).ToListAsync(ct);
        return await RefreshAsync(db, keys, ct);
    }
}
