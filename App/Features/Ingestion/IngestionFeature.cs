using Hangfire;
using Microsoft.Extensions.Options;

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
        builder.Services.AddSingleton<IngestionLedger>();
        builder.Services.AddSingleton<Quarantine>();
        builder.Services.AddSingleton<OriginalStore>();
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
            Hangfire.RecurringJobManagerExtensions.AddOrUpdate<SpoolSweepJob>(recurring, SpoolSweepJob.FullId, SpoolSweepJob.Queue,
                j => j.RunFullAsync(CancellationToken.None), Hangfire.Cron.Hourly());
        }
        return app.MapIngestionApi();
    }
}
