namespace NagrywanieRozmow.Features.Recordings;

public static class RecordingsFeature
{
    public static IHostApplicationBuilder AddRecordings(this IHostApplicationBuilder builder) => builder;

    public static IEndpointRouteBuilder MapRecordings(this IEndpointRouteBuilder app) => app.MapRecordingsApi();
}
