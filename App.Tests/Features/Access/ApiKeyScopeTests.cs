using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Features.Access;
using NagrywanieRozmow.Shared.Cli;

namespace NagrywanieRozmow.Tests.Features.Access;

/// <summary>
/// What a CRM or a legal system does with nothing but a key: the `label` scope attaches and removes case numbers and tags,
/// the `holds` scope places and lifts legal holds, each within the key's team, each audited under the key's name; a key
/// does nothing its scopes do not name.
/// </summary>
public sealed class ApiKeyScopeTests(AppFactory app) : IClassFixture<AppFactory>
{
    private async Task<(string Key, string Output)> CreateKeyAsync(params string[] args)
    {
        var (exit, output) = await app.RunCliAsync(ApiKeysCli.CreateAsync, args);
        Assert.Equal(0, exit);
        return (output.TrimEnd().Split('\n')[^1].Trim(), output);
    }

    private HttpClient ClientWithKey(string key)
    {
        var client = app.AnonymousClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthentication.Header, key);
        return client;
    }

    private Task<List<AuditEntry>> AuditOfAsync(long recordingId) =>
        app.WithDbAsync(db => db.AuditLog.Where(a => a.RecordingId == recordingId).OrderBy(a => a.Id).ToListAsync());

    [Fact]
    public async Task A_crm_key_with_read_and_label_attaches_and_removes_a_case_number_audited_under_its_name()
    {
        var recording = await TestData.AddAsync(app, TestData.Recording(team: "Reklamacje"));
        var (key, output) = await CreateKeyAsync("--name", "crm-label", "--scope", "read,label");
        Assert.Contains("scope read, label", output);
        var crm = ClientWithKey(key);

        var added = await crm.PostAsJsonAsync($"/api/v1/recordings/{recording.Id}/cases", new { @case = "REK-2026/0113" });
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Contains("REK-2026/0113", (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("caseNumbers").ToString());
        Assert.Equal(HttpStatusCode.OK, (await crm.PostAsJsonAsync($"/api/v1/recordings/{recording.Id}/tags", new { tag = "reklamacja" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await crm.DeleteAsync($"/api/v1/recordings/{recording.Id}/cases/REK-2026/0113")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await crm.GetAsync($"/api/v1/recordings/{recording.Id}")).StatusCode);

        var entries = await AuditOfAsync(recording.Id);
        Assert.Contains(entries, e => e.Action == AuditActions.CaseAdded && e.Actor == "apikey:crm-label" && e.Details!.Contains("REK-2026/0113"));
        Assert.Contains(entries, e => e.Action == AuditActions.TagAdded && e.Actor == "apikey:crm-label");
        Assert.Contains(entries, e => e.Action == AuditActions.CaseRemoved && e.Actor == "apikey:crm-label");
        Assert.False(await app.WithDbAsync(db => db.RecordingCases.AnyAsync(c => c.RecordingId == recording.Id)));
    }

    [Fact]
    public async Task A_label_only_key_may_label_but_not_listen_hold_or_search()
    {
        var recording = await TestData.AddWithAudioAsync(app, TestData.Recording());
        var (key, _) = await CreateKeyAsync("--name", "helpdesk", "--scope", "label");
        var helpdesk = ClientWithKey(key);
        Assert.Equal(HttpStatusCode.OK, (await helpdesk.PostAsJsonAsync($"/api/v1/recordings/{recording.Id}/cases", new { @case = "HD-1" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await helpdesk.GetAsync("/api/v1/recordings?pageSize=1")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await helpdesk.GetAsync($"/api/v1/recordings/{recording.Id}/audio")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await helpdesk.PutAsJsonAsync($"/api/v1/recordings/{recording.Id}/hold", new { reason = "x", caseNumber = "HD-1" })).StatusCode);
        Assert.False(await app.WithDbAsync(db => db.Recordings.Where(r => r.Id == recording.Id).Select(r => r.LegalHold).SingleAsync()));
    }

    [Fact]
    public async Task A_legal_system_key_places_and_lifts_a_hold_always_with_a_reason()
    {
        var recording = await TestData.AddAsync(app, TestData.Recording());
        var (key, _) = await CreateKeyAsync("--name", "legal-dms", "--scope", "holds");
        var legal = ClientWithKey(key);

        var noReason = await legal.PutAsJsonAsync($"/api/v1/recordings/{recording.Id}/hold", new { caseNumber = "SP-7/2026" });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("reason", await noReason.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.False(await OnHoldAsync(recording.Id));

        var placed = await legal.PutAsJsonAsync($"/api/v1/recordings/{recording.Id}/hold", new { reason = "Pozew klienta", caseNumber = "SP-7/2026" });
        Assert.Equal(HttpStatusCode.OK, placed.StatusCode);
        Assert.True(await OnHoldAsync(recording.Id));

        var lift = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/recordings/{recording.Id}/hold") { Content = JsonContent.Create(new { reason = "Sprawa zakończona" }) };
        Assert.Equal(HttpStatusCode.OK, (await legal.SendAsync(lift)).StatusCode);
        Assert.False(await OnHoldAsync(recording.Id));

        var entries = await AuditOfAsync(recording.Id);
        Assert.Contains(entries, e => e.Action == AuditActions.HoldPlaced && e.Actor == "apikey:legal-dms" && e.Reason == "Pozew klienta");
        Assert.Contains(entries, e => e.Action == AuditActions.HoldReleased && e.Actor == "apikey:legal-dms" && e.Reason == "Sprawa zakończona");
        Assert.Equal(HttpStatusCode.Forbidden, (await legal.PostAsJsonAsync($"/api/v1/recordings/{recording.Id}/cases", new { @case = "X" })).StatusCode);
    }

    [Fact]
    public async Task A_team_limited_key_reaches_only_its_team_and_a_call_elsewhere_is_404_and_audited()
    {
        var mine = await TestData.AddAsync(app, TestData.Recording(team: "Reklamacje"));
        var other = await TestData.AddAsync(app, TestData.Recording(team: "Sprzedaż"));
        var (key, _) = await CreateKeyAsync("--name", "crm-rek", "--scope", "label,holds", "--team", "Reklamacje");
        var crm = ClientWithKey(key);

        Assert.Equal(HttpStatusCode.OK, (await crm.PostAsJsonAsync($"/api/v1/recordings/{mine.Id}/cases", new { @case = "REK-1" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await crm.PostAsJsonAsync($"/api/v1/recordings/{other.Id}/cases", new { @case = "REK-1" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await crm.PutAsJsonAsync($"/api/v1/recordings/{other.Id}/hold", new { reason = "r", caseNumber = "REK-1" })).StatusCode);
        var selection = await crm.PostAsJsonAsync("/api/v1/holds", new { ids = new[] { mine.Id, other.Id }, reason = "r", caseNumber = "REK-1" });
        Assert.Equal(HttpStatusCode.OK, selection.StatusCode);
        Assert.Equal(1, (await selection.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("held").GetInt32());

        Assert.False(await app.WithDbAsync(db => db.RecordingCases.AnyAsync(c => c.RecordingId == other.Id)));
        Assert.False(await OnHoldAsync(other.Id));
        Assert.Contains(await AuditOfAsync(other.Id), e => e.Action == AuditActions.RecordingAccess && e.Actor == "apikey:crm-rek" && e.Outcome == AuditOutcomes.Denied);
    }

    [Theory]
    [InlineData(new[] { "--name", "x", "--scope", "read,admin" }, "Unknown scope 'admin'")]
    [InlineData(new[] { "--name", "x", "--scope", "," }, "at least one scope")]
    [InlineData(new[] { "--name", "x", "--scope", "ingest,label", "--team", "Reklamacje" }, "cannot be limited to a team")]
    public async Task Bad_scopes_are_refused_with_the_reason_and_create_nothing(string[] args, string message)
    {
        var before = await app.WithDbAsync(db => db.ApiKeys.CountAsync());
        var error = await Assert.ThrowsAsync<CliException>(() => app.RunCliAsync(ApiKeysCli.CreateAsync, args));
        Assert.Contains(message, error.Message);
        Assert.Equal(before, await app.WithDbAsync(db => db.ApiKeys.CountAsync()));
    }

    [Fact]
    public async Task Scopes_are_stored_in_one_order_and_audited_at_creation()
    {
        await CreateKeyAsync("--name", "both", "--scope", "holds, READ");
        var stored = await app.WithDbAsync(db => db.ApiKeys.SingleAsync(k => k.Name == "both"));
        Assert.Equal("read,holds", stored.Scope);
        Assert.True(await app.WithDbAsync(db => db.AuditLog.AnyAsync(a => a.Action == AuditActions.ApiKeyCreated && a.Details!.Contains("\"scope\":\"read,holds\""))));
    }

    private Task<bool> OnHoldAsync(long id) => app.WithDbAsync(db => db.Recordings.Where(r => r.Id == id).Select(r => r.LegalHold).SingleAsync());
}
