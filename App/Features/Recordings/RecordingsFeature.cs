namespace NagrywanieRozmow.Features.Recordings;

public static class RecordingsFeature
{
    public static IHostApplicationBuilder AddRecordings(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<RecordingArrivals>();
        builder.Services.AddHostedService<RecordingArrivalsPoller>();
        builder.Services.AddSingleton<RecordingLabels>();
        builder.Services.AddOptions<PhoneNumberOptions>().BindConfiguration(PhoneNumberOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<NumberNormalizer>();
        builder.Services.AddOptions<CrmOptions>().BindConfiguration("Crm").ValidateDataAnnotations().ValidateOnStart();
        return builder;
    }

    public static IEndpointRouteBuilder MapRecordings(this IEndpointRouteBuilder app) => app.MapRecordingsApi().MapRecordingLabelsApi();
}
