namespace NagrywanieRozmow.Features.Evidence;

/// <summary>Bulk downloads and evidence packages: both hand recordings out of the panel as one ZIP.</summary>
public static class EvidenceFeature
{
    public static IHostApplicationBuilder AddEvidence(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DownloadOptions>().BindConfiguration("Downloads").ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<EvidenceOptions>().BindConfiguration("Evidence");
        builder.Services.AddSingleton<EvidenceKey>();
        builder.Services.AddSingleton<EvidenceSigningKeys>();
        builder.Services.AddSingleton<EvidencePackages>();
        return builder;
    }

    public static IEndpointRouteBuilder MapEvidence(this IEndpointRouteBuilder app)
    {
        app.MapBulkDownload();
        app.MapEvidenceApi();
        return app;
    }
}
