using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NagrywanieRozmow.Data;

namespace NagrywanieRozmow.Features.Ingestion;

/// <summary>
/// Takes every settled new file of the watched spool. Runs every minute as a safety net (a restart, a missed watcher event)
/// and at once when the watcher sees a file land.
/// </summary>
public sealed class SpoolSweepJob(
    RecordingIngestor ingestor, IDbContextFactory<AppDbContext> dbs, IOptions<IngestionOptions> options, TimeProvider time, ILogger<SpoolSweepJob> logger)
{
    public const string Id = "ingestion-sweep";

    [AutomaticRetry(Attempts = 3)]
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public async Task RunAsync(CancellationToken ct)
    {
        var root = options.Value.SpoolPath;
        if (string.IsNullOrWhiteSpace(root) || !Directory.Exists(root)) return;

        // One read of what is already decided, instead of a query per file in a spool of hundreds of thousands.
        Dictionary<string, (long Size, DateTime Written)> known;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            known = await db.IngestedFiles.AsNoTracking().ToDictionaryAsync(f => f.SourcePath, f => (f.SizeBytes, f.LastWriteUtc), ct);
        }

        var settled = time.GetUtcNow().UtcDateTime - TimeSpan.FromSeconds(options.Value.SettleSeconds);
        CdrIndex? cdr = null;
        var taken = 0;
        foreach (var path in RecordingIngestor.Candidates(root))
        {
            ct.ThrowIfCancellationRequested();
            var file = new FileInfo(path);
            if (known.TryGetValue(file.FullName, out var seen) && seen.Size == file.Length && seen.Written == file.LastWriteTimeUtc) continue;
            // Still being written (or just copied in): the next pass takes it.
            if (file.LastWriteTimeUtc > settled) continue;
            cdr ??= await CdrIndex.LoadAsync(options.Value.CdrCsvPath, ct);
            var result = await ingestor.IngestFileAsync(path, cdr, ct);
            taken++;
            if (result.Outcome == IngestOutcome.Rejected) logger.LogWarning("Rejected {File}: {Reason}", path, result.Reason);
        }
        if (taken > 0) logger.LogInformation("Spool sweep took {Count} new file(s)", taken);
    }
}

/// <summary>Notices files landing in the spool and asks for a sweep once they have had time to settle.</summary>
public sealed class SpoolWatcher(IOptions<IngestionOptions> options, IBackgroundJobClient jobs, ILogger<SpoolWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var root = options.Value.SpoolPath;
        if (string.IsNullOrWhiteSpace(root)) return;
        if (!Directory.Exists(root))
        {
            logger.LogWarning("Ingestion:SpoolPath '{Path}' does not exist; only the periodic sweep will look for it.", root);
            return;
        }
        var changed = new SemaphoreSlim(0);
        using var watcher = new FileSystemWatcher(root) { IncludeSubdirectories = true, EnableRaisingEvents = true };
        watcher.Created += (_, _) => changed.Release();
        watcher.Renamed += (_, _) => changed.Release();
        watcher.Changed += (_, _) => changed.Release();
        var settle = TimeSpan.FromSeconds(options.Value.SettleSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            await changed.WaitAsync(stoppingToken);
            // Let the writer finish (and the burst of events pass), then sweep once.
            await Task.Delay(settle + TimeSpan.FromMilliseconds(250), stoppingToken);
            while (changed.CurrentCount > 0) await changed.WaitAsync(stoppingToken);
            jobs.Enqueue<SpoolSweepJob>(j => j.RunAsync(CancellationToken.None));
        }
    }
}
