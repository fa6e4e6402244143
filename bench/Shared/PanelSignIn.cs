using System.Net;
using System.Text.RegularExpressions;

namespace NagrywanieRozmow.Bench;

/// <summary>Signs an HttpClient (with a cookie container) in through the panel's real sign-in form. Linked into each bench.</summary>
internal static class PanelSignIn
{
    public static async Task SignInAsync(HttpClient http, string email, string password)
    {
        var form = await http.GetStringAsync("/account/login");
        var fields = Regex.Matches(form, "<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")
            .ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
        fields["Input.Email"] = email;
        fields["Input.Password"] = password;
        using var response = await http.PostAsync("/account/login", new FormUrlEncodedContent(fields));
        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.OriginalString.Contains("login") == true)
            throw new InvalidOperationException($"Sign-in as {email} failed ({(int)response.StatusCode}).");
    }
}
