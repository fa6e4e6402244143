namespace NagrywanieRozmow.Features.Recordings;

public static class RecordingsFeature
{
    public static IHostApplicationBuilder AddRecordings(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<RecordingArrivals>();
        builder.Services.AddSingleton<KnownDids>();
        builder.Services.AddHostedService<RecordingArrivalsPoller>();
        builder.Services.AddSingleton<RecordingLabels>();
        builder.Services.AddOptions<CrmOptions>().BindConfiguration("Crm").ValidateDataAnnotations().ValidateOnStart();
        return builder;
    }

    public static IEndpointRouteBuilder MapRecordings(this IEndpointRouteBuilder app) => app.MapRecordingsApi().MapRecordingLabelsApi();
}
