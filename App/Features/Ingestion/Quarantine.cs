using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Shared.Storage;

namespace NagrywanieRozmow.Features.Ingestion;

/// <summary>
/// Where rejected files go instead of away: under Ingestion:QuarantinePath by day, with their sidecar, listed on the Ingestion
/// page until an administrator retries (<see cref="RecordingIngestor.RetryAsync"/>) or discards them.
/// </summary>
public sealed class Quarantine(IDbContextFactory<AppDbContext> dbs, AuditLog audit, IOptions<IngestionOptions> options, TimeProvider time, ILogger<Quarantine> logger)
{
    public string Root => options.Value.QuarantinePath;

    internal async Task<IngestResult> RejectAsync(FileInfo file, string sourcePath, FileInfo sidecar, RejectKind problem, string reason, CancellationToken ct)
    {
        // An empty or header-only file is an unanswered call: no audio to keep, and no error either.
        var outcome = problem is RejectKind.HeaderOnly or RejectKind.Empty ? IngestOutcome.Unanswered : IngestOutcome.Rejected;
        var (size, lastWrite) = (file.Length, file.LastWriteTimeUtc);
        var target = file.FullName;
        // A file already in quarantine (a retry) stays where it is.
        if (!file.FullName.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            var day = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            var name = Path.GetFileName(sourcePath);
            target = Path.Combine(Root, day, name);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            for (var n = 2; File.Exists(target) || File.Exists(target + ".json"); n++)
                target = Path.Combine(Root, day, $"{Path.GetFileNameWithoutExtension(name)}~{n}{Path.GetExtension(name)}");
            File.Move(file.FullName, target);
            if (sidecar.Exists) File.Move(sidecar.FullName, target + ".json");
        }
        // File names and reasons carry phone numbers: in the Ingestion page and at Debug, not in the log an operator ships.
        logger.LogWarning("Quarantined a file ({Problem}, {Outcome}); its name and reason are on the Ingestion page", problem, outcome);
        logger.LogDebug("Quarantined {File} as {Target}: {Reason}", sourcePath, target, reason);
        await using var db = await dbs.CreateDbContextAsync(ct);
        await IngestionLedger.SaveDecisionAsync(db, new IngestedFile
        {
            SourcePath = sourcePath, SizeBytes = size, LastWriteUtc = lastWrite, Outcome = outcome, Problem = problem, Reason = reason.Length > 1000 ? reason[..1000] : reason,
            QuarantinedAs = target, ProcessedAt = time.GetUtcNow().UtcDateTime,
        }, ct);
        return new IngestResult(outcome, reason, null);
    }

    /// <summary>An administrator decides a quarantined file is worthless: it is deleted, the decision and its reason stay listed.</summary>
    public async Task<bool> DiscardAsync(long ingestedFileId, AuditActor by, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var entry = await db.IngestedFiles.FirstOrDefaultAsync(f => f.Id == ingestedFileId && f.QuarantinedAs != null, ct);
        if (entry is null) return false;
        var file = new FileInfo(entry.QuarantinedAs!);
        long? size = file.Exists ? file.Length : null;
        string? sha256 = file.Exists ? await ContentHash.OfFileAsync(file.FullName, ct) : null;
        file.Delete();
        SpoolScan.Sidecar(file).Delete();
        var reason = entry.Reason;
        entry.Outcome = IngestOutcome.Discarded;
        entry.QuarantinedAs = null;
        entry.ProcessedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(by, AuditActions.IngestionDiscard, AuditOutcomes.Success, null,
            AuditLog.Details(new { file = Path.GetFileName(entry.SourcePath), sizeBytes = size, sha256 }), reason);
        return true;
    }
}
