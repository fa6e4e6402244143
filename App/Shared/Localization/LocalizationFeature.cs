using Microsoft.AspNetCore.Localization;

namespace NagrywanieRozmow.Shared.Localization;

/// <summary>Marker for the UI texts in Strings.resx (Polish, the default) and Strings.en.resx.</summary>
public sealed class Strings;

public static class LocalizationFeature
{
    public static readonly string[] Cultures = ["pl-PL", "en-US"];

    public static IHostApplicationBuilder AddLocalizationFeature(this IHostApplicationBuilder builder)
    {
        builder.Services.AddLocalization();
        builder.Services.Configure<RequestLocalizationOptions>(o =>
        {
            o.SetDefaultCulture(Cultures[0]).AddSupportedCultures(Cultures).AddSupportedUICultures(Cultures);
            // Only the cookie (set by the language switch) and the default; the browser's language does not override Polish.
            o.RequestCultureProviders = [new CookieRequestCultureProvider()];
        });
        return builder;
    }

    public static IApplicationBuilder UseRequestLocalizationFeature(this IApplicationBuilder app) => app.UseRequestLocalization();

    public static IEndpointRouteBuilder MapLocalization(this IEndpointRouteBuilder app)
    {
        app.MapGet("/culture/set", (string culture, string? redirectUri, HttpContext http, Microsoft.Extensions.Options.IOptions<RequestLocalizationOptions> options) =>
        {
            if (!Cultures.Contains(culture, StringComparer.OrdinalIgnoreCase))
                return Results.Problem($"Unknown culture '{culture}'. Use one of: {string.Join(", ", Cultures)}.", statusCode: 400);
            // The name the provider reads (Security gives it a __Host- name); Secure and HttpOnly come from the cookie policy.
            var cookieName = options.Value.RequestCultureProviders.OfType<CookieRequestCultureProvider>().First().CookieName;
            http.Response.Cookies.Append(cookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax });
            var target = string.IsNullOrEmpty(redirectUri) || !redirectUri.StartsWith('/') || redirectUri.StartsWith("//") ? "/" : redirectUri;
            return Results.LocalRedirect(target);
        }).AllowAnonymous();
        return app;
    }
}
