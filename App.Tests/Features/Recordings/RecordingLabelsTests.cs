using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Tests.Features.Recordings;

public sealed class RecordingLabelsTests(AppFactory app) : IClassFixture<AppFactory>
{
    private HttpClient Handler => app.ClientAs(Roles.ComplaintHandler, email: "reklamacje@example.com");

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static string[] Values(JsonElement json, string name) => json.GetProperty(name).EnumerateArray().Select(v => v.GetString()!).Order().ToArray();

    [Fact]
    public async Task A_case_number_is_added_once_found_by_the_case_filter_removed_again_and_each_change_is_audited()
    {
        var r = await TestData.AddAsync(app, TestData.Recording());
        var other = await TestData.AddAsync(app, TestData.Recording());

        var added = await JsonAsync(await Handler.PostAsJsonAsync($"/api/v1/recordings/{r.Id}/cases", new { @case = "  REK-2026/0113 " }));
        Assert.Equal(["REK-2026/0113"], Values(added, "caseNumbers"));
        // Idempotent: the second time changes nothing and writes nothing.
        await JsonAsync(await Handler.PostAsJsonAsync($"/api/v1/recordings/{r.Id}/cases", new { @case = "REK-2026/0113" }));
        Assert.Equal(["dobra rozmowa"], Values(await JsonAsync(await Handler.PostAsJsonAsync($"/api/v1/recordings/{r.Id}/tags", new { tag = "dobra rozmowa" })), "tags"));

        var found = await Handler.GetFromJsonAsync<JsonElement>("/api/v1/recordings?case=REK-2026/0113");
        Assert.Equal([r.Id], found.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));

        var entries = await app.WithDbAsync(db => db.AuditLog.Where(a => a.RecordingId == r.Id && (a.Action == AuditActions.CaseAdded || a.Action == AuditActions.TagAdded)).ToListAsync());
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.Equal("reklamacje@example.com", e.Actor));
        Assert.Contains("REK-2026/0113", entries.Single(e => e.Action == AuditActions.CaseAdded).Details);

        var removed = await JsonAsync(await Handler.DeleteAsync($"/api/v1/recordings/{r.Id}/cases/{Uri.EscapeDataString("REK-2026/0113")}"));
        Assert.Empty(Values(removed, "caseNumbers"));
        Assert.Equal(HttpStatusCode.NotFound, (await Handler.DeleteAsync($"/api/v1/recordings/{r.Id}/cases/REK-1")).StatusCode);
        // Written as it is, slash and all, the route finds it too.
        await JsonAsync(await Handler.PostAsJsonAsync($"/api/v1/recordings/{r.Id}/cases", new { @case = "REK-2026/0114" }));
        Assert.Empty(Values(await JsonAsync(await Handler.DeleteAsync($"/api/v1/recordings/{r.Id}/cases/REK-2026/0114")), "caseNumbers"));
        Assert.Equal(2, await app.WithDbAsync(db => db.AuditLog.CountAsync(a => a.RecordingId == r.Id && a.Action == AuditActions.CaseRemoved)));
        Assert.Empty((await Handler.GetFromJsonAsync<JsonElement>("/api/v1/recordings?case=REK-2026/0113")).GetProperty("items").EnumerateArray());
        Assert.Empty(await app.WithDbAsync(db => db.RecordingCases.Where(c => c.RecordingId == other.Id).ToListAsync()));
    }

    [Fact]
    public async Task Bad_values_unknown_or_out_of_scope_recordings_and_the_wrong_role_are_refused_and_nothing_changes()
    {
        var r = await TestData.AddAsync(app, TestData.Recording(team: "Sprzedaż"));
        foreach (var bad in new object[] { new { @case = "" }, new { @case = "REK-1, REK-2" }, new { @case = new string('x', 65) }, new { tag = "a\nb" } })
        {
            var path = bad.ToString()!.Contains("tag") ? "tags" : "cases";
            var response = await Handler.PostAsJsonAsync($"/api/v1/recordings/{r.Id}/{path}", bad);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
        Assert.Contains("commas", await (await Handler.PostAsJsonAsync($"/api/v1/recordings/{r.Id}/cases", new { @case = "A,B" })).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await Handler.PostAsJsonAsync($"/api/v1/recordings/{r.Id + 999}/cases", new { @case = "REK-9" })).StatusCode);
        var teamManager = app.ClientAs(Roles.QualityManager, team: "Reklamacje");
        Assert.Equal(HttpStatusCode.NotFound, (await teamManager.PostAsJsonAsync($"/api/v1/recordings/{r.Id}/tags", new { tag = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientAs(Roles.Compliance).PostAsJsonAsync($"/api/v1/recordings/{r.Id}/cases", new { @case = "REK-9" })).StatusCode);
        Assert.Equal(0, await app.WithDbAsync(db => db.RecordingCases.CountAsync(c => c.RecordingId == r.Id) ));
        Assert.Equal(0, await app.WithDbAsync(db => db.RecordingTags.CountAsync(c => c.RecordingId == r.Id)));
    }

    [Fact]
    public async Task Suggestions_are_values_in_use_on_calls_the_person_sees_most_used_first()
    {
        var a = await TestData.AddAsync(app, TestData.Recording(team: "Reklamacje"));
        var b = await TestData.AddAsync(app, TestData.Recording(team: "Reklamacje"));
        var sales = await TestData.AddAsync(app, TestData.Recording(team: "Sprzedaż"));
        var labels = app.Services.GetRequiredService<RecordingLabels>();
        var admin = TestAuth.Principal("admin@example.com", Roles.Administrator);
        var by = new AuditActor("admin@example.com", null);
        await labels.AddAsync(a.Id, LabelKind.Case, "SUG-2026/002", admin, by);
        await labels.AddAsync(b.Id, LabelKind.Case, "SUG-2026/002", admin, by);
        await labels.AddAsync(a.Id, LabelKind.Case, "SUG-2026/001", admin, by);
        await labels.AddAsync(sales.Id, LabelKind.Case, "SUG-2026/003", admin, by);

        Assert.Equal(["SUG-2026/002", "SUG-2026/001", "SUG-2026/003"], await labels.SuggestAsync(LabelKind.Case, "SUG-", admin));
        var team = TestAuth.Principal("qm@example.com", Roles.QualityManager, team: "Reklamacje");
        Assert.Equal(["SUG-2026/002", "SUG-2026/001"], await labels.SuggestAsync(LabelKind.Case, "sug-".ToUpperInvariant(), team));
        Assert.Empty(await labels.SuggestAsync(LabelKind.Case, "NOPE", admin));
    }

    [Theory]
    [InlineData("https://crm.example/cases/{case}", "REK-2026/0113", "https://crm.example/cases/REK-2026%2F0113")]
    [InlineData(null, "REK-1", null)]
    public void The_crm_link_puts_the_escaped_case_number_into_the_template(string? template, string caseNumber, string? expected) =>
        Assert.Equal(expected, new CrmOptions { CaseUrlTemplate = template }.LinkFor(caseNumber));
}
