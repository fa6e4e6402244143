using Hangfire;

namespace NagrywanieRozmow.Features.Recordings;

public static class RecordingsFeature
{
    public static IHostApplicationBuilder AddRecordings(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<RecordingArrivals>();
        builder.Services.AddSingleton<RecordingFinder>();
        builder.Services.AddSingleton<KnownDids>();
        builder.Services.AddHostedService<RecordingArrivalsPoller>();
        builder.Services.AddSingleton<RecordingLabels>();
        builder.Services.AddOptions<PhoneNumberOptions>().BindConfiguration(PhoneNumberOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<NumberNormalizer>();
        builder.Services.AddTransient<NumberRenormalizationJob>();
        builder.Services.AddOptions<CrmOptions>().BindConfiguration("Crm").ValidateDataAnnotations().ValidateOnStart();
        return builder;
    }

    /// <summary>
    /// After the number settings changed (or on the first start with recordings stored by an older version), rewrites the stored
    /// digits in the background; an interrupted run is picked up again.
    /// </summary>
    public static async Task RenormalizeNumbersIfSettingsChangedAsync(this IHost app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        if (await scope.ServiceProvider.GetRequiredService<NumberRenormalizationJob>().IsDueAsync())
            scope.ServiceProvider.GetRequiredService<IBackgroundJobClient>().Enqueue<NumberRenormalizationJob>(j => j.RunAsync(CancellationToken.None));
    }

    public static IEndpointRouteBuilder MapRecordings(this IEndpointRouteBuilder app) => app.MapRecordingsApi().MapRecordingLabelsApi();
}
