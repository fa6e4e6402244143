using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Features.Access;
using NagrywanieRozmow.Shared.Security;

namespace NagrywanieRozmow.Tests.Shared.Security;

public sealed class CookieAntiforgeryTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task A_cookie_signed_in_write_needs_the_antiforgery_token_and_an_API_key_does_not()
    {
        const string email = "cookie@example.com";
        await SignIn.CreateAccountAsync(app, email);
        var recording = await TestData.AddWithAudioAsync(app, TestData.Recording(durationSeconds: 1));
        var auth = SignIn.AuthCookie(await SignIn.PostAsync(app.AnonymousClient(), email, SignIn.Password));
        System.Security.Claims.ClaimsPrincipal person;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<AppUser>>();
            person = await signIn.CreateUserPrincipalAsync((await signIn.UserManager.FindByEmailAsync(email))!);
        }
        var (antiforgeryCookie, _, token) = app.AntiforgeryFor(person);

        // A raw client: exactly the cookies a browser would attach to a request another site makes.
        var raw = app.Server.CreateClient();
        HttpRequestMessage Download(bool withToken)
        {
            var message = new HttpRequestMessage(HttpMethod.Post, "/api/v1/downloads") { Content = JsonContent.Create(new { ids = new[] { recording.Id } }) };
            message.Headers.Add("Cookie", $"{auth}; {antiforgeryCookie}");
            if (withToken) message.Headers.Add("RequestVerificationToken", token);
            return message;
        }

        var forged = await raw.SendAsync(Download(withToken: false));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("antiforgery", await forged.Content.ReadAsStringAsync());
        var refusedDelete = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/recordings/{recording.Id}/tags/x");
        refusedDelete.Headers.Add("Cookie", auth);
        Assert.Equal(HttpStatusCode.BadRequest, (await raw.SendAsync(refusedDelete)).StatusCode);

        var fromPanel = await raw.SendAsync(Download(withToken: true));
        Assert.Equal(HttpStatusCode.OK, fromPanel.StatusCode);
        Assert.Equal("application/zip", fromPanel.Content.Headers.ContentType?.MediaType);

        // The same cookie on a read is fine: nothing changes.
        var read = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/recordings/{recording.Id}");
        read.Headers.Add("Cookie", auth);
        Assert.Equal(HttpStatusCode.OK, (await raw.SendAsync(read)).StatusCode);

        var key = await app.KeyClientAsync(ApiKeyScopes.Read);
        var integration = await key.PostAsJsonAsync("/api/v1/downloads", new { ids = new[] { recording.Id } });
        Assert.Equal(HttpStatusCode.OK, integration.StatusCode);
    }
}

public sealed class RequestLimitTests
{
    private sealed class UploadApp : AppFactory
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Ingestion:QuarantinePath"] = Path.Combine(Root, "quarantine"),
            ["Ingestion:StagingPath"] = Path.Combine(Root, "incoming"),
            ["Ingestion:MaxFileSizeMb"] = "16",
        };
    }

    [Fact]
    public async Task An_oversized_body_is_refused_with_413_but_an_upload_of_a_long_recording_is_not()
    {
        await using var owned = await Owned.StartAsync(new UploadApp());
        var app = owned.App;
        var big = new StringContent("{\"ids\":[" + string.Join(",", Enumerable.Repeat("1", 1_100_000)) + "]}", System.Text.Encoding.UTF8, "application/json");
        var refused = await app.ClientAs(Roles.ComplaintHandler).PostAsync("/api/v1/downloads", big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Security:MaxRequestBodyKb", await refused.Content.ReadAsStringAsync());

        // 200 s of 8 kHz 16-bit audio: 3.2 MB, above the 2 MB default for everything else.
        var audio = TestData.Wav(200);
        Assert.True(audio.Length > 2048 * 1024);
        var form = new MultipartFormDataContent
        {
            { new StringContent(System.Text.Json.JsonSerializer.Serialize(new { callId = "1794816902.9", startedAt = "2026-11-16T08:15:02Z", callerNumber = "48601234567",
                calleeNumber = "201", extension = "201", type = "Incoming" }), System.Text.Encoding.UTF8, "application/json"), "metadata" },
        };
        var part = new ByteArrayContent(audio);
        part.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("audio/wav");
        form.Add(part, "audio", "call.wav");
        var upload = await (await app.KeyClientAsync(ApiKeyScopes.Ingest)).PostAsync("/api/v1/recordings", form);
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
    }
}

