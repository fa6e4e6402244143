using System.Security.Cryptography;

namespace NagrywanieRozmow.Shared.Security;

/// <summary>
/// Headers every response carries, errors and static files included. Scripts run only from our own origin or with the
/// request's nonce (Blazor's inline import map, see App.razor).
/// </summary>
public static class SecurityHeaders
{
    private const string NonceKey = "csp-nonce";

    /// <summary>The nonce an inline script of this response must carry.</summary>
    public static string Nonce(HttpContext http)
    {
        if (http.Items[NonceKey] is string nonce) return nonce;
        // Hex: base64 characters such as + would be HTML-encoded in the attribute.
        nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        http.Items[NonceKey] = nonce;
        return nonce;
    }

    /// <summary>The policy for the panel and the API.</summary>
    public static string PanelPolicy(string nonce) => string.Join("; ",
        "default-src 'self'",
        $"script-src 'self' 'nonce-{nonce}'",
        // MudBlazor sets style="" attributes on most components and MudThemeProvider writes a <style> element with the
        // theme's variables; neither can carry a nonce, so inline styles stay allowed. Styles cannot run code.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        // The player plays our audio URLs; blob: for a rendition handed to <audio> from memory.
        "media-src 'self' blob:",
        "font-src 'self' data:",
        // Blazor's circuit (WebSocket to the same host: 'self' covers ws/wss in CSP 3) and the waveform fetch.
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'");

    /// <summary>
    /// Hangfire's dashboard writes inline scripts and styles of its own (no nonce support), so on /hangfire alone inline
    /// code is allowed; the page is for Administrators only and takes no input into its scripts.
    /// </summary>
    public const string HangfirePolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        // Decided now: Hangfire moves /hangfire into PathBase while it answers.
        var hangfire = http.Request.Path.StartsWithSegments("/hangfire");
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            headers.ContentSecurityPolicy = hangfire ? HangfirePolicy : PanelPolicy(Nonce(http));
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";   // frame-ancestors for browsers that predate it
            // Same-origin only: panel URLs hold phone numbers and filters, and must not reach the CRM or any other site.
            headers["Referrer-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            return Task.CompletedTask;
        });
        return next(http);
    });
}
