using System.Net;
using System.Text.RegularExpressions;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using NagrywanieRozmow.Features.Ingestion;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Features.Retention;
using NagrywanieRozmow.Shared.Telemetry;

namespace NagrywanieRozmow.Tests.Shared.Telemetry;

/// <summary>What an operator's dashboard would show after an ingestion, a search and a purge, and what it must never show.</summary>
public sealed class AppTelemetryTests : IAsyncLifetime
{
    private readonly TelemetryApp app = new();

    public Task InitializeAsync() => app.InitializeAsync();
    public async Task DisposeAsync() => await ((IAsyncLifetime)app).DisposeAsync();

    private const string CallerDigits = "48601234567";
    private static readonly Regex NumberLike = new(@"\d{5,}");

    [Fact]
    public async Task Ingesting_a_spool_file_counts_its_outcome_and_records_how_long_it_took_to_be_visible()
    {
        const string name = "in-221234500-48601234567-20261116-091502-1794816902.3.wav";
        var sample = await File.ReadAllBytesAsync(TelemetryApp.Sample($"2026/11/16/{name}"));
        using var capture = new TelemetryCapture();

        var path = app.Drop(name, sample, landedAgo: TimeSpan.FromMinutes(2));
        Assert.Equal(IngestOutcome.Accepted, (await app.IngestAsync(path)).Outcome);
        Assert.Equal(IngestOutcome.Duplicate, (await app.IngestAsync(path)).Outcome);
        var junk = app.Drop("in-201-48601234567-20261116-091503-1794816903.2.wav", "not audio at all"u8.ToArray(), TimeSpan.FromMinutes(1));
        Assert.Equal(IngestOutcome.Rejected, (await app.IngestAsync(junk)).Outcome);

        var outcomes = capture.Of("nagrywanie.ingestion.files")
            .Select(m => ((string)m.Tags[AppTelemetry.Tags.IngestionOutcome]!, (string)m.Tags[AppTelemetry.Tags.IngestionSource]!, m.Value)).ToList();
        Assert.Equal(new[] { ("accepted", "spool", 1d), ("duplicate", "spool", 1d), ("rejected", "spool", 1d) }, outcomes);

        // Landed two minutes ago, visible now: one lag measurement, for the accepted file only.
        var lag = Assert.Single(capture.Of("nagrywanie.ingestion.lag"));
        Assert.Equal("spool", lag.Tags[AppTelemetry.Tags.IngestionSource]);
        Assert.InRange(lag.Value, 115, 600);
        var recording = await app.WithDbAsync(db => db.Recordings.AsNoTracking().SingleAsync());
        var sinceCallEnded = (DateTime.UtcNow - recording.StartedAt.AddMilliseconds(recording.DurationMs)).TotalSeconds;
        Assert.InRange(Assert.Single(capture.Of("nagrywanie.ingestion.call_lag")).Value, sinceCallEnded - 600, sinceCallEnded);

        var spans = capture.SpansNamed("ingestion.file");
        Assert.Equal(new string?[] { "accepted", "duplicate", "rejected" }, spans.Select(s => (string?)s.GetTagItem(AppTelemetry.Tags.IngestionOutcome)));
        Assert.DoesNotContain(capture.AllTagValues(), v => NumberLike.IsMatch(v));

        // The quarantine is logged without the file's name (which holds the caller's number) from Information up.
        var logged = app.Logs.Entries.Where(e => e.Level >= LogLevel.Information).ToList();
        Assert.Contains(logged, e => e.Level == LogLevel.Warning && e.Message.StartsWith("Quarantined a file (", StringComparison.Ordinal));
        Assert.DoesNotContain(logged, e => e.Message.Contains(CallerDigits) || e.Values.Contains(CallerDigits));
    }

    [Fact]
    public async Task A_search_records_its_latency_by_kind_of_query_and_never_the_number()
    {
        await TestData.AddAsync(app, TestData.Recording(caller: CallerDigits));
        var client = app.ClientAs(Roles.ComplaintHandler);
        using var capture = new TelemetryCapture();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/recordings?number=601234567")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/recordings?number=60&sort=duration")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/recordings?extension=201")).StatusCode);

