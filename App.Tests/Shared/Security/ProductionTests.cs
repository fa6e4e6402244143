using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace NagrywanieRozmow.Tests.Shared.Security;

/// <summary>
/// The app as it runs in production (environment Production, the default `Security:SecureCookies`), reached over https
/// as behind the company's TLS. Two extra routes throw, to see what a failure shows.
/// </summary>
public sealed class ProductionApp : AppFactory
{
    public const string Secret = "Password=hunter2-in-an-exception";

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Security:SecureCookies"] = null };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Production");
        builder.ConfigureTestServices(s => s.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, Throwing>());
    }

    /// <summary>Answers /boom and /api/v1/boom (no endpoint of the app's) by throwing, behind the whole pipeline.</summary>
    private sealed class Throwing : Microsoft.AspNetCore.Hosting.IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Run(http => http.Request.Path.Value!.EndsWith("/boom", StringComparison.Ordinal)
                ? throw new InvalidOperationException($"Connection failed: {Secret}")
                : Task.CompletedTask);
        };
    }

    public HttpClient Https(bool redirects = false) =>
        CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://panel.example"), AllowAutoRedirect = redirects });
}

public sealed class ProductionTests(ProductionApp app) : IClassFixture<ProductionApp>
{
    private static string CookieNamed(HttpResponseMessage response, string name) =>
        response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(name + "=", StringComparison.Ordinal));

    private static void AssertHostCookie(string setCookie)
    {
        var attributes = setCookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(a => a.ToLowerInvariant()).ToList();
        Assert.Contains("secure", attributes);
        Assert.Contains("path=/", attributes);
        Assert.Contains("httponly", attributes);
        Assert.DoesNotContain(attributes, a => a.StartsWith("domain=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sign_in_antiforgery_and_language_cookies_are_Host_prefixed_and_Secure()
    {
        await SignIn.CreateAccountAsync(app, "prod@example.com");
        var client = app.Https();
        var page = await client.GetAsync("/account/login");
        AssertHostCookie(CookieNamed(page, "__Host-NagrywanieRozmow.Antiforgery"));

        var signedIn = await SignIn.PostAsync(client, "prod@example.com", SignIn.Password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var auth = CookieNamed(signedIn, "__Host-NagrywanieRozmow.Auth");
        AssertHostCookie(auth);
        Assert.Contains("samesite=lax", auth.ToLowerInvariant());
        // The jar sends it back over https, and the panel opens.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/recordings")).StatusCode);

        var language = await client.GetAsync("/culture/set?culture=en-US&redirectUri=%2Faccount%2Flogin");
        AssertHostCookie(CookieNamed(language, "__Host-NagrywanieRozmow.Culture"));
        Assert.Contains("Sign in", await (await app.Https().SendAsync(new HttpRequestMessage(HttpMethod.Get, "/account/login")
        {
            Headers = { { "Cookie", CookieNamed(language, "__Host-NagrywanieRozmow.Culture").Split(';')[0] } },
        })).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Https_answers_carry_HSTS()
    {
        var response = await app.Https().GetAsync("/account/login");
        Assert.StartsWith("max-age=31536000", string.Join("", response.Headers.GetValues("Strict-Transport-Security")));
    }

    [Theory]
    [InlineData("/boom")]
    [InlineData("/api/v1/boom")]
    public async Task A_failure_shows_no_exception_and_no_secret(string path)
    {
        var response = await app.ClientAs(Roles.Administrator).GetAsync(path);
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("hunter2", body);
        Assert.DoesNotContain(nameof(InvalidOperationException), body);
        Assert.DoesNotContain(".cs:line", body);
        if (path.StartsWith("/api", StringComparison.Ordinal))
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("request id", body);
        }
        else
        {
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        }
    }
}
