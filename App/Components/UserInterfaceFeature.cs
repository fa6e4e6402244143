using MudBlazor.Services;

namespace NagrywanieRozmow.Components;

public static class UserInterfaceFeature
{
    /// <summary>appsettings.Development.json sits at the top of the repository (beside the solution), not inside App.</summary>
    public static IHostApplicationBuilder AddDevelopmentSettingsFromRepositoryRoot(this IHostApplicationBuilder builder)
    {
        if (builder.Environment.IsDevelopment())
        {
            var path = Path.GetFullPath(Path.Combine(builder.Environment.ContentRootPath, "..", "appsettings.Development.json"));
            if (File.Exists(path))
            {
                // Right after App's own appsettings files, so environment variables and the command line still win.
                var sources = builder.Configuration.Sources;
                var index = sources.ToList().FindLastIndex(s => s is Microsoft.Extensions.Configuration.Json.JsonConfigurationSource);
                var json = new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource { Path = path, Optional = true, ReloadOnChange = false };
                json.ResolveFileProvider();
                sources.Insert(index + 1, json);
            }
        }
        return builder;
    }

    public static WebApplicationBuilder AddUserInterface(this WebApplicationBuilder builder)
    {
        // Package assets (MudBlazor, the Blazor script) are served from the build output in every environment, not only
        // Development; a published app has them in wwwroot and this is a no-op.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddProblemDetails();
        builder.Services.AddHealthChecks();
        return builder;
    }

    /// <summary>API errors without a body (401, 403, 404, 405) still answer as problem+json.</summary>
    public static IApplicationBuilder UseStatusCodePagesForProblems(this IApplicationBuilder app) => app.UseStatusCodePages();

    public static IEndpointRouteBuilder MapUserInterface(this IEndpointRouteBuilder app)
    {
        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
