using NagrywanieRozmow.Data;

namespace NagrywanieRozmow.Features.Retention;

/// <summary>
/// Records with a retention period of their own (the call history: <c>Retention:CallRecordDays</c>), purged by the daily
/// purge after the recordings. Returns how many records were deleted (or, in a dry run, are due).
/// </summary>
public interface IRetentionPurgeStep
{
    /// <summary>What the step deletes, as the purge report and its audit entry name it, e.g. "call records".</summary>
    string Name { get; }

    Task<int> PurgeAsync(DateTime nowUtc, bool dryRun, CancellationToken ct);
}

/// <summary>
/// Records naming a data subject's number beyond the recordings and their CDR rows (the call history), erased inside the
/// erasure's transaction, so they go with it or not at all.
/// </summary>
public interface ISubjectErasureStep
{
    /// <summary>Erases in <paramref name="db"/>, the erasure's transaction; returns how many records it changed.</summary>
    Task<int> EraseAsync(AppDbContext db, string digits, string masked, CancellationToken ct);
}