public sealed class RateLimitTests
{
    private sealed class LimitedApp(int api = 0, int perAccount = 0, int perAddress = 0) : AppFactory
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["RateLimits:ApiPermitLimit"] = api.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RateLimits:SignInFailuresPerAccount"] = perAccount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RateLimits:SignInFailuresPerAddress"] = perAddress.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    private static async Task AssertTooManyAsync(HttpResponseMessage response, string says)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.True(int.TryParse(string.Join("", response.Headers.GetValues("Retry-After")), out var seconds) && seconds > 0, "Retry-After in seconds");
        Assert.Contains(says, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task The_API_answers_429_with_Retry_After_once_a_key_has_used_its_limit_and_other_keys_go_on()
    {
        await using var owned = await Owned.StartAsync(new LimitedApp(api: 3));
        var app = owned.App;
        var key = await app.KeyClientAsync(ApiKeyScopes.Read);
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await key.GetAsync("/api/v1/recordings")).StatusCode);
        var refused = await key.GetAsync("/api/v1/recordings");
        await AssertTooManyAsync(refused, "RateLimits:ApiPermitLimit");
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);

        Assert.Equal(HttpStatusCode.OK, (await (await app.KeyClientAsync(ApiKeyScopes.Read)).GetAsync("/api/v1/recordings")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.ClientAs(Roles.Administrator).GetAsync("/api/v1/recordings")).StatusCode);
        // The panel's pages are not the API and are not counted.
        Assert.Equal(HttpStatusCode.OK, (await app.AnonymousClient().GetAsync("/account/login")).StatusCode);
    }

    [Fact]
    public async Task After_N_failed_sign_ins_to_one_account_even_the_right_password_waits()
    {
        await using var owned = await Owned.StartAsync(new LimitedApp(perAccount: 2));
        var app = owned.App;
        await SignIn.CreateAccountAsync(app, "guessed@example.com");
        var client = app.AnonymousClient();
        for (var i = 0; i < 2; i++)
            Assert.Equal(HttpStatusCode.OK, (await SignIn.PostAsync(client, "guessed@example.com", "wrong-password")).StatusCode);
        var refused = await SignIn.PostAsync(client, "guessed@example.com", SignIn.Password);
        await AssertTooManyAsync(refused, "Zbyt wiele nieudanych prób logowania");
        Assert.False(refused.Headers.TryGetValues("Set-Cookie", out var set) && set.Any(c => c.StartsWith("NagrywanieRozmow.Auth=", StringComparison.Ordinal)));
        // Another account from the same address is not held up by this one's failures.
        await SignIn.CreateAccountAsync(app, "other@example.com");
        Assert.Equal(HttpStatusCode.Redirect, (await SignIn.PostAsync(client, "other@example.com", SignIn.Password)).StatusCode);
    }

    [Fact]
    public async Task One_address_trying_many_accounts_is_stopped_too()
    {
        await using var owned = await Owned.StartAsync(new LimitedApp(perAddress: 3));
        var app = owned.App;
        var client = app.AnonymousClient();
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await SignIn.PostAsync(client, $"nobody{i}@example.com", "password1")).StatusCode);
        await AssertTooManyAsync(await SignIn.PostAsync(client, "nobody9@example.com", "password1"), "Zbyt wiele");
    }
}

public sealed class SafeFileNameTests
{
    [Theory]
    [InlineData("evidence-REK\"2026\r\nSet-Cookie: a=b.zip")]
    [InlineData("evidence-\u0000\u001f\\..\\..\\x;.zip")]
    [InlineData("nagranie-Łódź-żółć-ą.zip")]
    public void A_file_name_cannot_break_the_Content_Disposition_header(string name)
    {
        var header = SafeFileName.Attachment(name);
        Assert.DoesNotContain('\r', header);
        Assert.DoesNotContain('\n', header);
        Assert.All(header, c => Assert.InRange(c, ' ', '~'));
        var parsed = Microsoft.Net.Http.Headers.ContentDispositionHeaderValue.Parse(header);
        Assert.Equal("attachment", parsed.DispositionType.Value);
        var plain = Microsoft.Net.Http.Headers.HeaderUtilities.RemoveQuotes(parsed.FileName).Value!;
        Assert.DoesNotContain('"', plain);
        Assert.DoesNotContain('\\', plain);
        Assert.DoesNotContain('/', plain);
        Assert.DoesNotContain(';', plain);
        // The readable name keeps Polish letters, only through filename*.
        var readable = parsed.FileNameStar.Value!;
        if (name.StartsWith("nagranie", StringComparison.Ordinal)) Assert.Equal(name, readable);
        Assert.DoesNotContain('\n', readable);
        Assert.DoesNotContain('"', readable);
    }
}

/// <summary>An app of a test's own, with settings for that test alone, deleted afterwards.</summary>
internal sealed class Owned<T>(T app) : IAsyncDisposable where T : AppFactory
{
    public T App { get; } = app;

    public async ValueTask DisposeAsync() => await ((IAsyncLifetime)App).DisposeAsync();
}

internal static class Owned
{
    public static async Task<Owned<T>> StartAsync<T>(T app) where T : AppFactory
    {
        await app.InitializeAsync();
        return new Owned<T>(app);
    }
}
