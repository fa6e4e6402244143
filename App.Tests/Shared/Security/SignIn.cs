using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Features.Access;

namespace NagrywanieRozmow.Tests.Shared.Security;

/// <summary>Signs in through the real sign-in form, as a browser does.</summary>
internal static partial class SignIn
{
    public const string Password = "Secret-2026!";

    public static async Task CreateAccountAsync(AppFactory app, string email, string role = Roles.ComplaintHandler)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var errors = await scope.ServiceProvider.GetRequiredService<UserAccounts>().CreateAsync(email, Password, role, team: null, extension: null);
        Assert.Empty(errors);
    }

    /// <summary>GET the form (its antiforgery cookie lands in the client's jar), then POST it.</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string email, string password)
    {
        var form = await client.GetStringAsync("/account/login");
        var fields = HiddenField().Matches(form).ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
        fields["Input.Email"] = email;
        fields["Input.Password"] = password;
        return await client.PostAsync("/account/login", new FormUrlEncodedContent(fields));
    }

    /// <summary>The sign-in cookie a successful sign-in sets ("name=value").</summary>
    public static string AuthCookie(HttpResponseMessage signedIn, string name = "NagrywanieRozmow.Auth")
    {
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(name + "=", StringComparison.Ordinal)).Split(';')[0];
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenField();
}
