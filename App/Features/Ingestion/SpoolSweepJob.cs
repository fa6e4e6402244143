using System.Globalization;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Shared.Media;

using NagrywanieRozmow.Shared.Jobs;

namespace NagrywanieRozmow.Features.Ingestion;

/// <summary>
/// Reads what the CDR has gained, then queues one <see cref="IngestFileJob"/> for every settled new file of the watched
/// spool. The watcher takes files as they land; this is the safety net: every minute over today's and yesterday's folders
/// (cheap however large the archive), and over the whole spool at start, every hour and when the watcher lost events.
/// </summary>
public sealed class SpoolSweepJob(
    CdrStore cdr, IngestionQueue queue, IBackgroundJobClient jobs, IDbContextFactory<AppDbContext> dbs, IOptions<IngestionOptions> options,
    FfmpegStatus ffmpeg, TimeProvider time, ILogger<SpoolSweepJob> logger)
{
    public const string Id = "ingestion-sweep";
    public const string FullId = "ingestion-sweep-full";

    /// <summary>This machine's spool queue (<see cref="JobQueues.Spool"/>).</summary>
    public static readonly string Queue = JobQueues.Spool;

    /// <summary>Today's and yesterday's day folders (YYYY/MM/DD in the PBX's zone): where a missed file can be.</summary>
    [AutomaticRetry(Attempts = 3)]
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public Task RunAsync(CancellationToken ct)
    {
        var root = options.Value.SpoolPath;
        if (string.IsNullOrWhiteSpace(root)) return cdr.ReadNewAsync(options.Value.CdrCsvPath, ct);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.PbxTimeZone);
        var today = TimeZoneInfo.ConvertTimeFromUtc(time.GetUtcNow().UtcDateTime, zone).Date;
        var folders = new[] { today, today.AddDays(-1) }
            .Select(d => Path.Combine(root, d.ToString("yyyy", CultureInfo.InvariantCulture), d.ToString("MM", CultureInfo.InvariantCulture), d.ToString("dd", CultureInfo.InvariantCulture)))
            .ToList();
        return SweepAsync(folders, ct);
    }

    /// <summary>The whole spool, for files from any day (a restart after a long stop, an archive copied in).</summary>
    [AutomaticRetry(Attempts = 3)]
    [DisableConcurrentExecution(timeoutInSeconds: 3600)]
    public Task RunFullAsync(CancellationToken ct) =>
        string.IsNullOrWhiteSpace(options.Value.SpoolPath) ? cdr.ReadNewAsync(options.Value.CdrCsvPath, ct) : SweepAsync([options.Value.SpoolPath], ct);

    private async Task SweepAsync(IReadOnlyList<string> folders, CancellationToken ct)
    {
        await cdr.ReadNewAsync(options.Value.CdrCsvPath, ct);
        var settled = time.GetUtcNow().UtcDateTime - TimeSpan.FromSeconds(options.Value.SettleSeconds);
        int queued = 0, waiting = 0;
        foreach (var folder in folders.Select(f => Path.GetFullPath(f)).Where(Directory.Exists))
        {
            // One read of what is already decided under this folder (an index range), not a query per file.
            var (from, to) = (folder + Path.DirectorySeparatorChar, folder + (char)(Path.DirectorySeparatorChar + 1));
            Dictionary<string, (long Size, DateTime Written)> known;
            await using (var db = await dbs.CreateDbContextAsync(ct))
            {
                known = await db.IngestedFiles.AsNoTracking()
                    .Where(f => string.Compare(f.SourcePath, from) >= 0 && string.Compare(f.SourcePath, to) < 0)
                    .ToDictionaryAsync(f => f.SourcePath, f => (f.SizeBytes, f.LastWriteUtc), ct);
            }
            foreach (var path in SpoolScan.Candidates(folder))
            {
                ct.ThrowIfCancellationRequested();
                var file = new FileInfo(path);
                if (known.TryGetValue(file.FullName, out var seen) && seen.Size == file.Length && seen.Written == file.LastWriteTimeUtc) continue;
                // Still being written (or just copied in), or its sidecar is: the next pass takes it.
                if (!SpoolScan.IsSettled(file, settled))
                {
                    waiting++;
                    continue;
                }
                if (!queue.TryQueue(file.FullName)) continue;
                jobs.Enqueue<IngestFileJob>(SpoolSweepJob.Queue, j => j.RunAsync(file.FullName, CancellationToken.None));
                queued++;
            }
        }
        // Files that waited for ffmpeg may lie in any day's folder: once it is installed they are queued again here, within
        // a minute, rather than at the next full sweep.
        if (queue.WaitingForFfmpeg > 0 && ffmpeg.Current.Ffprobe is not null)
            foreach (var path in queue.WaitingForFfmpegPaths.ToList())
                if (queue.TryQueue(path))
                {
                    jobs.Enqueue<IngestFileJob>(SpoolSweepJob.Queue, j => j.RunAsync(path, CancellationToken.None));
                    queued++;
                }
        queue.WaitingToSettle = waiting;
        queue.LastSweepAt = time.GetUtcNow().UtcDateTime;
        if (queued > 0) logger.LogInformation("Spool sweep queued {Count} new file(s)", queued);
    }
}
