using System.Net;
using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using NagrywanieRozmow.Features.Access;

namespace NagrywanieRozmow.Tests.Features.Access;

public sealed class EntraIdRoleMappingTests
{
    private static ClaimsPrincipal Token(params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), "oidc"));

    [Theory]
    [InlineData("Administrator", Roles.Administrator)]
    [InlineData("QualityManager", Roles.QualityManager)]
    [InlineData("ComplaintHandler", Roles.ComplaintHandler)]
    [InlineData("Compliance", Roles.Compliance)]
    [InlineData("Agent", Roles.Agent)]
    [InlineData("qualitymanager", Roles.QualityManager)]
    public void Each_of_our_role_names_maps_to_itself(string appRole, string expected)
    {
        Assert.Equal(expected, EntraRoleMapping.Map(Token(("roles", appRole))).Role);
    }

    [Fact]
    public void Roles_arrive_as_roles_or_as_the_mapped_role_claim_type()
    {
        Assert.Equal(Roles.Compliance, EntraRoleMapping.Map(Token(("roles", "Compliance"))).Role);
        Assert.Equal(Roles.Compliance, EntraRoleMapping.Map(Token((ClaimTypes.Role, "Compliance"))).Role);
    }

    [Fact]
    public void An_unknown_app_role_or_none_gives_no_role()
    {
        Assert.Null(EntraRoleMapping.Map(Token(("roles", "Recordings.Reader"))).Role);
        Assert.Null(EntraRoleMapping.Map(Token(("preferred_username", "a@example.com"))).Role);
    }

    [Theory]
    [InlineData(Roles.Administrator, new[] { "Agent", "Administrator", "Compliance" })]
    [InlineData(Roles.Compliance, new[] { "Agent", "QualityManager", "Compliance" })]
    [InlineData(Roles.QualityManager, new[] { "ComplaintHandler", "QualityManager" })]
    [InlineData(Roles.ComplaintHandler, new[] { "Agent", "ComplaintHandler", "Unknown" })]
    public void Several_app_roles_give_the_most_privileged(string expected, string[] appRoles)
    {
        Assert.Equal(expected, EntraRoleMapping.Map(Token(appRoles.Select(r => ("roles", r)).ToArray())).Role);
    }

    [Theory]
    [InlineData("preferred_username")]
    [InlineData(ClaimTypes.Email)]
    [InlineData("email")]
    [InlineData("upn")]
    public void The_e_mail_comes_from_any_of_the_usual_claims(string type)
    {
        Assert.Equal("anna@example.com", EntraRoleMapping.Map(Token((type, " anna@example.com "))).Email);
    }

    [Fact]
    public void A_preferred_username_that_is_not_an_address_falls_back_to_the_next_claim()
    {
        var identity = EntraRoleMapping.Map(Token(("preferred_username", "anna"), ("email", "anna@example.com")));
        Assert.Equal("anna@example.com", identity.Email);
        Assert.Null(EntraRoleMapping.Map(Token(("preferred_username", "anna"))).Email);
    }

    [Fact]
    public void Object_id_and_name_are_read_in_both_claim_forms()
    {
        var shortForm = EntraRoleMapping.Map(Token(("oid", "id-1"), ("name", "Anna Nowak")));
        Assert.Equal(("id-1", "Anna Nowak"), (shortForm.ObjectId, shortForm.DisplayName));
        Assert.Equal("id-2", EntraRoleMapping.Map(Token(("http://schemas.microsoft.com/identity/claims/objectidentifier", "id-2"))).ObjectId);
    }

    [Fact]
    public void A_custom_role_map_adds_app_role_values_of_the_tenant()
    {
        var map = new Dictionary<string, string> { ["Recordings.Admin"] = "Administrator", ["Recordings.Listen"] = "qualitymanager" };
        Assert.Equal(Roles.Administrator, EntraRoleMapping.Map(Token(("roles", "recordings.admin")), map).Role);
        Assert.Equal(Roles.QualityManager, EntraRoleMapping.Map(Token(("roles", "Recordings.Listen")), map).Role);
        Assert.Equal(Roles.Agent, EntraRoleMapping.Map(Token(("roles", "Agent")), map).Role);
    }
}

