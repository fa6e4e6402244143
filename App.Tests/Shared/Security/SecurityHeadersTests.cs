using System.Net;
using System.Text.RegularExpressions;

namespace NagrywanieRozmow.Tests.Shared.Security;

public sealed partial class SecurityHeadersTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values)
        : response.Content.Headers.TryGetValues(name, out var content) ? string.Join(", ", content) : "";

    private static string Directive(string csp, string name) =>
        csp.Split(';', StringSplitOptions.TrimEntries).SingleOrDefault(d => d.StartsWith(name + " ", StringComparison.Ordinal)) ?? "";

    private static void AssertCommonHeaders(HttpResponseMessage response)
    {
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("same-origin", Header(response, "Referrer-Policy"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Contains("microphone=()", Header(response, "Permissions-Policy"));
        var csp = Header(response, "Content-Security-Policy");
        Assert.Equal("frame-ancestors 'none'", Directive(csp, "frame-ancestors"));
        Assert.Equal("object-src 'none'", Directive(csp, "object-src"));
    }

    [Theory]
    [InlineData("/account/login", null)]
    [InlineData("/recordings", Roles.Administrator)]
    public async Task A_page_runs_only_its_own_scripts_and_the_import_map_by_nonce(string path, string? role)
    {
        var client = role is null ? app.AnonymousClient() : app.ClientAs(role);
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertCommonHeaders(response);
        var csp = Header(response, "Content-Security-Policy");
        var scripts = Directive(csp, "script-src");
        Assert.DoesNotContain("unsafe-inline", scripts);
        Assert.DoesNotContain("unsafe-eval", scripts);
        Assert.Equal("media-src 'self' blob:", Directive(csp, "media-src"));
        var nonce = Regex.Match(scripts, "'nonce-([^']+)'").Groups[1].Value;
        Assert.NotEmpty(nonce);

        // Every inline script of the page (Blazor's import map) carries this response's nonce; every other one is a file.
        var html = await response.Content.ReadAsStringAsync();
        var tags = ScriptTag().Matches(html).Select(m => m.Value).ToList();
        Assert.Contains(tags, t => t.Contains("importmap"));
        foreach (var tag in tags.Where(t => !t.Contains(" src=")))
            Assert.Contains($"nonce=\"{nonce}\"", tag);

        // A new nonce for every response.
        var again = Directive(Header(await client.GetAsync(path), "Content-Security-Policy"), "script-src");
        Assert.NotEqual(scripts, again);
    }

    [Fact]
    public async Task An_api_answer_and_an_error_carry_the_headers_too()
    {
        var ok = await app.ClientAs(Roles.Administrator).GetAsync("/api/v1/recordings");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        AssertCommonHeaders(ok);
        var refused = await app.AnonymousClient().GetAsync("/api/v1/recordings");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        AssertCommonHeaders(refused);
    }

    [Fact]
    public async Task Only_the_Hangfire_dashboard_may_run_inline_scripts()
    {
        var response = await app.ClientAs(Roles.Administrator).GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertCommonHeaders(response);
        Assert.Contains("'unsafe-inline'", Directive(Header(response, "Content-Security-Policy"), "script-src"));
    }

    [GeneratedRegex("<script\\b[^>]*>")]
    private static partial Regex ScriptTag();
}
