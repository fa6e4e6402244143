namespace NagrywanieRozmow.Features.Quality;

/// <summary>Quality audits and training: scorecards, samples, evaluations, timeline comments, collections, reports.</summary>
public static class QualityFeature
{
    public static IHostApplicationBuilder AddQuality(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<Scorecards>();
        builder.Services.AddSingleton<Sampler>();
        builder.Services.AddSingleton<Samples>();
        builder.Services.AddSingleton<Evaluations>();
        builder.Services.AddSingleton<TimelineComments>();
        builder.Services.AddSingleton<Collections>();
        return builder;
    }

    public static IEndpointRouteBuilder MapQuality(this IEndpointRouteBuilder app)
    {
        app.MapTimelineCommentsApi();
        app.MapCollectionsApi();
        return app;
    }
}