public sealed class EntraIdOptionsValidationTests
{
    private static IReadOnlyList<string> Problems(EntraIdOptions options) =>
        new EntraIdOptionsValidation().Validate(null, options).Failures?.ToList() ?? [];

    [Fact]
    public void Nothing_set_is_valid_and_means_local_accounts()
    {
        var options = new EntraIdOptions();
        Assert.Empty(Problems(options));
        Assert.False(options.IsConfigured);
        Assert.True(options.LocalAccountsEnabled);
    }

    [Fact]
    public void Bad_settings_are_named_by_their_key()
    {
        Assert.Contains(Problems(new EntraIdOptions { ClientId = "x" }), p => p.Contains("AzureAd:TenantId is empty"));
        var configured = new EntraIdOptions { ClientId = "x", TenantId = "t", Instance = "http://login", RoleMap = { ["Recordings.Admin"] = "Boss" } };
        var problems = Problems(configured);
        Assert.Contains(problems, p => p.Contains("AzureAd:ClientSecret is empty"));
        Assert.Contains(problems, p => p.Contains("AzureAd:Instance 'http://login'"));
        Assert.Contains(problems, p => p.Contains("AzureAd:RoleMap:Recordings.Admin = 'Boss' is not a role"));
    }
}

public sealed class EntraIdNotConfiguredTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Without_AzureAd_there_is_no_Entra_scheme_and_the_password_form_is_shown()
    {
        var schemes = app.Services.GetRequiredService<IAuthenticationSchemeProvider>();
        Assert.Null(await schemes.GetSchemeAsync(EntraIdOptions.Scheme));

        var login = await app.AnonymousClient().GetStringAsync("/account/login");
        Assert.DoesNotContain("data-testid=\"login-entra\"", login);
        Assert.Contains("data-testid=\"login-email\"", login);
        Assert.Contains("data-testid=\"login-password\"", login);
        Assert.Contains("data-testid=\"login-submit\"", login);
    }

    [Fact]
    public async Task Without_AzureAd_the_Entra_routes_do_not_exist()
    {
        var response = await app.AnonymousClient().GetAsync(EntraIdFeature.LoginPath);
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("login.microsoftonline.com", response.Headers.Location?.ToString() ?? "");
    }
}

/// <summary>Entra ID configured for a made-up tenant; the OpenID metadata is given here, so nothing goes to the network.</summary>
public class EntraIdFactory : AppFactory
{
    public const string Tenant = "0c1f4b2e-6b8a-4c55-9d3e-7a2b1c0d9e8f";
    public const string Client = "5e6f7a8b-1c2d-4e3f-9a0b-c1d2e3f4a5b6";
    public static readonly string Authority = $"https://login.microsoftonline.com/{Tenant}";

    protected virtual bool AllowLocalAccounts => false;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["AzureAd:TenantId"] = Tenant,
        ["AzureAd:ClientId"] = Client,
        ["AzureAd:ClientSecret"] = "test-secret",
        ["AzureAd:AllowLocalAccounts"] = AllowLocalAccounts ? "true" : "false",
        ["AzureAd:RoleMap:Recordings.Admin"] = Roles.Administrator,
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.PostConfigure<OpenIdConnectOptions>(EntraIdOptions.Scheme, o =>
        {
            var metadata = new OpenIdConnectConfiguration
            {
                Issuer = $"{Authority}/v2.0",
                AuthorizationEndpoint = $"{Authority}/oauth2/v2.0/authorize",
                TokenEndpoint = $"{Authority}/oauth2/v2.0/token",
                EndSessionEndpoint = $"{Authority}/oauth2/v2.0/logout",
            };
            o.Configuration = metadata;
            o.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(metadata);
        }));
        builder.ConfigureTestServices(services => services.AddSingleton<IStartupFilter, MicrosoftStandIn>());
    }

    public const string StandInPath = "/test/entra-signed-in";

    /// <summary>
    /// Plays Microsoft's part of the round trip: leaves the external cookie that the OpenID Connect handler writes after
    /// validating a token, with the claims given in the query (claim type=value, repeatable).
    /// </summary>
    private sealed class MicrosoftStandIn : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            // Not app.Map: that would move the path base, and with it the cookie's path.
            app.Use(async (ctx, nextMiddleware) =>
            {
                if (ctx.Request.Path != StandInPath)
                {
                    await nextMiddleware(ctx);
                    return;
                }
                var claims = ctx.Request.Query.SelectMany(q => q.Value.Select(v => new Claim(q.Key, v ?? "")));
                await ctx.SignInAsync(IdentityConstants.ExternalScheme, new ClaimsPrincipal(new ClaimsIdentity(claims, EntraIdOptions.Scheme)));
            });
            next(app);
        };
    }
}

