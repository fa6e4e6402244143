using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Features.Access;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Tests.Features.Access;

/// <summary>A QualityManager with a team sees that team's calls only; everything else behaves as if it did not exist.</summary>
public sealed class TeamScopeTests(TeamScopeTests.Teams app) : IClassFixture<TeamScopeTests.Teams>
{
    public sealed class Teams : AppFactory
    {
        public Recording Complaints { get; private set; } = default!;
        public Recording Sales { get; private set; } = default!;
        public Recording NoTeam { get; private set; } = default!;

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            Complaints = await TestData.AddWithAudioAsync(this, TestData.Recording(team: "Reklamacje", durationSeconds: 2));
            Sales = await TestData.AddWithAudioAsync(this, TestData.Recording(team: "Sprzedaż", extension: "209", durationSeconds: 2));
            NoTeam = await TestData.AddWithAudioAsync(this, TestData.Recording(team: null, extension: null, type: CallType.Ivr, durationSeconds: 2));
        }
    }

    private static async Task<List<long>> SearchAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/v1/recordings?pageSize=200")).GetProperty("items")
            .EnumerateArray().Select(i => i.GetProperty("id").GetInt64()).Order().ToList();

    [Fact]
    public async Task A_quality_manager_of_a_team_finds_and_plays_only_that_teams_calls()
    {
        var manager = app.ClientAs(Roles.QualityManager, team: "Reklamacje");
        Assert.Equal([app.Complaints.Id], await SearchAsync(manager));
        foreach (var route in new[] { "", "/audio", "/download", "/waveform" })
        {
            Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync($"/api/v1/recordings/{app.Complaints.Id}{route}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await manager.GetAsync($"/api/v1/recordings/{app.Sales.Id}{route}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await manager.GetAsync($"/api/v1/recordings/{app.NoTeam.Id}{route}")).StatusCode);
        }
    }

    [Theory]
    [InlineData(Roles.QualityManager, null)]
    [InlineData(Roles.ComplaintHandler, "Reklamacje")]
    [InlineData(Roles.Compliance, "Sprzedaż")]
    [InlineData(Roles.Administrator, "Reklamacje")]
    public async Task Other_roles_and_managers_without_a_team_see_every_call(string role, string? team)
    {
        Assert.Equal(new[] { app.Complaints.Id, app.Sales.Id, app.NoTeam.Id }.Order().ToList(), await SearchAsync(app.ClientAs(role, team)));
    }

    [Fact]
    public async Task A_read_key_restricted_to_a_team_sees_that_team_only()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var (_, secret) = await scope.ServiceProvider.GetRequiredService<ApiKeys>().CreateAsync("crm-sales", ApiKeyScopes.Read, team: "Sprzedaż");
        var client = app.AnonymousClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", secret);
        Assert.Equal([app.Sales.Id], await SearchAsync(client));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/recordings/{app.Complaints.Id}/audio")).StatusCode);
    }

    [Fact]
    public async Task Signing_in_puts_the_accounts_team_into_the_cookie()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
        Assert.Empty(await accounts.CreateAsync("qm@example.com", "Quality-2026!", Roles.QualityManager, "Reklamacje", null));
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var factory = scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<AppUser>>();
        var principal = await factory.CreateAsync((await users.FindByEmailAsync("qm@example.com"))!);
        Assert.Equal(["Reklamacje"], RecordingScope.TeamsOf(principal));
        Assert.True(principal.IsInRole(Roles.QualityManager));
    }
}
