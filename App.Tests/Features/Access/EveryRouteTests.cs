using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace NagrywanieRozmow.Tests.Features.Access;

/// <summary>
/// Walks every endpoint the app maps and proves that, without signing in, only the allow-listed ones answer. A new route
/// is covered the moment it is mapped: it either demands sign-in or must be added to <see cref="OpenRoutes"/> on purpose.
/// </summary>
public sealed partial class EveryRouteTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static readonly HashSet<string> OpenRoutes =
    [
        "GET /account/login", "POST /account/login", "GET /health/live", "GET /health/ready", "GET /culture/set", "GET /error", "POST /error",
        "GET /api/v1/evidence/public-key",   // the evidence signing keys: public, so a court checks a package without an account
    ];

    public static IEnumerable<(string Method, string Pattern)> Routes(AppFactory app) =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.StaticAssets.StaticAssetDescriptor>() is null)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (m, "/" + e.RoutePattern.RawText!.TrimStart('/'))))
            .Distinct();

    [Fact]
    public async Task Without_sign_in_every_route_but_the_open_ones_is_refused()
    {
        var client = app.AnonymousClient();
        var checkedRoutes = 0;
        var failures = new List<string>();
        foreach (var (method, pattern) in Routes(app))
        {
            var path = Parameter().Replace(pattern, m => m.Value.Contains("long") || m.Value.Contains("int") || m.Value.Contains("id", StringComparison.OrdinalIgnoreCase) ? "1" : "x");
            if (path.Contains("{*") || path.Contains("**")) continue;   // catch-alls (Blazor's _framework fallbacks) are checked by the pages below
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method is "POST" or "PUT") request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
            var response = await client.SendAsync(request);
            checkedRoutes++;
            var key = $"{method} {pattern}";
            var refused = response.StatusCode is HttpStatusCode.Unauthorized
                || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("/account/login"));
            if (OpenRoutes.Contains(key)) continue;
            if (!refused) failures.Add($"{key} answered {(int)response.StatusCode} without sign-in");
        }
        Assert.True(checkedRoutes >= 8, $"only {checkedRoutes} routes found");
        Assert.Empty(failures);
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();
}