public sealed class EntraIdWithLocalAccountsFactory : EntraIdFactory
{
    protected override bool AllowLocalAccounts => true;
}

public sealed partial class EntraIdConfiguredTests(EntraIdFactory app) : IClassFixture<EntraIdFactory>
{
    [Fact]
    public async Task The_Entra_scheme_is_registered_without_taking_over_the_default()
    {
        var schemes = app.Services.GetRequiredService<IAuthenticationSchemeProvider>();
        Assert.NotNull(await schemes.GetSchemeAsync(EntraIdOptions.Scheme));
        var oidc = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<OpenIdConnectOptions>>().Get(EntraIdOptions.Scheme);
        Assert.Equal(IdentityConstants.ExternalScheme, oidc.SignInScheme);

        // Pages still send an anonymous visitor to our own sign-in page, not straight to Microsoft.
        var page = await app.AnonymousClient().GetAsync("/recordings");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/account/login", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_Microsoft_button_redirects_to_the_tenants_authorize_endpoint()
    {
        var response = await app.AnonymousClient().GetAsync($"{EntraIdFeature.LoginPath}?returnUrl=%2Frecordings%2F7");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        Assert.StartsWith($"https://login.microsoftonline.com/{EntraIdFactory.Tenant}/oauth2/v2.0/authorize?", location, StringComparison.Ordinal);
        Assert.Contains($"client_id={EntraIdFactory.Client}", location);
        Assert.Contains("redirect_uri=" + Uri.EscapeDataString("http://localhost/signin-oidc"), location);
    }

    [Fact]
    public async Task The_sign_in_page_offers_Microsoft_and_no_password()
    {
        var login = await app.AnonymousClient().GetStringAsync("/account/login?returnUrl=%2Frecordings%2F7");
        Assert.Contains("data-testid=\"login-entra\"", login);
        Assert.Contains("href=\"/account/login/entra?returnUrl=%2Frecordings%2F7\"", login);
        Assert.DoesNotContain("data-testid=\"login-password\"", login);
        Assert.DoesNotContain("data-testid=\"login-email\"", login);
    }

    [Theory]
    [InlineData(EntraErrors.NoRole, "nie ma przypisanej roli")]
    [InlineData(EntraErrors.NoEmail, "nie podało adresu e-mail")]
    [InlineData(EntraErrors.Disabled, "To konto jest wyłączone")]
    public async Task A_refused_Microsoft_sign_in_is_explained_on_the_sign_in_page(string error, string message)
    {
        var login = WebUtility.HtmlDecode(await app.AnonymousClient().GetStringAsync($"/account/login?error={error}"));
        Assert.Contains(message, login);
    }

    [Fact]
    public async Task A_posted_password_is_refused_and_audited()
    {
        const string email = "posted@example.com";
        await CreateLocalAsync(email, Roles.Administrator);
        var client = app.AnonymousClient();
        var page = await client.GetStringAsync("/account/login");
        var token = AntiforgeryToken().Match(page).Groups[1].Value;
        Assert.NotEmpty(token);

        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login", ["__RequestVerificationToken"] = token, ["Input.Email"] = email, ["Input.Password"] = "Passw0rd!long",
        }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(response.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith("NagrywanieRozmow.Auth=")));
        Assert.Contains("Logowanie hasłem jest wyłączone; zaloguj się kontem Microsoft.", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
        var entry = await LastSignInAsync(email);
        Assert.Equal((AuditOutcomes.Denied, "local accounts disabled"), (entry!.Outcome, entry.Reason));
    }

