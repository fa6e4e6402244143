using System.Net;

namespace NagrywanieRozmow.Tests.Shared;

public sealed class LanguageTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task The_panel_speaks_Polish_by_default_and_English_when_chosen()
    {
        var client = app.AnonymousClient();
        var polish = await client.GetStringAsync("/account/login");
        Assert.Contains("Zaloguj", polish);
        Assert.Contains("lang=\"pl\"", polish);

        var set = await client.GetAsync("/culture/set?culture=en-US&redirectUri=%2Faccount%2Flogin");
        Assert.Equal(HttpStatusCode.Redirect, set.StatusCode);
        var cookie = set.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("NagrywanieRozmow.Culture=", StringComparison.Ordinal));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/account/login");
        request.Headers.Add("Cookie", cookie.Split(';')[0]);
        var english = await (await client.SendAsync(request)).Content.ReadAsStringAsync();
        Assert.Contains("Sign in", english);
        Assert.Contains("lang=\"en\"", english);
    }

    [Fact]
    public async Task An_unknown_language_is_refused_with_a_clear_message()
    {
        var response = await app.AnonymousClient().GetAsync("/culture/set?culture=xx-XX");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("xx-XX", await response.Content.ReadAsStringAsync());
    }
}
