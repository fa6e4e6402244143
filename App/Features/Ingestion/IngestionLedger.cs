using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Features.Ingestion;

/// <summary>
/// What ingestion decided: one <see cref="IngestedFile"/> per source path, and one recording.ingest audit entry per accepted
/// recording, including those a stopped run saved without one.
/// </summary>
public sealed class IngestionLedger(IDbContextFactory<AppDbContext> dbs, AuditLog audit, TimeProvider time)
{
    /// <summary>The decision and (when accepted) the new recording are saved together, in one transaction.</summary>
    internal async Task RecordAsync(AppDbContext db, string sourcePath, long length, DateTime written, IngestOutcome outcome, string? reason,
        long? recordingId, Recording? recording, CancellationToken ct) =>
        await SaveDecisionAsync(db, new IngestedFile
        {
            SourcePath = sourcePath, SizeBytes = length, LastWriteUtc = written, Outcome = outcome, Reason = reason,
            RecordingId = recordingId, Recording = recording, ProcessedAt = time.GetUtcNow().UtcDateTime,
        }, ct);

    /// <summary>
    /// One decision per source path: a file replaced at the same path, or retried from quarantine, is decided on again and
    /// its entry updated in place (the Ingestion page's row keeps its id).
    /// </summary>
    internal static async Task SaveDecisionAsync(AppDbContext db, IngestedFile decision, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var entry = await db.IngestedFiles.FirstOrDefaultAsync(f => f.SourcePath == decision.SourcePath, ct);
        Decide(db, entry is null ? [] : new Dictionary<string, IngestedFile> { [entry.SourcePath] = entry }, decision);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Adds the decision, or updates the tracked entry already kept for its source path.</summary>
    internal static void Decide(AppDbContext db, IReadOnlyDictionary<string, IngestedFile> entries, IngestedFile decision)
    {
        if (!entries.TryGetValue(decision.SourcePath, out var entry)) db.Add(decision);
        else
        {
            entry.SizeBytes = decision.SizeBytes;
            entry.LastWriteUtc = decision.LastWriteUtc;
            entry.Outcome = decision.Outcome;
            entry.Problem = decision.Problem;
            entry.Reason = decision.Reason;
            entry.QuarantinedAs = decision.QuarantinedAs;
            entry.RecordingId = decision.RecordingId;
            entry.Recording = decision.Recording;
            entry.ProcessedAt = decision.ProcessedAt;
        }
    }

    internal Task AuditIngestAsync(AuditActor by, long recordingId, string sourcePath, string sha256, long sizeBytes, string format) =>
        audit.AppendAsync(by, AuditActions.Ingest, AuditOutcomes.Success, recordingId,
            AuditLog.Details(new { file = Path.GetFileName(sourcePath), sha256, sizeBytes, format, source = IngestedFile.IsUpload(sourcePath) ? "upload" : "spool" }));

    /// <summary>
    /// Recordings taken from under <paramref name="root"/> that have no recording.ingest entry: a run stopped after a batch was
    /// saved and before its entries were written. Each gets its entry now, so every accepted recording has exactly one.
    /// </summary>
    public async Task<int> AuditUnrecordedAsync(string root, CancellationToken ct)
    {
        var (from, to) = (root + Path.DirectorySeparatorChar, root + (char)(Path.DirectorySeparatorChar + 1));
        await using var db = await dbs.CreateDbContextAsync(ct);
        var missing = await db.IngestedFiles.AsNoTracking()
            .Where(f => f.Outcome == IngestOutcome.Accepted && f.RecordingId != null && string.Compare(f.SourcePath, from) >= 0 && string.Compare(f.SourcePath, to) < 0)
            .Where(f => !db.AuditLog.Any(a => a.RecordingId == f.RecordingId && a.Action == AuditActions.Ingest && a.Outcome == AuditOutcomes.Success))
            .OrderBy(f => f.RecordingId)
            .Select(f => new { Id = f.RecordingId!.Value, f.SourcePath, f.SizeBytes, f.Recording!.Sha256, f.Recording.Format })
            .ToListAsync(ct);
        foreach (var m in missing) await AuditIngestAsync(RecordingIngestor.Ingestion, m.Id, m.SourcePath, m.Sha256, m.SizeBytes, m.Format);
        return missing.Count;
    }
}