        var searches = capture.Of("nagrywanie.search.duration");
        Assert.Equal(
            new[] { ("number", "api", "StartedAt", "first"), ("number_short", "api", "Duration", "first"), ("extension", "api", "StartedAt", "first") },
            searches.Select(m => ((string)m.Tags[AppTelemetry.Tags.SearchKind]!, (string)m.Tags[AppTelemetry.Tags.SearchSurface]!,
                (string)m.Tags[AppTelemetry.Tags.SearchSort]!, (string)m.Tags[AppTelemetry.Tags.SearchPaging]!)));
        Assert.All(searches, m => Assert.InRange(m.Value, double.Epsilon, 30));
        Assert.Equal(3, capture.SpansNamed("recordings.search").Count);
        Assert.DoesNotContain(capture.AllTagValues(), v => v.Contains("60") || NumberLike.IsMatch(v));
    }

    [Fact]
    public async Task A_purge_counts_the_recordings_it_erased_and_its_span_says_how_many()
    {
        var now = DateTime.UtcNow;
        for (var i = 0; i < 3; i++) await TestData.AddAsync(app, TestData.Recording(startedAt: now.AddDays(-200 - i)));
        await TestData.AddAsync(app, TestData.Recording(startedAt: now.AddDays(-10)));
        using var capture = new TelemetryCapture();

        var report = await app.Get<RetentionPurgeJob>().PurgeAsync(dryRun: false);

        Assert.Equal(3, report.Deleted);
        var erased = capture.Of("nagrywanie.recordings.erased");
        Assert.Equal(3, erased.Sum(m => m.Value));
        Assert.All(erased, m => Assert.Equal("retention", m.Tags[AppTelemetry.Tags.ErasureCause]));
        var purge = Assert.Single(capture.SpansNamed("retention.purge"));
        Assert.Equal(((bool?)false, (int?)3, (int?)0),
            ((bool?)purge.GetTagItem(AppTelemetry.Tags.PurgeDryRun), (int?)purge.GetTagItem(AppTelemetry.Tags.PurgeDeleted), (int?)purge.GetTagItem(AppTelemetry.Tags.PurgeKeptOnHold)));
    }

    [Fact]
    public void The_job_queue_gauge_reads_hangfire_when_asked()
    {
        var storage = app.Get<JobStorage>();
        Assert.Same(storage, JobStorage.Current);
        app.Get<IBackgroundJobClient>().Schedule<RetentionPurgeJob>(j => j.RunAsync(CancellationToken.None), TimeSpan.FromHours(1));
        using var capture = new TelemetryCapture();
        // The gauge exists once AppTelemetry's instruments are made, as AddTelemetry does at start when an exporter is
        // configured; run alone (no search or ingestion before it), this test must make them itself.
        Assert.NotNull(AppTelemetry.Meter);

        capture.Observe();

        var jobs = capture.Of("nagrywanie.jobs.count");
        Assert.Contains(jobs, m => (string?)m.Tags[AppTelemetry.Tags.JobState] == "scheduled" && m.Value >= 1);
        Assert.Contains(jobs, m => (string?)m.Tags[AppTelemetry.Tags.JobState] == "enqueued" && (string?)m.Tags[AppTelemetry.Tags.JobQueue] == "default");
        Assert.Contains(jobs, m => (string?)m.Tags[AppTelemetry.Tags.JobState] == "processing");
    }

    [Theory]
    [InlineData("?callId=1794816902.2&number=601", "call_id")]
    [InlineData("?case=REK-2026/0113", "case")]
    [InlineData("?number=+48 601-234", "number")]
    [InlineData("?number=60", "number_short")]
    [InlineData("?extension=201&type=Incoming", "extension")]
    [InlineData("?minDuration=30", "filtered")]
    [InlineData("", "all")]
    public void The_kind_of_a_search_names_its_deciding_filter_not_its_values(string query, string kind)
    {
        var parsed = RecordingQuery.Parse(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query),
            new NagrywanieRozmow.Shared.Time.DisplayTime(TimeZoneInfo.FindSystemTimeZoneById("Europe/Warsaw")), DateTime.UtcNow);
        Assert.True(parsed.IsValid);
        Assert.Equal(kind, parsed.Filter.Kind);
    }
}
