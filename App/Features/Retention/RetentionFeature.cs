using System.Globalization;
using Hangfire;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using NagrywanieRozmow.Shared.Time;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Features.Retention;

/// <summary>Marker for RetentionText.resx: the texts of retention, holds, deletion and data-subject requests.</summary>
public sealed class RetentionText
{
    /// <summary>"zespół Reklamacje · Przychodzące: 180 dni" — which rule decides, in the reader's language.</summary>
    public static string Describe(RetentionRule rule, IStringLocalizer<RetentionText> l, IStringLocalizer<RecordingsText> types)
    {
        var parts = new List<string>();
        if (rule.Team is { } team) parts.Add(l["Rule_Team", team]);
        if (rule.Type is { } type) parts.Add(types["Type_" + type]);
        var who = parts.Count == 0 ? l["Rule_Default"].Value : string.Join(" · ", parts);
        var archive = rule.ArchiveDays is { } a ? ", " + l["Rule_Archive", a].Value : "";
        return $"{who}: {(rule.Days is { } d ? l["Rule_Days", d].Value : l["Rule_Keep"].Value)}{archive}";
    }
}

public static class RetentionFeature
{
    public static IHostApplicationBuilder AddRetention(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RetentionOptions>().BindConfiguration("Retention").ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<RetentionPolicies>();
        builder.Services.AddSingleton<IRetentionSchedule>(sp => sp.GetRequiredService<RetentionPolicies>());
        builder.Services.AddSingleton<RetentionImpact>();
        builder.Services.AddSingleton<RetentionOverview>();
        builder.Services.AddSingleton<LegalHolds>();
        builder.Services.AddSingleton<RecordingEraser>();
        builder.Services.AddSingleton<ManualDeletion>();
        builder.Services.AddSingleton<SubjectRequests>();
        builder.Services.AddTransient<RetentionPurgeJob>();
        builder.Services.AddTransient<RetentionArchiveJob>();
        builder.Services.AddSingleton<ArchiveRestores>();
        builder.Services.AddTransient<RestorePollJob>();
        return builder;
    }

    public static IEndpointRouteBuilder MapRetention(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<IOptions<RetentionOptions>>().Value;
        var zone = app.ServiceProvider.GetRequiredService<DisplayTime>().Zone;
        var at = TimeOnly.ParseExact(options.PurgeTime, "HH:mm", CultureInfo.InvariantCulture);
        var archiveAt = TimeOnly.ParseExact(options.ArchiveTime, "HH:mm", CultureInfo.InvariantCulture);
        app.MapHoldsApi();
        app.MapDeletionApi();
        app.MapSubjectRequestsApi();
        app.MapArchiveApi();
        // Every start re-registers it, so a changed Retention:PurgeTime takes effect at the next start.
        app.ServiceProvider.GetRequiredService<IRecurringJobManager>().AddOrUpdate<RetentionPurgeJob>(
            RetentionPurgeJob.Id, j => j.RunAsync(CancellationToken.None), Cron.Daily(at.Hour, at.Minute), new RecurringJobOptions { TimeZone = zone });
        app.ServiceProvider.GetRequiredService<IRecurringJobManager>().AddOrUpdate<RetentionArchiveJob>(
            RetentionArchiveJob.Id, j => j.RunAsync(CancellationToken.None), Cron.Daily(archiveAt.Hour, archiveAt.Minute), new RecurringJobOptions { TimeZone = zone });
        app.ServiceProvider.GetRequiredService<IRecurringJobManager>().AddOrUpdate<RestorePollJob>(
            RestorePollJob.Id, j => j.RunAsync(CancellationToken.None), "*/10 * * * *", new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        return app;
    }
}
