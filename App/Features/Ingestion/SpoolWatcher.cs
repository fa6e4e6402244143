using System.Collections.Concurrent;
using Hangfire;
using Microsoft.Extensions.Options;

namespace NagrywanieRozmow.Features.Ingestion;

/// <summary>
/// Notices files landing in the spool (and the CDR growing). Each file that has stayed unchanged for the settle time is
/// queued as its own job at once, without a sweep of the whole spool (which holds months of files); the minute sweep
/// remains the safety net for anything the watcher misses (a restart, an overflow, a folder made and filled at once).
/// </summary>
public sealed class SpoolWatcher(
    IOptions<IngestionOptions> options, IBackgroundJobClient jobs, IngestionQueue queue, TimeProvider time, ILogger<SpoolWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var cdrWatcher = WatchCdr();
        var root = options.Value.SpoolPath;
        if (string.IsNullOrWhiteSpace(root)) return;
        if (!options.Value.Watch)
        {
            jobs.Enqueue<SpoolSweepJob>(SpoolSweepJob.Queue, j => j.RunFullAsync(CancellationToken.None));
            return;
        }
        if (!Directory.Exists(root))
        {
            logger.LogWarning("Ingestion:SpoolPath '{Path}' does not exist; watching starts when it does.", root);
            while (!Directory.Exists(root)) await Task.Delay(TimeSpan.FromSeconds(10), stoppingToken);
        }
        root = Path.GetFullPath(root);
        // Files that landed while the panel was down are taken now, not at the first tick.
        jobs.Enqueue<SpoolSweepJob>(SpoolSweepJob.Queue, j => j.RunFullAsync(CancellationToken.None));
        var touched = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        void Touch(string path)
        {
            // A sidecar's change concerns its recording.
            if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) path = path[..^5];
            touched[path] = 0;
        }
        using var watcher = new FileSystemWatcher(root) { IncludeSubdirectories = true, InternalBufferSize = 64 * 1024 };
        // A new folder (the next day's) is watched only from the moment the watcher hears of it: what landed in it before
        // that is looked for now and once more shortly after.
        void TouchFolder(string folder)
        {
            try
            {
                foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)) Touch(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        void Landed(string path)
        {
            if (!Directory.Exists(path)) { Touch(path); return; }
            TouchFolder(path);
            _ = Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ContinueWith(_ => TouchFolder(path), TaskScheduler.Default);
        }
        watcher.Created += (_, e) => Landed(e.FullPath);
        watcher.Renamed += (_, e) => Landed(e.FullPath);
        watcher.Changed += (_, e) => Touch(e.FullPath);
        watcher.Error += (_, e) =>
        {
            logger.LogWarning(e.GetException(), "The spool watcher lost events; sweeping the spool");
            jobs.Enqueue<SpoolSweepJob>(SpoolSweepJob.Queue, j => j.RunFullAsync(CancellationToken.None));
        };
        watcher.EnableRaisingEvents = true;

        var settle = TimeSpan.FromSeconds(options.Value.SettleSeconds);
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        while (await tick.WaitForNextTickAsync(stoppingToken))
        {
            var settledBefore = time.GetUtcNow().UtcDateTime - settle;
            foreach (var path in touched.Keys)
            {
                var file = new FileInfo(path);
                if (!file.Exists || !SpoolScan.IsCandidate(file)) { touched.TryRemove(path, out _); continue; }
                if (!SpoolScan.IsSettled(file, settledBefore)) continue;
                touched.TryRemove(path, out _);
                if (queue.TryQueue(file.FullName)) jobs.Enqueue<IngestFileJob>(SpoolSweepJob.Queue, j => j.RunAsync(file.FullName, CancellationToken.None));
            }
        }
    }

    private FileSystemWatcher? WatchCdr()
    {
        var path = options.Value.CdrCsvPath;
        var folder = string.IsNullOrWhiteSpace(path) ? null : Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is null || !Directory.Exists(folder)) return null;
        var watcher = new FileSystemWatcher(folder, Path.GetFileName(path!)) { NotifyFilter = NotifyFilters.Size | NotifyFilters.LastWrite | NotifyFilters.FileName };
        var last = DateTime.MinValue;
        FileSystemEventHandler grown = (_, _) =>
        {
            // Asterisk appends a line per call: one read per second at most.
            if (DateTime.UtcNow - last < TimeSpan.FromSeconds(1)) return;
            last = DateTime.UtcNow;
            jobs.Schedule<CdrTailJob>(SpoolSweepJob.Queue, j => j.RunAsync(CancellationToken.None), TimeSpan.FromSeconds(1));
        };
        watcher.Changed += grown;
        watcher.Created += grown;
        watcher.EnableRaisingEvents = true;
        return watcher;
    }
}
