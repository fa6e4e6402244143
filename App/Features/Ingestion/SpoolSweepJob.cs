using System.Collections.Concurrent;
using System.Globalization;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Shared.Media;
using NagrywanieRozmow.Shared.Storage;

namespace NagrywanieRozmow.Features.Ingestion;

/// <summary>
/// What this process has queued and what the last sweep saw: the Ingestion page's backlog. Only a hint for the page and
/// a guard against queueing a file twice; the truth about what is done lives in the IngestedFiles table.
/// </summary>
public sealed class IngestionQueue
{
    private readonly ConcurrentDictionary<string, byte> pending = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, byte> waitingForFfmpeg = new(StringComparer.Ordinal);

    public int Pending => pending.Count;

    /// <summary>Spool files (MP3, Ogg) that stay in the spool until ffprobe is there to read them.</summary>
    public int WaitingForFfmpeg => waitingForFfmpeg.Count;

    internal IReadOnlyCollection<string> WaitingForFfmpegPaths => (IReadOnlyCollection<string>)waitingForFfmpeg.Keys;
    public int WaitingToSettle { get; internal set; }
    public DateTime? LastSweepAt { get; internal set; }

    /// <summary>Set while the store's disk is full (when it was seen, and the message); cleared by the next file stored.</summary>
    public (DateTime At, string Message)? StoreFull { get; internal set; }

    internal bool TryQueue(string path) => pending.TryAdd(path, 0);

    internal void Decided(string path, IngestResult result)
    {
        if (result.WaitsForFfmpeg) waitingForFfmpeg[path] = 0;
        else waitingForFfmpeg.TryRemove(path, out _);
    }

    internal void Done(string path) => pending.TryRemove(path, out _);
}

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

    /// <summary>
    /// The queue of this machine's spool jobs. With a server database every instance takes jobs from one shared queue, but
    /// a spool path (and the file a job names) is this machine's: its sweeps and file jobs must run here, not on another
    /// server that cannot see the file, would drop the job and leave the file unqueued until this instance restarts.
    /// </summary>
    public static readonly string Queue = QueueFor(Environment.MachineName);

    /// <summary>Hangfire's queue names take lower-case letters, digits and underscores.</summary>
    internal static string QueueFor(string machine) =>
        "spool_" + new string(machine.ToLowerInvariant().Select(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') ? c : '_').ToArray());

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
            foreach (var path in RecordingIngestor.Candidates(folder))
            {
                ct.ThrowIfCancellationRequested();
                var file = new FileInfo(path);
                if (known.TryGetValue(file.FullName, out var seen) && seen.Size == file.Length && seen.Written == file.LastWriteTimeUtc) continue;
                // Still being written (or just copied in), or its sidecar is: the next pass takes it.
                if (!RecordingIngestor.IsSettled(file, settled))
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

/// <summary>One recording, as one Hangfire job: retried on failure, cancelled on shutdown, harmless when run twice.</summary>
public sealed class IngestFileJob(RecordingIngestor ingestor, IngestionQueue queue, TimeProvider time, ILogger<IngestFileJob> logger)
{
    [AutomaticRetry(Attempts = 5, DelaysInSeconds = [5, 30, 120, 600, 3600])]
    public async Task RunAsync(string path, CancellationToken ct)
    {
        try
        {
            if (!File.Exists(path))
            {
                queue.Decided(path, RecordingIngestor.Gone);
                return; // moved away (or quarantined) since it was queued
            }
            queue.Decided(path, await ingestor.IngestFileAsync(path, ct));
            queue.StoreFull = null;
        }
        catch (Exception e) when (StorageErrors.IsFull(e))
        {
            // The file stays where the PBX put it (the store's half-written copy is removed); the retries and the sweeps
            // take it once there is room. The Ingestion page says so.
            queue.StoreFull = (time.GetUtcNow().UtcDateTime, e.Message);
            logger.LogError("The recording store's disk is full ({Message}): {File} stays in the spool and is taken when there is room", e.Message, Path.GetFileName(path));
            throw;
        }
        finally
        {
            queue.Done(path);
        }
    }
}

/// <summary>Reads new CDR lines: every minute with the sweep, and at once when the watcher sees Master.csv grow.</summary>
public sealed class CdrTailJob(CdrStore cdr, IOptions<IngestionOptions> options)
{
    [AutomaticRetry(Attempts = 3)]
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public Task RunAsync(CancellationToken ct) => cdr.ReadNewAsync(options.Value.CdrCsvPath, ct);
}

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
                if (!file.Exists || !RecordingIngestor.IsCandidate(file)) { touched.TryRemove(path, out _); continue; }
                if (!RecordingIngestor.IsSettled(file, settledBefore)) continue;
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
