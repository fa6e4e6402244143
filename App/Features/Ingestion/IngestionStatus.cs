using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Data;

namespace NagrywanieRozmow.Features.Ingestion;

/// <summary>Marker for the Ingestion page's texts (IngestionText.resx: Polish; IngestionText.en.resx: English).</summary>
public sealed class IngestionText;

public sealed record QuarantinedFile(long Id, string FileName, DateTime At, IngestOutcome Outcome, RejectKind? Problem, string? Reason, long SizeBytes, bool Upload);

public sealed record IngestionStatus(
    DateTime? LastArrival, TimeSpan? LastLag, TimeSpan? MedianLag, int Pending, int WaitingToSettle, DateTime? LastSweep,
    IReadOnlyDictionary<IngestOutcome, int> Today, int QuarantineTotal, IReadOnlyList<QuarantinedFile> Quarantine,
    IReadOnlyList<CdrCursor> CdrFiles, int CdrProblemTotal, IReadOnlyList<CdrProblem> CdrProblems,
    (DateTime At, string Message)? StoreFull = null, int WaitingForFfmpeg = 0)
{
    public int Backlog => Pending + WaitingToSettle + WaitingForFfmpeg;

    /// <summary>
    /// What the administrator watches: last arrival and the lag from the file's last write to the panel (over the last 50
    /// arrivals), the backlog, today's decisions, the quarantine and the CDR. Each query reads an index, not the recordings.
    /// </summary>
    public static async Task<IngestionStatus> LoadAsync(AppDbContext db, IngestionQueue queue, DateTime sinceUtc, CancellationToken ct)
    {
        var files = db.IngestedFiles.AsNoTracking();
        var recent = await files.Where(f => f.Outcome == IngestOutcome.Accepted).OrderByDescending(f => f.ProcessedAt).Take(50)
            .Select(f => new { f.ProcessedAt, f.LastWriteUtc }).ToListAsync(ct);
        var lags = recent.Select(r => r.ProcessedAt - r.LastWriteUtc).Select(l => l < TimeSpan.Zero ? TimeSpan.Zero : l).Order().ToList();

        var today = new Dictionary<IngestOutcome, int>();
        foreach (var outcome in new[] { IngestOutcome.Accepted, IngestOutcome.Duplicate, IngestOutcome.Rejected, IngestOutcome.Unanswered })
            today[outcome] = await files.CountAsync(f => f.Outcome == outcome && f.ProcessedAt >= sinceUtc, ct);

        // Rejected files are the ones in quarantine (a retry or a discard changes the outcome); read by the outcome index. An
        // unanswered call's empty file is kept aside too, but it is no error: it is counted for today, never listed as one.
        var quarantined = files.Where(f => f.Outcome == IngestOutcome.Rejected);
        var quarantine = (await quarantined.OrderByDescending(f => f.ProcessedAt).Take(200).ToListAsync(ct))
            .Select(f => new QuarantinedFile(f.Id, Path.GetFileName(f.SourcePath), f.ProcessedAt, f.Outcome, f.Problem, f.Reason, f.SizeBytes,
                IngestedFile.IsUpload(f.SourcePath)))
            .ToList();
        var problems = db.Set<CdrProblem>().AsNoTracking();
        return new IngestionStatus(
            recent.FirstOrDefault()?.ProcessedAt, lags.Count > 0 ? recent[0].ProcessedAt - recent[0].LastWriteUtc : null,
            lags.Count > 0 ? lags[lags.Count / 2] : null, queue.Pending, queue.WaitingToSettle, queue.LastSweepAt,
            today, await quarantined.CountAsync(ct), quarantine,
            await db.Set<CdrCursor>().AsNoTracking().OrderBy(c => c.Path).ToListAsync(ct),
            await problems.CountAsync(ct), await problems.OrderByDescending(p => p.Id).Take(20).ToListAsync(ct), queue.StoreFull,
            queue.WaitingForFfmpeg);
    }
}
