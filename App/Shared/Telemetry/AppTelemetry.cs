using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;
using Hangfire;

namespace NagrywanieRozmow.Shared.Telemetry;

/// <summary>
/// The app's own spans and measurements: one <see cref="ActivitySource"/> and one <see cref="Meter"/>, both named
/// <see cref="Name"/>. Without a listener (no OTLP endpoint configured) starting a span returns null and a measurement
/// is a no-op, so the feature code calls these unconditionally.
/// Tags carry kinds and outcomes only, never a phone number, a fragment of one, a file name or a person.
/// </summary>
public static class AppTelemetry
{
    public const string Name = "NagrywanieRozmow";

    public static readonly string Version =
        typeof(AppTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    public static readonly ActivitySource Source = new(Name, Version);
    public static readonly Meter Meter = new(Name, Version);

    /// <summary>Names of the tags (attributes) on the app's spans and measurements.</summary>
    public static class Tags
    {
        public const string IngestionOutcome = "nagrywanie.ingestion.outcome";
        public const string IngestionSource = "nagrywanie.ingestion.source";
        public const string IngestionFiles = "nagrywanie.ingestion.files";
        public const string SearchKind = "nagrywanie.search.kind";
        public const string SearchSurface = "nagrywanie.search.surface";
        public const string SearchSort = "nagrywanie.search.sort";
        public const string SearchPaging = "nagrywanie.search.paging";
        public const string ErasureCause = "nagrywanie.erasure.cause";
        public const string PurgeDryRun = "nagrywanie.retention.dry_run";
        public const string PurgeDeleted = "nagrywanie.retention.deleted";
        public const string PurgeKeptOnHold = "nagrywanie.retention.kept_on_hold";
        public const string JobState = "nagrywanie.job.state";
        public const string JobQueue = "nagrywanie.job.queue";
    }

    /// <summary>Where a file came in: the watched spool, the upload API, an administrator's retry, or `ingest --path`.</summary>
    public static class Sources
    {
        public const string Spool = "spool";
        public const string Upload = "upload";
        public const string Retry = "retry";
        public const string Import = "import";
    }

    // Seconds: arrivals are expected within seconds of the file settling, an archive import shows up in the last bucket.
    private static readonly double[] LagBuckets = [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900, 3600, 6 * 3600, 86400];
    private static readonly double[] SearchBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10];

    private static readonly Counter<long> IngestedFiles = Meter.CreateCounter<long>(
        "nagrywanie.ingestion.files", "{file}", "Files the ingestion decided on, by outcome and where they came from.");

