namespace NagrywanieRozmow.Features.Recordings;

public static class RecordingsFeature
{
    public static IHostApplicationBuilder AddRecordings(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<RecordingArrivals>();
        builder.Services.AddHostedService<RecordingArrivalsPoller>();
        return builder;
    }

    public static IEndpointRouteBuilder MapRecordings(this IEndpointRouteBuilder app) => app.MapRecordingsApi();
}
