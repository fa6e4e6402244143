using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace NagrywanieRozmow.Shared.Security;

/// <summary>
/// A state-changing request that carries the sign-in cookie must also carry the antiforgery token (form field, or the
/// `RequestVerificationToken` header), because a browser attaches the cookie to requests another page makes. The JSON
/// API endpoints do not ask for it themselves (only form-bound endpoints do), and SameSite=Lax does not cover a
/// sibling subdomain. Requests with `X-Api-Key` are authenticated by the key alone and a cross-site page cannot add
/// that header, so they pass.
/// </summary>
public sealed class CookieAntiforgery(RequestDelegate next, IAntiforgery antiforgery, IOptionsMonitor<CookieAuthenticationOptions> cookies)
{
    public async Task InvokeAsync(HttpContext http)
    {
        if (NeedsToken(http) && !await antiforgery.IsRequestValidAsync(http))
        {
            await TypedResults.Problem(
                "This request carries the sign-in cookie but no valid antiforgery token. Send it from the panel's own form or " +
                "with the RequestVerificationToken header; integrations use an X-Api-Key instead of the cookie.",
                statusCode: StatusCodes.Status400BadRequest, title: "Antiforgery token missing").ExecuteAsync(http);
            return;
        }
        await next(http);
    }

    private bool NeedsToken(HttpContext http)
    {
        var request = http.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method))
            return false;
        if (request.Headers.ContainsKey(Features.Access.ApiKeyAuthentication.Header)) return false;
        var cookieName = cookies.Get(IdentityConstants.ApplicationScheme).Cookie.Name;
        if (cookieName is null || !request.Cookies.ContainsKey(cookieName)) return false;
        // Blazor's own form endpoints (the sign-in page) and endpoints that opted out are checked by UseAntiforgery as
        // declared. The circuit (/_blazor) is bound to its connection; Hangfire checks the same token itself.
        if (http.GetEndpoint()?.Metadata.GetMetadata<IAntiforgeryMetadata>() is not null) return false;
        return !request.Path.StartsWithSegments("/_blazor") && !request.Path.StartsWithSegments("/hangfire");
    }
}
