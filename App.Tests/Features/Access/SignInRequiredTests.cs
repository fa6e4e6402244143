using System.Net;

namespace NagrywanieRozmow.Tests.Features.Access;

public sealed class SignInRequiredTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Theory]
    [InlineData("/api/v1/recordings")]
    [InlineData("/api/v1/recordings/1")]
    [InlineData("/api/v1/recordings/1/audio")]
    [InlineData("/api/v1/recordings/1/download")]
    public async Task Api_without_sign_in_answers_401(string path)
    {
        var response = await app.AnonymousClient().GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/recordings")]
    [InlineData("/recordings/1")]
    public async Task Pages_without_sign_in_redirect_to_the_sign_in_page(string path)
    {
        var response = await app.AnonymousClient().GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_in_page_liveness_and_readiness_are_open()
    {
        var client = app.AnonymousClient();
        var login = await client.GetStringAsync("/account/login");
        Assert.Contains("data-testid=\"login-email\"", login);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        // A load balancer asks without signing in; the answer says up or down, nothing more.
        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("""{"status":"ready","database":true,"storage":true,"ffmpeg":true}""", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_agent_gets_403_from_the_search_api()
    {
        var response = await app.ClientAs(Roles.Agent).GetAsync("/api/v1/recordings");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
