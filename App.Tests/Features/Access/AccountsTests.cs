using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NagrywanieRozmow.Features.Access;

namespace NagrywanieRozmow.Tests.Features.Access;

/// <summary>What an administrator does to accounts, how fast it reaches open sessions, and what access attempts leave behind.</summary>
public sealed class AccountsTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static readonly AuditActor Admin = new("boss@example.com", "10.1.2.3");

    private async Task<T> WithAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    private Task<AppUser> UserAsync(string email) => WithAsync(async s => (await s.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email))!);

    private Task<ClaimsPrincipal> PrincipalAsync(string email) => WithAsync(async s =>
        await s.GetRequiredService<IUserClaimsPrincipalFactory<AppUser>>().CreateAsync((await s.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email))!));

    private Task<IReadOnlyList<string>> CreateAsync(string email, string role, string? team = null, string? extension = null, bool own = false) =>
        WithAsync(s => s.GetRequiredService<UserAccounts>().CreateAsync(email, "Password-2026", role, team, extension, hearsOwnRecordings: own, by: Admin));

    private Task<List<AuditEntry>> EntriesAsync(string action) =>
        app.WithDbAsync(db => db.AuditLog.Where(a => a.Action == action).OrderBy(a => a.Id).ToListAsync());

    [Fact]
    public async Task A_disabled_account_loses_its_open_sessions_and_cannot_sign_in()
    {
        Assert.Empty(await CreateAsync("leaver@example.com", Roles.ComplaintHandler));
        var session = await PrincipalAsync("leaver@example.com");
        var circuit = new RevalidatingIdentityAuthenticationStateProvider(NullLoggerFactory.Instance,
            app.Services.GetRequiredService<IServiceScopeFactory>(), app.Services.GetRequiredService<IOptions<IdentityOptions>>());
        var state = new AuthenticationState(session);
        Assert.True(await WithAsync(s => s.GetRequiredService<SignInManager<AppUser>>().ValidateSecurityStampAsync(session)) is not null);
        Assert.True(await ValidateAsync(circuit, state));

        var user = await UserAsync("leaver@example.com");
        Assert.Empty(await WithAsync(s => s.GetRequiredService<UserAccounts>().SetDisabledAsync(user.Id, true, Admin, "left the company")));

        // The cookie (checked each minute) and the Blazor circuit (checked each minute) both stop being accepted.
        Assert.Null(await WithAsync(s => s.GetRequiredService<SignInManager<AppUser>>().ValidateSecurityStampAsync(session)));
        Assert.False(await ValidateAsync(circuit, state));
        Assert.False(await WithAsync(async s => await s.GetRequiredService<SignInManager<AppUser>>().CanSignInAsync(await UserAsync("leaver@example.com"))));
        Assert.Equal(TimeSpan.FromMinutes(1), app.Services.GetRequiredService<IOptions<SecurityStampValidatorOptions>>().Value.ValidationInterval);

        var entry = (await EntriesAsync(AuditActions.UserDisabled)).Last();
        Assert.Equal(("boss@example.com", "10.1.2.3", "left the company"), (entry.Actor, entry.ActorIp, entry.Reason));
        Assert.Contains("leaver@example.com", entry.Details);
    }

    private static Task<bool> ValidateAsync(RevalidatingIdentityAuthenticationStateProvider provider, AuthenticationState state) =>
        (Task<bool>)typeof(RevalidatingIdentityAuthenticationStateProvider)
            .GetMethod("ValidateAuthenticationStateAsync", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
            .Invoke(provider, [state, CancellationToken.None])!;

    [Fact]
    public async Task The_deletion_permission_is_off_by_default_granted_per_person_audited_and_never_given_to_an_agent()
    {
        Assert.Empty(await CreateAsync("deleter@example.com", Roles.ComplaintHandler, team: "Reklamacje"));
        var user = await UserAsync("deleter@example.com");
        Assert.False(Permissions.Allows(await PrincipalAsync("deleter@example.com"), Policies.DeleteRecordings));

        Assert.Empty(await WithAsync(s => s.GetRequiredService<UserAccounts>().ChangeAsync(user.Id,
            new AccountChange(Roles.ComplaintHandler, "Reklamacje", null, null, false, MayDeleteRecordings: true), Admin)));
        Assert.True(Permissions.Allows(await PrincipalAsync("deleter@example.com"), Policies.DeleteRecordings));
        var change = JsonDocument.Parse((await EntriesAsync(AuditActions.UserChanged)).Last().Details!).RootElement.GetProperty("change");
        Assert.False(change.GetProperty("before").GetProperty("mayDeleteRecordings").GetBoolean());
        Assert.True(change.GetProperty("after").GetProperty("mayDeleteRecordings").GetBoolean());

        var refused = await WithAsync(s => s.GetRequiredService<UserAccounts>().ChangeAsync(user.Id,
            new AccountChange(Roles.Agent, "Reklamacje", "201", null, false, MayDeleteRecordings: true), Admin));
        Assert.Contains("agent cannot be given the permission to delete", string.Join(" ", refused));
        Assert.True((await UserAsync("deleter@example.com")).MayDeleteRecordings);
        Assert.True(await WithAsync(async s => await s.GetRequiredService<UserManager<AppUser>>().IsInRoleAsync(await UserAsync("deleter@example.com"), Roles.ComplaintHandler)));
    }

    [Fact]
    public async Task A_change_of_role_and_team_is_audited_with_before_and_after_and_reaches_the_next_cookie()
    {
        Assert.Empty(await CreateAsync("mover@example.com", Roles.ComplaintHandler));
        var user = await UserAsync("mover@example.com");
        Assert.Empty(await WithAsync(s => s.GetRequiredService<UserAccounts>().ChangeAsync(user.Id,
            new AccountChange(Roles.QualityManager, "Reklamacje ,Sprzedaż", null, "Ola Nowak", false, false), Admin)));

        var principal = await PrincipalAsync("mover@example.com");
        Assert.True(principal.IsInRole(Roles.QualityManager));
        Assert.False(principal.IsInRole(Roles.ComplaintHandler));
        Assert.Equal(["Reklamacje", "Sprzedaż"], RecordingScope.TeamsOf(principal));
        var details = JsonDocument.Parse((await EntriesAsync(AuditActions.UserChanged)).Last().Details!).RootElement.GetProperty("change");
        Assert.Equal("ComplaintHandler", details.GetProperty("before").GetProperty("role").GetString());
        Assert.Equal("QualityManager", details.GetProperty("after").GetProperty("role").GetString());
        Assert.Equal("Reklamacje, Sprzedaż", details.GetProperty("after").GetProperty("team").GetString());
    }

    [Theory]
    [InlineData("not-an-email", Roles.Agent, null, "is not an e-mail address")]
    [InlineData("x@example.com", "Boss", null, "Unknown role 'Boss'")]
    [InlineData("y@example.com", Roles.Agent, "20a", "'20a' is not an extension")]
    public async Task Bad_account_data_is_named_and_nothing_is_stored(string email, string role, string? extension, string message)
    {
        var before = await app.WithDbAsync(db => db.Users.CountAsync());
        var errors = await CreateAsync(email, role, extension: extension);
        Assert.Contains(errors, e => e.Contains(message));
        Assert.Equal(before, await app.WithDbAsync(db => db.Users.CountAsync()));
    }

    [Fact]
    public async Task The_last_active_administrator_can_be_neither_demoted_nor_disabled()
    {
        // This fixture's only administrator.
        Assert.Empty(await CreateAsync("only-admin@example.com", Roles.Administrator));
        var user = await UserAsync("only-admin@example.com");
        var accounts = (Func<UserAccounts, Task<IReadOnlyList<string>>> f) => WithAsync(s => f(s.GetRequiredService<UserAccounts>()));
        Assert.Contains("last active administrator", string.Join(" ", await accounts(a => a.SetDisabledAsync(user.Id, true, Admin))));
        Assert.Contains("last active administrator", string.Join(" ", await accounts(a => a.ChangeAsync(user.Id, new AccountChange(Roles.Agent, null, null, null, false, false), Admin))));
        Assert.Contains("own account", string.Join(" ", await accounts(a => a.SetDisabledAsync(user.Id, true, new AuditActor("only-admin@example.com", null)))));
        Assert.True((await PrincipalAsync("only-admin@example.com")).IsInRole(Roles.Administrator));
    }

    [Fact]
    public async Task An_agent_hears_own_calls_when_switched_on_for_them_or_for_their_team_and_not_otherwise()
    {
        Assert.Empty(await CreateAsync("agent-a@example.com", Roles.Agent, team: "Windykacja", extension: "301"));
        Assert.Empty(await CreateAsync("agent-b@example.com", Roles.Agent, team: "Sprzedaż", extension: "302", own: true));
        Assert.Null(RecordingScope.OwnExtensionOf(await PrincipalAsync("agent-a@example.com")));
        Assert.False(Permissions.Allows(await PrincipalAsync("agent-a@example.com"), Policies.ListenRecordings));
        Assert.Equal("302", RecordingScope.OwnExtensionOf(await PrincipalAsync("agent-b@example.com")));

        await WithAsync(async s => { await s.GetRequiredService<UserAccounts>().SetAgentsHearOwnRecordingsAsync("Windykacja", true, Admin); return 0; });
        var agent = await PrincipalAsync("agent-a@example.com");
        Assert.Equal("301", RecordingScope.OwnExtensionOf(agent));
        Assert.True(Permissions.Allows(agent, Policies.ListenRecordings));
        Assert.False(Permissions.Allows(agent, Policies.DownloadRecordings));
        var setting = (await EntriesAsync(AuditActions.SettingChanged)).Last();
        Assert.Contains("\"team\":\"Windykacja\"", setting.Details);
        Assert.Contains("\"after\":true", setting.Details);
    }

    [Fact]
    public async Task Another_teams_recording_or_a_forged_id_is_404_and_leaves_a_denied_entry()
    {
        var other = await TestData.AddWithAudioAsync(app, TestData.Recording(team: "Sprzedaż", durationSeconds: 1));
        var manager = app.ClientAs(Roles.QualityManager, team: "Reklamacje", email: "qm-scope@example.com");
        var before = await app.WithDbAsync(db => db.Recordings.CountAsync());
        foreach (var path in new[] { $"/api/v1/recordings/{other.Id}/audio", "/api/v1/recordings/987654321/download" })
        {
            var response = await manager.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Contains("There is no recording", await response.Content.ReadAsStringAsync());
        }
        var attempts = await app.WithDbAsync(db => db.AuditLog.Where(a => a.Action == AuditActions.RecordingAccess && a.Actor == "qm-scope@example.com").OrderBy(a => a.Id).ToListAsync());
        Assert.Equal([other.Id, 987654321L], attempts.Select(a => a.RecordingId!.Value));
        Assert.All(attempts, a => Assert.Equal(AuditOutcomes.Denied, a.Outcome));
        Assert.Equal(before, await app.WithDbAsync(db => db.Recordings.CountAsync()));
        Assert.Empty(await app.WithDbAsync(db => db.AuditLog.Where(a => a.Actor == "qm-scope@example.com" && a.Action == AuditActions.Listen).ToListAsync()));
    }

    [Fact]
    public async Task A_role_without_the_permission_gets_403_and_the_attempt_is_written_down()
    {
        var response = await app.ClientAs(Roles.Compliance, email: "no-download@example.com").GetAsync("/api/v1/recordings/1/download");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var entry = (await EntriesAsync(AuditActions.AccessDenied)).Last(a => a.Actor == "no-download@example.com");
        Assert.Contains("/api/v1/recordings/1/download", entry.Details);
        Assert.Equal(1, entry.RecordingId);
    }

    [Fact]
    public async Task A_revoked_key_is_refused_with_a_reason_and_the_attempt_is_logged_once_a_minute()
    {
        var keys = app.Services.GetRequiredService<ApiKeys>();
        var (key, secret) = await keys.CreateAsync("old-crm", ApiKeyScopes.Read, by: Admin);
        Assert.NotNull(await keys.RevokeAsync(key.Id, Admin));
        var client = app.AnonymousClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthentication.Header, secret);
        for (var i = 0; i < 3; i++)
        {
            var response = await client.GetAsync("/api/v1/recordings");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains("unknown or revoked", await response.Content.ReadAsStringAsync());
        }
        var rejected = (await EntriesAsync(AuditActions.ApiKeyRejected)).Where(a => a.Actor == $"apikey:{secret[..10]}…").ToList();
        Assert.Single(rejected);
        Assert.Equal([AuditActions.ApiKeyCreated, AuditActions.ApiKeyRevoked],
            (await app.WithDbAsync(db => db.AuditLog.Where(a => a.Details != null && a.Details.Contains("\"key\":\"old-crm\"")).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync())));
    }

    [Fact]
    public async Task A_search_is_audited_once_with_its_filters_not_once_per_page()
    {
        for (var i = 0; i < 3; i++) await TestData.AddAsync(app, TestData.Recording(caller: "48601999888"));
        var client = app.ClientAs(Roles.ComplaintHandler, email: "searcher@example.com");
        var first = await client.GetFromJsonAsync<JsonElement>("/api/v1/recordings?number=601999&pageSize=1");
        var cursor = first.GetProperty("nextCursor").GetString();
        await client.GetAsync($"/api/v1/recordings?number=601999&pageSize=1&cursor={Uri.EscapeDataString(cursor!)}");
        var searches = await app.WithDbAsync(db => db.AuditLog.Where(a => a.Action == AuditActions.Search && a.Actor == "searcher@example.com").ToListAsync());
        Assert.Equal("{\"number\":\"601999\"}", Assert.Single(searches).Details);
    }
}