    private static readonly Histogram<double> IngestionLag = Meter.CreateHistogram(
        "nagrywanie.ingestion.lag", "s", "From a file's landing (its last write) to its recording being visible in the panel.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LagBuckets });

    private static readonly Histogram<double> CallLag = Meter.CreateHistogram(
        "nagrywanie.ingestion.call_lag", "s", "From the end of the call to its recording being visible in the panel.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LagBuckets });

    private static readonly Histogram<double> SearchDuration = Meter.CreateHistogram(
        "nagrywanie.search.duration", "s", "A recordings search (count and page) in the panel or the API.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SearchBuckets });

    private static readonly Counter<long> Erased = Meter.CreateCounter<long>(
        "nagrywanie.recordings.erased", "{recording}", "Recordings erased (made tombstones), by cause: retention purge, a person's deletion, a data-subject request.");

    private static readonly Counter<long> Listens = Meter.CreateCounter<long>(
        "nagrywanie.playback.listens", "{listening}", "Listenings started in the player or the API (once per listening, as audited).");

    private static readonly Counter<long> Downloads = Meter.CreateCounter<long>(
        "nagrywanie.playback.downloads", "{file}", "Originals downloaded one at a time.");

    // The spool queues are per machine; only these are shared by every instance.
    private static readonly string[] JobQueues = [NagrywanieRozmow.Shared.Jobs.JobQueues.Default, NagrywanieRozmow.Shared.Jobs.JobQueues.Playback];

    internal static readonly ObservableGauge<long> Jobs = Meter.CreateObservableGauge("nagrywanie.jobs.count", ObserveJobs, "{job}",
        "Background jobs (ingestion, retention, playback preparation) enqueued per queue, scheduled (retries included) and processing.");

    /// <summary>The outcome of one file (accepted, duplicate, rejected, unanswered, deferred, discarded), also on its span.</summary>
    public static void Ingested(string outcome, string source, Activity? span = null)
    {
        IngestedFiles.Add(1, new KeyValuePair<string, object?>(Tags.IngestionOutcome, outcome), new KeyValuePair<string, object?>(Tags.IngestionSource, source));
        span?.SetTag(Tags.IngestionOutcome, outcome);
    }

    /// <summary>A recording has just been committed (visible): how long since its file landed and since its call ended.</summary>
    public static void Arrived(DateTime callEndedUtc, DateTime landedUtc, DateTime nowUtc, string source)
    {
        var tag = new KeyValuePair<string, object?>(Tags.IngestionSource, source);
        IngestionLag.Record(Math.Max(0, (nowUtc - landedUtc).TotalSeconds), tag);
        CallLag.Record(Math.Max(0, (nowUtc - callEndedUtc).TotalSeconds), tag);
    }

    /// <summary>A span for taking one file in, or a batch of files (`ingest --path`).</summary>
    public static Activity? StartIngestion(string source, int? files = null)
    {
        var activity = Source.StartActivity(files is null ? "ingestion.file" : "ingestion.batch");
        activity?.SetTag(Tags.IngestionSource, source);
        if (files is not null) activity?.SetTag(Tags.IngestionFiles, files);
        return activity;
    }

    /// <summary>Recordings made tombstones, by cause: retention, manual, subject_request.</summary>
    public static void RecordingsErased(int count, string cause)
    {
        if (count > 0) Erased.Add(count, new KeyValuePair<string, object?>(Tags.ErasureCause, cause));
    }

    public static Activity? StartPurge(bool dryRun) => Source.StartActivity("retention.purge")?.SetTag(Tags.PurgeDryRun, dryRun);

    public static void Purged(Activity? purge, int deleted, int keptOnHold) =>
        purge?.SetTag(Tags.PurgeDeleted, deleted).SetTag(Tags.PurgeKeptOnHold, keptOnHold);

    public static void Listened() => Listens.Add(1);

    public static void Downloaded() => Downloads.Add(1);

    /// <summary>
    /// Times a search from here to its disposal, as a histogram measurement and a span; both tagged with the kind of query
    /// (e.g. "number", "call_id", "all"), where it ran, its sort and whether it is a first page: nothing the person typed.
    /// </summary>
    public static SearchTiming Search(string kind, string sort, string surface, bool nextPage = false)
    {
        var tags = new TagList
        {
            { Tags.SearchKind, kind },
            { Tags.SearchSurface, surface },
            { Tags.SearchSort, sort },
            { Tags.SearchPaging, nextPage ? "next" : "first" },
        };
        var activity = Source.StartActivity("recordings.search", ActivityKind.Internal, default(ActivityContext), tags);
        return new SearchTiming(tags, activity, SearchDuration.Enabled ? Stopwatch.GetTimestamp() : 0);
    }

    public readonly struct SearchTiming(TagList tags, Activity? activity, long started) : IDisposable
    {
        public void Dispose()
        {
            if (started != 0) SearchDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
            activity?.Dispose();
        }
    }

    /// <summary>
    /// Read from Hangfire's monitoring API when an exporter collects (once a minute by default): one count query per
    /// figure. A storage that is not there yet or does not answer gives no figures, never an exception.
    /// </summary>
    private static IEnumerable<Measurement<long>> ObserveJobs()
    {
        try
        {
            var monitoring = JobStorage.Current.GetMonitoringApi();
            return
            [
                .. JobQueues.Select(queue => new Measurement<long>(monitoring.EnqueuedCount(queue),
                    new KeyValuePair<string, object?>(Tags.JobState, "enqueued"), new KeyValuePair<string, object?>(Tags.JobQueue, queue))),
                new Measurement<long>(monitoring.ScheduledCount(), new KeyValuePair<string, object?>(Tags.JobState, "scheduled")),
                new Measurement<long>(monitoring.ProcessingCount(), new KeyValuePair<string, object?>(Tags.JobState, "processing")),
            ];
        }
        catch (Exception)
        {
            return [];
        }
    }
}
