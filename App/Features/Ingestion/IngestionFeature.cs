using Hangfire;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using NagrywanieRozmow.Shared.Cli;

namespace NagrywanieRozmow.Features.Ingestion;

public static class IngestionFeature
{
    public static IHostApplicationBuilder AddIngestion(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<IngestionOptions>().BindConfiguration("Ingestion")
            .ValidateDataAnnotations()
            .Validate(o => TimeZoneInfo.TryFindSystemTimeZoneById(o.PbxTimeZone, out _), "Ingestion:PbxTimeZone is not a known time zone (use an IANA name such as Europe/Warsaw).")
            .Validate(o => string.IsNullOrWhiteSpace(o.CdrTimeZone) || TimeZoneInfo.TryFindSystemTimeZoneById(o.CdrTimeZone, out _),
                "Ingestion:CdrTimeZone is not a known time zone (UTC for a PBX with usegmtime=yes, or an IANA name such as Europe/Warsaw).")
            .ValidateOnStart();
        // Relative paths mean the same whether the app runs from the repository (dotnet run) or its own folder.
        var root = builder.Environment.ContentRootPath;
        builder.Services.PostConfigure<IngestionOptions>(o =>
        {
            string? Rooted(string? path) => string.IsNullOrWhiteSpace(path) ? null : Path.GetFullPath(path, root);
            o.SpoolPath = Rooted(o.SpoolPath);
            o.CdrCsvPath = Rooted(o.CdrCsvPath);
            o.QuarantinePath = Rooted(o.QuarantinePath)!;
            o.StagingPath = Rooted(o.StagingPath)!;
        });
        builder.Services.AddSingleton<RecordingIngestor>();
        builder.Services.AddSingleton<CdrStore>();
        builder.Services.AddTransient<FreePbxRereadJob>();
        builder.Services.AddSingleton<IngestionQueue>();
        builder.Services.AddTransient<SpoolSweepJob>();
        builder.Services.AddTransient<IngestFileJob>();
        builder.Services.AddTransient<CdrTailJob>();
        builder.Services.AddHostedService<SpoolWatcher>();
        return builder;
    }

    /// <summary>
    /// On the first start of a version that reads FreePBX names or the CDR differently, reads the stored recordings again in
    /// the background (<see cref="FreePbxRereadJob"/>); an interrupted run is picked up again.
    /// </summary>
    public static async Task RereadStoredRecordingsIfRulesChangedAsync(this IHost app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        if (await scope.ServiceProvider.GetRequiredService<FreePbxRereadJob>().IsDueAsync())
            scope.ServiceProvider.GetRequiredService<IBackgroundJobClient>().Enqueue<FreePbxRereadJob>(j => j.RunAsync(CancellationToken.None));
    }

    public static IEndpointRouteBuilder MapIngestion(this IEndpointRouteBuilder app)
    {
        // Only an instance that has a spool or a CDR sweeps, on its own machine's queue. Several instances that see the same
        // (network) spool each register the same two jobs: the last one started runs them; an instance without a spool
        // leaves them alone.
        var ingestion = app.ServiceProvider.GetRequiredService<IOptions<IngestionOptions>>().Value;
        if (!string.IsNullOrWhiteSpace(ingestion.SpoolPath) || !string.IsNullOrWhiteSpace(ingestion.CdrCsvPath))
        {
            var recurring = app.ServiceProvider.GetRequiredService<Hangfire.IRecurringJobManager>();
            Hangfire.RecurringJobManagerExtensions.AddOrUpdate<SpoolSweepJob>(recurring, SpoolSweepJob.Id, SpoolSweepJob.Queue, j => j.RunAsync(CancellationToken.None), Hangfire.Cron.Minutely());
            Hangfire.RecurringJobManagerExtensions.AddOrUpdate<SpoolSweepJob>(recurring, SpoolSweepJob.FullId, SpoolSweepJob.Queue, j => j.RunFullAsync(CancellationToken.None), Hangfire.Cron.Hourly());
        }
        return app.MapIngestionApi();
    }
}

internal static class IngestCli
{
    /// <summary>`ingest --path DIR`: one pass over a spool folder (and DIR/cdr-csv/Master.csv), with progress and a summary.</summary>
    public static async Task<int> RunAsync(IServiceProvider services, CliArgs args, TextWriter output)
    {
        var root = Path.GetFullPath(args.Required("path"));
        args.RejectUnknown();
        if (!Directory.Exists(root)) throw new CliException($"--path '{root}' is not a folder.");

        var ingestor = services.GetRequiredService<RecordingIngestor>();
        var cdrPath = Path.Combine(root, "cdr-csv", "Master.csv");
        var configured = services.GetRequiredService<IOptions<IngestionOptions>>().Value.CdrCsvPath;
        var cdr = await services.GetRequiredService<CdrStore>().ReadNewAsync(File.Exists(cdrPath) ? cdrPath : configured, CancellationToken.None);
        if (cdr.Rows > 0 || cdr.Problems > 0) await output.WriteLineAsync($"CDR: {cdr.Rows} new rows read, {cdr.Problems} lines skipped (listed on the Ingestion page).");

        var audited = await ingestor.AuditUnrecordedAsync(root, CancellationToken.None);
        if (audited > 0) await output.WriteLineAsync($"audit: {audited} recordings saved by an interrupted run got their recording.ingest entry now.");

        var counts = Enum.GetValues<IngestOutcome>().ToDictionary(o => o, _ => 0);
        var waitingForFfmpeg = 0;
        var watch = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        // No job server runs in this process and Hangfire's storage is in memory: a rendition job queued here would die with
        // it, so these recordings are prepared on first play, like an archive import.
        await foreach (var (file, result) in ingestor.IngestFilesAsync(RecordingIngestor.Candidates(root), preparePlayback: false, CancellationToken.None))
        {
            counts[result.Outcome]++;
            if (result.WaitsForFfmpeg) waitingForFfmpeg++;
            if (result.Outcome is IngestOutcome.Rejected or IngestOutcome.Unanswered)
                await output.WriteLineAsync($"{(result.Outcome == IngestOutcome.Rejected ? "rejected" : "unanswered")}: {Path.GetRelativePath(root, file)}: {result.Reason}");
            if (watch.Elapsed - lastReport > TimeSpan.FromSeconds(5))
            {
                lastReport = watch.Elapsed;
                await output.WriteLineAsync($"… {counts.Values.Sum()} files, {counts.Values.Sum() / watch.Elapsed.TotalSeconds:0} per second");
            }
        }
        var total = counts.Values.Sum();
        await output.WriteLineAsync(
            $"accepted {counts[IngestOutcome.Accepted]}, duplicate {counts[IngestOutcome.Duplicate]}, rejected {counts[IngestOutcome.Rejected]}, " +
            $"unanswered (header only) {counts[IngestOutcome.Unanswered]}" +
            (counts[IngestOutcome.Deferred] > waitingForFfmpeg ? $", changed while being read {counts[IngestOutcome.Deferred] - waitingForFfmpeg} (run again)" : "") +
            (waitingForFfmpeg > 0 ? $", MP3/Ogg waiting for ffmpeg {waitingForFfmpeg} (apt-get install ffmpeg, then run again)" : "") +
            $"; {total} files in {watch.Elapsed.TotalSeconds:0.0} s" +
            (total > 0 ? $" ({total / Math.Max(watch.Elapsed.TotalSeconds, 0.001):0} files/s)" : ""));
        return counts[IngestOutcome.Rejected] > 0 ? 3 : 0;
    }
}
