using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Features.Retention;

/// <summary>How a hold chose its recordings: one recording, a selection of N, or a filter (number fragment, days, extension).</summary>
public sealed record HoldScope(long? Recording = null, int? Selected = null, string? Number = null, string? From = null, string? To = null, string? Extension = null)
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => System.Text.Json.JsonSerializer.Serialize(this, Json);

    public static HoldScope? Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try { return System.Text.Json.JsonSerializer.Deserialize<HoldScope>(json, Json); }
        catch (System.Text.Json.JsonException) { return null; }
    }
}

public sealed record HoldResult(long HoldId, int Held, IReadOnlyList<Problem> Problems)
{
    public static HoldResult Refused(params Problem[] problems) => new(0, 0, problems);
}

/// <summary>Places, lifts and releases holds; keeps <see cref="Recording.LegalHold"/> true exactly while an active hold has the recording.</summary>
public sealed class LegalHolds(IDbContextFactory<AppDbContext> dbs, AuditLog audit, TimeProvider time)
{
    public const int MaxReasonLength = 1000;
    public const int MaxCaseLength = 64;

    /// <summary>
    /// Holds the given recordings (ids the caller may see; the rest are ignored) for a case. A reason and a case number are
    /// required. Audited as one entry listing every recording.
    /// </summary>
    public async Task<HoldResult> PlaceAsync(
        IReadOnlyCollection<long> recordingIds, string? reason, string? caseNumber, HoldScope scope, AuditActor by, CancellationToken ct = default)
    {
        var problems = new List<Problem>();
        if (ReasonProblem(reason) is { } bad) problems.Add(bad);
        if (string.IsNullOrWhiteSpace(caseNumber)) problems.Add(new("Problem_CaseRequired", "A case number is required."));
        else if (caseNumber.Trim().Length > MaxCaseLength)
            problems.Add(new("Problem_CaseTooLong", $"The case number may be at most {MaxCaseLength} characters.", MaxCaseLength));
        if (recordingIds.Count == 0) problems.Add(new("Problem_NoneChosen", "No recordings were chosen."));
        if (problems.Count > 0) return HoldResult.Refused([.. problems]);

        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var existing = new List<long>();
        foreach (var chunk in recordingIds.Distinct().Chunk(5000))
            existing.AddRange(await db.Recordings.Where(r => chunk.Contains(r.Id)).Select(r => r.Id).ToListAsync(ct));
        if (existing.Count == 0) return HoldResult.Refused(new Problem("Problem_NoneExists", "None of the chosen recordings exists any more."));

        var hold = new LegalHold
        {
            CaseNumber = caseNumber!.Trim(), Reason = reason!.Trim(), Scope = scope.ToJson(),
            PlacedBy = by.Name, PlacedAt = now,
            Items = existing.Select(id => new LegalHoldItem { RecordingId = id, AddedAt = now }).ToList(),
        };
        db.Add(hold);
        await db.SaveChangesAsync(ct);
        foreach (var chunk in existing.Chunk(5000))
            await db.Recordings.Where(r => chunk.Contains(r.Id)).ExecuteUpdateAsync(s => s.SetProperty(r => r.LegalHold, true), ct);
        await tx.CommitAsync(ct);

        await audit.AppendAsync(by, AuditActions.HoldPlaced, AuditOutcomes.Success, existing.Count == 1 ? existing[0] : null,
            details: AuditLog.Details(new { hold = hold.Id, caseNumber = hold.CaseNumber, scope, count = existing.Count, recordings = existing }),
            reason: hold.Reason);
        return new HoldResult(hold.Id, existing.Count, []);
    }