    [Fact]
    public async Task A_first_sign_in_creates_the_account_with_the_role_from_the_token()
    {
        var outcome = await ProvisionAsync(new EntraIdentity("new@example.com", "oid-new", "Nowa Osoba", Roles.QualityManager));

        Assert.Null(outcome.Error);
        Assert.Equal((Roles.QualityManager, "Nowa Osoba"), await RoleAndNameAsync("new@example.com"));
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        Assert.Equal("new@example.com", (await users.FindByLoginAsync(EntraIdOptions.Scheme, "oid-new"))?.Email);
    }

    [Fact]
    public async Task The_role_in_the_token_wins_at_every_sign_in_and_the_change_is_audited()
    {
        await ProvisionAsync(new EntraIdentity("moved@example.com", "oid-moved", null, Roles.Agent));
        var second = await ProvisionAsync(new EntraIdentity("moved@example.com", "oid-moved", null, Roles.Compliance));

        Assert.Null(second.Error);
        Assert.Equal(Roles.Compliance, (await RoleAndNameAsync("moved@example.com")).Role);
        var change = await app.WithDbAsync(db => db.Set<AuditEntry>().AsNoTracking()
            .Where(a => a.Action == AuditActions.UserChanged && a.Actor == EntraAccounts.Actor && a.Details!.Contains("moved@example.com"))
            .OrderByDescending(a => a.Id).FirstOrDefaultAsync());
        Assert.Contains("\"before\":{\"role\":\"Agent\"}", change!.Details);
        Assert.Contains("\"after\":{\"role\":\"Compliance\"}", change.Details);
    }

    [Fact]
    public async Task A_local_account_keeps_its_team_and_extension_when_linked_to_Microsoft()
    {
        await CreateLocalAsync("local@example.com", Roles.Agent, team: "Reklamacje", extension: "204");

        var outcome = await ProvisionAsync(new EntraIdentity("local@example.com", "oid-local", "Lokalna", Roles.QualityManager));

        Assert.Null(outcome.Error);
        Assert.Equal(("Reklamacje", "204"), (outcome.User!.Team, outcome.User.Extension));
        Assert.Equal(Roles.QualityManager, (await RoleAndNameAsync("local@example.com")).Role);
        var again = await ProvisionAsync(new EntraIdentity("local@example.com", "oid-local", "Lokalna", Roles.QualityManager));
        Assert.Equal(outcome.User.Id, again.User!.Id);
    }

    [Fact]
    public async Task A_locally_disabled_account_is_refused()
    {
        var id = await CreateLocalAsync("off@example.com", Roles.Agent);
        await using (var scope = app.Services.CreateAsyncScope())
            Assert.Empty(await scope.ServiceProvider.GetRequiredService<UserAccounts>().SetDisabledAsync(id, true, new AuditActor("admin@example.com", null)));

        var outcome = await ProvisionAsync(new EntraIdentity("off@example.com", "oid-off", null, Roles.Agent));

        Assert.Equal((null, EntraErrors.Disabled), (outcome.User, outcome.Error));
        var entry = await LastSignInAsync("off@example.com");
        Assert.Equal((AuditOutcomes.Denied, "account disabled"), (entry!.Outcome, entry.Reason));
    }

    [Theory]
    [InlineData(null, "oid-x", Roles.Agent, EntraErrors.NoEmail)]
    [InlineData("norole@example.com", "oid-y", null, EntraErrors.NoRole)]
    [InlineData("noid@example.com", null, Roles.Agent, EntraErrors.Failed)]
    public async Task A_token_without_what_we_need_is_refused_and_creates_nothing(string? email, string? oid, string? role, string error)
    {
        var outcome = await ProvisionAsync(new EntraIdentity(email, oid, null, role));

        Assert.Equal((null, error), (outcome.User, outcome.Error));
        if (email is not null) Assert.Null(await app.WithDbAsync(db => db.Users.FirstOrDefaultAsync(u => u.Email == email)));
    }

    [Fact]
    public async Task An_address_already_linked_to_another_Microsoft_account_is_refused()
    {
        await ProvisionAsync(new EntraIdentity("twin@example.com", "oid-first", null, Roles.Agent));

        var outcome = await ProvisionAsync(new EntraIdentity("twin@example.com", "oid-second", null, Roles.Administrator));

        Assert.Equal(EntraErrors.Conflict, outcome.Error);
        Assert.Equal(Roles.Agent, (await RoleAndNameAsync("twin@example.com")).Role);
    }

