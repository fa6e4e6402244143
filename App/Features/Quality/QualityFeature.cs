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
        builder.Services.AddSingleton<QualityReports>();
        return builder;
    }

    public static IEndpointRouteBuilder MapQuality(this IEndpointRouteBuilder app)
    {
        app.MapTimelineCommentsApi();
        app.MapCollectionsApi();
        app.MapEvaluationAudioApi();
        app.MapQualityReportsApi();
        return app;
    }
}
