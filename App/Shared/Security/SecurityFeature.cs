namespace NagrywanieRozmow.Shared.Security;

/// <summary>
/// What makes the panel safe on a company network: security headers and a CSP, `__Host-` cookies, error pages without
/// exception details, HSTS, request body limits (<see cref="UseSecurity"/>, first in the pipeline), then, once the
/// caller is known, API rate limits and antiforgery for cookie-authenticated writes (<see cref="UseSecurityChecks"/>).
/// </summary>
public static class SecurityFeature
{
    public static IHostApplicationBuilder AddSecurity(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SecurityOptions>().BindConfiguration("Security").ValidateDataAnnotations().ValidateOnStart();
        builder.AddSecureCookies();
        builder.AddRateLimits();
        builder.Services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(365));
        return builder;
    }

    public static WebApplication UseSecurity(this WebApplication app)
    {
        app.UseSecurityHeaders();
        app.UseErrorResponses();
        // Strict-Transport-Security on https responses outside Development (not for localhost, where it would stick to
        // every other local project). Behind a TLS-terminating proxy, see README (forwarded headers).
        if (!app.Environment.IsDevelopment()) app.UseHsts();
        app.UseCookiePolicy();
        app.UseMiddleware<RequestBodyLimit>();
        return app;
    }

    /// <summary>After UseAuthentication: limits are per person or key, and the antiforgery rule depends on the cookie.</summary>
    public static WebApplication UseSecurityChecks(this WebApplication app)
    {
        app.UseRateLimiter();
        app.UseMiddleware<CookieAntiforgery>();
        return app;
    }
}