    /// <summary>Lifts a whole hold. Its recordings become purgeable again unless another active hold has them.</summary>
    public async Task<IReadOnlyList<Problem>> LiftAsync(long holdId, string? reason, AuditActor by, CancellationToken ct = default)
    {
        if (ReasonProblem(reason) is { } problem) return [problem];
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var hold = await db.Set<LegalHold>().FirstOrDefaultAsync(h => h.Id == holdId, ct);
        if (hold is null) return [new("Problem_NoHold", $"Hold {holdId} does not exist.", holdId)];
        if (!hold.IsActive) return [new("Problem_AlreadyLifted", $"Hold {holdId} was already lifted.", holdId)];
        hold.LiftedAt = now;
        hold.LiftedBy = by.Name;
        hold.LiftReason = reason!.Trim();
        var ids = await db.Set<LegalHoldItem>().Where(i => i.HoldId == holdId && i.ReleasedAt == null).Select(i => i.RecordingId).ToListAsync(ct);
        await db.SaveChangesAsync(ct);
        await RefreshFlagsAsync(db, ids, ct);
        await tx.CommitAsync(ct);
        await audit.AppendAsync(by, AuditActions.HoldLifted, AuditOutcomes.Success, ids.Count == 1 ? ids[0] : null,
            details: AuditLog.Details(new { hold = hold.Id, caseNumber = hold.CaseNumber, count = ids.Count, recordings = ids }), reason: hold.LiftReason);
        return [];
    }

    /// <summary>Takes one recording out of every active hold (the API's DELETE …/hold).</summary>
    public async Task<IReadOnlyList<Problem>> ReleaseAsync(long recordingId, string? reason, AuditActor by, CancellationToken ct = default)
    {
        if (ReasonProblem(reason) is { } problem) return [problem];
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var items = await ActiveItems(db).Where(i => i.RecordingId == recordingId).ToListAsync(ct);
        if (items.Count == 0) return [NotOnHold];
        foreach (var item in items)
        {
            item.ReleasedAt = now;
            item.ReleasedBy = by.Name;
            item.ReleaseReason = reason!.Trim();
        }
        await db.SaveChangesAsync(ct);
        await RefreshFlagsAsync(db, [recordingId], ct);
        await tx.CommitAsync(ct);
        await audit.AppendAsync(by, AuditActions.HoldReleased, AuditOutcomes.Success, recordingId,
            details: AuditLog.Details(new { holds = items.Select(i => i.HoldId) }), reason: reason!.Trim());
        return [];
    }

    /// <summary>The active holds a recording is in (for its page and its JSON).</summary>
    public async Task<IReadOnlyList<LegalHold>> ActiveForAsync(long recordingId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Set<LegalHold>().AsNoTracking()
            .Where(h => h.LiftedAt == null && h.Items.Any(i => i.RecordingId == recordingId && i.ReleasedAt == null))
            .OrderBy(h => h.PlacedAt).ToListAsync(ct);
    }

    public static readonly Problem NotOnHold = new("Problem_NotOnHold", "The recording is not on legal hold.");

    private static Problem? ReasonProblem(string? reason) =>
        string.IsNullOrWhiteSpace(reason) ? new("Problem_ReasonRequired", "A reason is required.")
        : reason.Length > MaxReasonLength ? new("Problem_ReasonTooLong", $"The reason may be at most {MaxReasonLength} characters.", MaxReasonLength) : null;

    /// <summary>Recordings' places in holds that still keep them: not released, in a hold not lifted.</summary>
    public static IQueryable<LegalHoldItem> ActiveItems(AppDbContext db) =>
        db.Set<LegalHoldItem>().Where(i => i.ReleasedAt == null && db.Set<LegalHold>().Any(h => h.Id == i.HoldId && h.LiftedAt == null));

    private static async Task RefreshFlagsAsync(AppDbContext db, IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        foreach (var chunk in ids.Chunk(5000))
        {
            var stillHeld = await ActiveItems(db).Where(i => chunk.Contains(i.RecordingId)).Select(i => i.RecordingId).Distinct().ToListAsync(ct);
            var free = chunk.Except(stillHeld).ToArray();
            await db.Recordings.Where(r => free.Contains(r.Id)).ExecuteUpdateAsync(s => s.SetProperty(r => r.LegalHold, false), ct);
        }
    }
}