    [Fact]
    public async Task The_callback_without_a_Microsoft_sign_in_goes_back_to_the_sign_in_page_with_a_reason()
    {
        var response = await app.AnonymousClient().GetAsync($"{EntraIdFeature.CallbackPath}?returnUrl=%2Frecordings");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/account/login?error={EntraErrors.Failed}", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task After_Microsoft_the_callback_gives_the_normal_session_and_goes_to_the_return_url()
    {
        var client = app.AnonymousClient();
        await client.GetAsync($"{EntraIdFactory.StandInPath}?oid=oid-e2e&preferred_username=e2e@example.com&roles=Recordings.Admin&name=E2E");

        var callback = await client.GetAsync($"{EntraIdFeature.CallbackPath}?returnUrl={Uri.EscapeDataString("/recordings?number=600")}");

        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal("/recordings?number=600", callback.Headers.Location!.OriginalString);
        Assert.Contains(callback.Headers.GetValues("Set-Cookie"), v => v.StartsWith("NagrywanieRozmow.Auth="));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/recordings")).StatusCode);
        Assert.Equal((Roles.Administrator, "E2E"), await RoleAndNameAsync("e2e@example.com"));
        Assert.Equal(AuditOutcomes.Success, (await LastSignInAsync("e2e@example.com"))!.Outcome);
    }

    [Fact]
    public async Task After_Microsoft_a_token_without_our_app_role_ends_on_the_sign_in_page_with_the_reason()
    {
        var client = app.AnonymousClient();
        await client.GetAsync($"{EntraIdFactory.StandInPath}?oid=oid-norole&preferred_username=norole2@example.com&roles=Something.Else");

        var callback = await client.GetAsync($"{EntraIdFeature.CallbackPath}?returnUrl=%2Frecordings");

        Assert.Equal($"/account/login?error={EntraErrors.NoRole}", callback.Headers.Location!.OriginalString);
        Assert.DoesNotContain(callback.Headers.TryGetValues("Set-Cookie", out var set) ? set : [], v => v.StartsWith("NagrywanieRozmow.Auth="));
        Assert.Equal(AuditOutcomes.Denied, (await LastSignInAsync("norole2@example.com"))!.Outcome);
        Assert.Null(await app.WithDbAsync(db => db.Users.FirstOrDefaultAsync(u => u.Email == "norole2@example.com")));
    }

    private async Task<EntraProvisioning> ProvisionAsync(EntraIdentity identity)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<EntraAccounts>().ProvisionAsync(identity, "127.0.0.1");
    }

    private async Task<string> CreateLocalAsync(string email, string role, string? team = null, string? extension = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        Assert.Empty(await scope.ServiceProvider.GetRequiredService<UserAccounts>().CreateAsync(email, "Passw0rd!long", role, team, extension));
        return (await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email))!.Id;
    }

    private async Task<(string? Role, string? Name)> RoleAndNameAsync(string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = (await users.FindByEmailAsync(email))!;
        return (Assert.Single(await users.GetRolesAsync(user)), user.DisplayName);
    }

    private Task<AuditEntry?> LastSignInAsync(string email) =>
        app.WithDbAsync(db => db.Set<AuditEntry>().AsNoTracking()
            .Where(a => a.Action == AuditActions.SignIn && a.Actor == email).OrderByDescending(a => a.Id).FirstOrDefaultAsync());

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}

public sealed class EntraIdWithLocalAccountsTests(EntraIdWithLocalAccountsFactory app) : IClassFixture<EntraIdWithLocalAccountsFactory>
{
    [Fact]
    public async Task With_AllowLocalAccounts_both_ways_of_signing_in_are_offered()
    {
        var login = await app.AnonymousClient().GetStringAsync("/account/login");
        Assert.Contains("data-testid=\"login-entra\"", login);
        Assert.Contains("data-testid=\"login-password\"", login);
        Assert.Contains("data-testid=\"login-submit\"", login);
    }
}
