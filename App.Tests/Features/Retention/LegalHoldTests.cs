using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Features.Retention;

namespace NagrywanieRozmow.Tests.Features.Retention;

/// <summary>What every legal-hold test needs: the HTTP calls of CONTRACTS.md and a look at what was stored and audited.</summary>
internal static class Holds
{
    public const string Officer = "compliance@example.com";

    public static Task<HttpResponseMessage> PutAsync(HttpClient client, long id, string? reason, string? caseNumber) =>
        client.PutAsJsonAsync($"/api/v1/recordings/{id}/hold", new { reason, caseNumber });

    /// <summary>DELETE …/hold with a raw body (null: no body at all), as curl or an integration sends it.</summary>
    public static Task<HttpResponseMessage> DeleteAsync(HttpClient client, long id, string? body)
    {
        var request = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/recordings/{id}/hold");
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        return client.SendAsync(request);
    }

    /// <summary>DELETE …/hold with { "reason": … }.</summary>
    public static Task<HttpResponseMessage> ReleaseAsync(HttpClient client, long id, string reason) =>
        DeleteAsync(client, id, JsonSerializer.Serialize(new { reason }));

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static LegalHolds Service(AppFactory app) => app.Services.GetRequiredService<LegalHolds>();

    public static Task<bool> FlagAsync(AppFactory app, long id) =>
        app.WithDbAsync(db => db.Recordings.Where(r => r.Id == id).Select(r => r.LegalHold).SingleAsync());

    /// <summary>Every hold (active or lifted) that ever listed the recording.</summary>
    public static Task<List<LegalHold>> EverHeldInAsync(AppFactory app, long id) =>
        app.WithDbAsync(db => db.Set<LegalHold>().Include(h => h.Items).Where(h => h.Items.Any(i => i.RecordingId == id)).OrderBy(h => h.Id).ToListAsync());

    public static Task<long> LastAuditIdAsync(AppFactory app) =>
        app.WithDbAsync(async db => await db.AuditLog.MaxAsync(a => (long?)a.Id) ?? 0);

    public static Task<List<AuditEntry>> AuditSinceAsync(AppFactory app, long afterId) =>
        app.WithDbAsync(db => db.AuditLog.Where(a => a.Id > afterId).OrderBy(a => a.Id).ToListAsync());
}

/// <summary>Legal holds through PUT/DELETE /api/v1/recordings/{id}/hold, POST /api/v1/holds and the <see cref="LegalHolds"/> service.</summary>
public sealed class LegalHoldTests(LegalHoldTests.HoldsApp app) : IClassFixture<LegalHoldTests.HoldsApp>
{
    /// <summary>One app for the class; every test makes its own recordings and looks only at the audit entries it caused.</summary>
    public sealed class HoldsApp : AppFactory;

    private readonly HttpClient compliance = app.ClientAs(Roles.Compliance, email: Holds.Officer);

    private Task<Recording> NewRecordingAsync(string? team = "Reklamacje") =>
        TestData.AddAsync(app, TestData.Recording(team: team));

    [Fact]
    public async Task Placing_a_hold_answers_the_recording_held_and_audits_reason_and_case_number()
    {
        var recording = await NewRecordingAsync();
        Assert.False(await Holds.FlagAsync(app, recording.Id));
        var before = await Holds.LastAuditIdAsync(app);

        var json = await Holds.JsonAsync(
            await Holds.PutAsync(compliance, recording.Id, "  complaint REK-113 under review  ", " REK-2026/0113 "), HttpStatusCode.OK);

        Assert.Equal(recording.Id, json.GetProperty("id").GetInt64());
        Assert.Equal(recording.CallId, json.GetProperty("callId").GetString());
        Assert.True(json.GetProperty("legalHold").GetBoolean());
        Assert.True(await Holds.FlagAsync(app, recording.Id));
        // The recording's own JSON says so too.
        Assert.True((await compliance.GetFromJsonAsync<JsonElement>($"/api/v1/recordings/{recording.Id}")).GetProperty("legalHold").GetBoolean());

        var hold = Assert.Single(await Holds.Service(app).ActiveForAsync(recording.Id));
        Assert.Equal(("REK-2026/0113", "complaint REK-113 under review", Holds.Officer), (hold.CaseNumber, hold.Reason, hold.PlacedBy));
        Assert.Equal(recording.Id, HoldScope.Parse(hold.Scope)!.Recording);

        var entry = Assert.Single(await Holds.AuditSinceAsync(app, before), a => a.Action == AuditActions.HoldPlaced);
        Assert.Equal((Holds.Officer, AuditOutcomes.Success, (long?)recording.Id, "complaint REK-113 under review"),
            (entry.Actor, entry.Outcome, entry.RecordingId, entry.Reason));
        var details = JsonDocument.Parse(entry.Details!).RootElement;
        Assert.Equal("REK-2026/0113", details.GetProperty("caseNumber").GetString());
        Assert.Equal(hold.Id, details.GetProperty("hold").GetInt64());
        Assert.Equal([recording.Id], details.GetProperty("recordings").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Null(await app.Services.GetRequiredService<AuditLog>().VerifyAsync());
    }

    [Theory]
    [InlineData(null, "REK-1", "A reason is required.")]
    [InlineData("   ", "REK-1", "A reason is required.")]
    [InlineData("complaint", null, "A case number is required.")]
    [InlineData("complaint", "  ", "A case number is required.")]
    public async Task A_hold_without_reason_or_case_number_is_refused_naming_the_field_and_nothing_is_stored(
        string? reason, string? caseNumber, string expected)
    {
        var recording = await NewRecordingAsync();
        var before = await Holds.LastAuditIdAsync(app);

        var problem = await Holds.JsonAsync(await Holds.PutAsync(compliance, recording.Id, reason, caseNumber), HttpStatusCode.BadRequest);

        // Only the missing field is named.
        Assert.Equal(expected, problem.GetProperty("detail").GetString());
        Assert.False(await Holds.FlagAsync(app, recording.Id));
        Assert.Empty(await Holds.EverHeldInAsync(app, recording.Id));
        Assert.DoesNotContain(await Holds.AuditSinceAsync(app, before), a => a.Action == AuditActions.HoldPlaced);
    }

    [Fact]
    public async Task A_hold_with_an_empty_body_names_both_fields()
    {
        var recording = await NewRecordingAsync();
        var response = await compliance.PutAsync($"/api/v1/recordings/{recording.Id}/hold", new StringContent("{}", Encoding.UTF8, "application/json"));
        var detail = (await Holds.JsonAsync(response, HttpStatusCode.BadRequest)).GetProperty("detail").GetString()!;
        Assert.Contains("reason", detail);
        Assert.Contains("case number", detail);
        Assert.Empty(await Holds.EverHeldInAsync(app, recording.Id));
    }

    [Fact]
    public async Task An_unknown_recording_is_404_for_placing_and_lifting_and_the_attempt_is_audited()
    {
        const long unknown = 987_654_321;
        var before = await Holds.LastAuditIdAsync(app);

        var put = await Holds.JsonAsync(await Holds.PutAsync(compliance, unknown, "complaint", "REK-1"), HttpStatusCode.NotFound);
        var delete = await Holds.JsonAsync(await Holds.ReleaseAsync(compliance, unknown, "case closed"), HttpStatusCode.NotFound);

        Assert.Equal($"There is no recording {unknown}.", put.GetProperty("detail").GetString());
        Assert.Equal($"There is no recording {unknown}.", delete.GetProperty("detail").GetString());
        var audit = await Holds.AuditSinceAsync(app, before);
        Assert.Equal(2, audit.Count);
        Assert.All(audit, a =>
        {
            Assert.Equal((AuditActions.RecordingAccess, AuditOutcomes.Denied, (long?)unknown, AuditLog.NotFoundReason, Holds.Officer),
                (a.Action, a.Outcome, a.RecordingId, a.Reason, a.Actor));
            Assert.Contains($"/api/v1/recordings/{unknown}/hold", a.Details);
        });
        Assert.Empty(await app.WithDbAsync(db => db.Set<LegalHoldItem>().Where(i => i.RecordingId == unknown).ToListAsync()));
    }

    [Fact]
    public async Task Compliance_sees_every_team_so_a_team_on_its_account_does_not_limit_what_it_may_hold()
    {
        // RecordingScope: only QualityManagers (and read keys) are limited to their teams; Compliance and Administrators see
        // every call, so there is no hold-capable caller for whom another team's recording is out of scope.
        var sales = await NewRecordingAsync(team: "Sprzedaż");
        var noTeam = await NewRecordingAsync(team: null);
        var officer = app.ClientAs(Roles.Compliance, team: "Reklamacje", email: Holds.Officer);

        Assert.True((await Holds.JsonAsync(await Holds.PutAsync(officer, sales.Id, "complaint", "REK-7"), HttpStatusCode.OK)).GetProperty("legalHold").GetBoolean());
        var selection = await Holds.JsonAsync(
            await officer.PostAsJsonAsync("/api/v1/holds", new { ids = new[] { noTeam.Id }, reason = "complaint", caseNumber = "REK-8" }), HttpStatusCode.OK);
        Assert.Equal(1, selection.GetProperty("held").GetInt32());
        Assert.True(await Holds.FlagAsync(app, sales.Id));
        Assert.True(await Holds.FlagAsync(app, noTeam.Id));

        var admin = app.ClientAs(Roles.Administrator, team: "Reklamacje", email: "admin@example.com");
        Assert.False((await Holds.JsonAsync(await Holds.ReleaseAsync(admin, sales.Id, "case closed"), HttpStatusCode.OK)).GetProperty("legalHold").GetBoolean());
        Assert.False(await Holds.FlagAsync(app, sales.Id));
    }

    [Theory]
    [InlineData(Roles.QualityManager, "Reklamacje")]
    [InlineData(Roles.QualityManager, null)]
    [InlineData(Roles.ComplaintHandler, null)]
    [InlineData(Roles.Agent, null)]
    public async Task A_role_without_the_hold_permission_gets_403_on_every_hold_route_and_changes_nothing(string role, string? team)
    {
        var free = await NewRecordingAsync();
        var held = await NewRecordingAsync();
        Assert.Empty((await Holds.Service(app).PlaceAsync([held.Id], "complaint", "REK-9", new HoldScope(Recording: held.Id), new AuditActor(Holds.Officer, null))).Problems);
        var caller = app.ClientAs(role, team, email: "not-allowed@example.com");
        var before = await Holds.LastAuditIdAsync(app);

        Assert.Equal(HttpStatusCode.Forbidden, (await Holds.PutAsync(caller, free.Id, "complaint", "REK-10")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Holds.ReleaseAsync(caller, held.Id, "case closed")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await caller.PostAsJsonAsync("/api/v1/holds", new { ids = new[] { free.Id }, reason = "complaint", caseNumber = "REK-10" })).StatusCode);

        Assert.False(await Holds.FlagAsync(app, free.Id));
        Assert.Empty(await Holds.EverHeldInAsync(app, free.Id));
        Assert.True(await Holds.FlagAsync(app, held.Id));
        Assert.Single(await Holds.Service(app).ActiveForAsync(held.Id));
        var audit = await Holds.AuditSinceAsync(app, before);
        Assert.Equal(3, audit.Count);
        Assert.All(audit, a => Assert.Equal((AuditActions.AccessDenied, AuditOutcomes.Denied, "not-allowed@example.com"), (a.Action, a.Outcome, a.Actor)));
        Assert.Equal(new long?[] { free.Id, held.Id, null }, audit.Select(a => a.RecordingId));
    }

    [Theory]
    [InlineData(null, "A reason is required.")]
    [InlineData("{}", "A reason is required.")]
    [InlineData("{\"reason\":\"   \"}", "A reason is required.")]
    [InlineData("{\"reason\":", "The body is not valid JSON")]
    public async Task Lifting_without_a_reason_is_400_and_the_recording_stays_held(string? body, string expected)
    {
        var recording = await NewRecordingAsync();
        await Holds.JsonAsync(await Holds.PutAsync(compliance, recording.Id, "complaint", "REK-11"), HttpStatusCode.OK);
        var before = await Holds.LastAuditIdAsync(app);

        var problem = await Holds.JsonAsync(await Holds.DeleteAsync(compliance, recording.Id, body), HttpStatusCode.BadRequest);

        Assert.StartsWith(expected, problem.GetProperty("detail").GetString());
        Assert.True(await Holds.FlagAsync(app, recording.Id));
        var hold = Assert.Single(await Holds.EverHeldInAsync(app, recording.Id));
        Assert.Null(hold.LiftedAt);
        Assert.Null(Assert.Single(hold.Items).ReleasedAt);
        Assert.Empty(await Holds.AuditSinceAsync(app, before));
    }

    [Fact]
    public async Task Lifting_a_recording_that_is_not_on_hold_is_409()
    {
        var never = await NewRecordingAsync();
        var released = await NewRecordingAsync();
        await Holds.JsonAsync(await Holds.PutAsync(compliance, released.Id, "complaint", "REK-12"), HttpStatusCode.OK);
        await Holds.JsonAsync(await Holds.ReleaseAsync(compliance, released.Id, "case closed"), HttpStatusCode.OK);
        var before = await Holds.LastAuditIdAsync(app);

        foreach (var id in new[] { never.Id, released.Id })
        {
            var problem = await Holds.JsonAsync(await Holds.ReleaseAsync(compliance, id, "case closed"), HttpStatusCode.Conflict);
            Assert.Equal("Not on legal hold", problem.GetProperty("title").GetString());
            Assert.Equal(LegalHolds.NotOnHold.Message, problem.GetProperty("detail").GetString());
            Assert.False(await Holds.FlagAsync(app, id));
        }
        Assert.Empty(await Holds.AuditSinceAsync(app, before));
    }

    [Fact]
    public async Task Lifting_over_the_api_takes_the_recording_out_of_every_hold_and_audits_the_reason()
    {
        var recording = await NewRecordingAsync();
        await Holds.JsonAsync(await Holds.PutAsync(compliance, recording.Id, "complaint", "REK-13"), HttpStatusCode.OK);
        await Holds.JsonAsync(await Holds.PutAsync(compliance, recording.Id, "lawsuit", "SAD-2026/44"), HttpStatusCode.OK);
        var before = await Holds.LastAuditIdAsync(app);

        var json = await Holds.JsonAsync(await Holds.ReleaseAsync(compliance, recording.Id, "both cases closed"), HttpStatusCode.OK);

        Assert.Equal(recording.Id, json.GetProperty("id").GetInt64());
        Assert.False(json.GetProperty("legalHold").GetBoolean());
        Assert.False(await Holds.FlagAsync(app, recording.Id));
        Assert.Empty(await Holds.Service(app).ActiveForAsync(recording.Id));
        var holds = await Holds.EverHeldInAsync(app, recording.Id);
        Assert.Equal(2, holds.Count);
        // The holds themselves stay active (they may have other recordings); the recording's rows in them are released.
        Assert.All(holds, h => Assert.Null(h.LiftedAt));
        Assert.All(holds.SelectMany(h => h.Items), i => Assert.Equal((Holds.Officer, "both cases closed"), (i.ReleasedBy, i.ReleaseReason)));
        var entry = Assert.Single(await Holds.AuditSinceAsync(app, before));
        Assert.Equal((AuditActions.HoldReleased, (long?)recording.Id, "both cases closed"), (entry.Action, entry.RecordingId, entry.Reason));
        Assert.Equal(holds.Select(h => h.Id), JsonDocument.Parse(entry.Details!).RootElement.GetProperty("holds").EnumerateArray().Select(e => e.GetInt64()));
    }

    [Fact]
    public async Task Overlapping_holds_keep_the_recording_held_until_the_last_one_is_lifted()
    {
        var both = await NewRecordingAsync();
        var onlyInSecond = await NewRecordingAsync();
        var service = Holds.Service(app);
        var officer = new AuditActor(Holds.Officer, null);
        await Holds.JsonAsync(await Holds.PutAsync(compliance, both.Id, "complaint", "REK-2026/0113"), HttpStatusCode.OK);
        var second = await Holds.JsonAsync(await compliance.PostAsJsonAsync("/api/v1/holds",
            new { ids = new[] { both.Id, onlyInSecond.Id }, reason = "lawsuit", caseNumber = "SAD-2026/44" }), HttpStatusCode.OK);
        Assert.Equal(2, second.GetProperty("held").GetInt32());

        var active = await service.ActiveForAsync(both.Id);
        Assert.Equal(["REK-2026/0113", "SAD-2026/44"], active.Select(h => h.CaseNumber));
        Assert.Equal(second.GetProperty("holdId").GetInt64(), active[1].Id);
        var before = await Holds.LastAuditIdAsync(app);

        Assert.Empty(await service.LiftAsync(active[1].Id, "lawsuit settled", officer));

        Assert.True(await Holds.FlagAsync(app, both.Id));           // still in the complaint's hold
        Assert.False(await Holds.FlagAsync(app, onlyInSecond.Id));  // in no hold any more
        Assert.True((await compliance.GetFromJsonAsync<JsonElement>($"/api/v1/recordings/{both.Id}")).GetProperty("legalHold").GetBoolean());
        Assert.Equal(["REK-2026/0113"], (await service.ActiveForAsync(both.Id)).Select(h => h.CaseNumber));
        Assert.Empty(await service.ActiveForAsync(onlyInSecond.Id));
        // A hold is lifted once.
        Assert.Equal("Problem_AlreadyLifted", Assert.Single(await service.LiftAsync(active[1].Id, "again", officer)).Key);
        Assert.Equal("Problem_ReasonRequired", Assert.Single(await service.LiftAsync(active[0].Id, " ", officer)).Key);
        Assert.True(await Holds.FlagAsync(app, both.Id));

        Assert.Empty(await service.LiftAsync(active[0].Id, "complaint closed", officer));

        Assert.False(await Holds.FlagAsync(app, both.Id));
        Assert.False((await compliance.GetFromJsonAsync<JsonElement>($"/api/v1/recordings/{both.Id}")).GetProperty("legalHold").GetBoolean());
        Assert.Empty(await service.ActiveForAsync(both.Id));
        var lifted = await Holds.EverHeldInAsync(app, both.Id);
        Assert.Equal([("lawsuit settled", Holds.Officer), ("complaint closed", Holds.Officer)],
            lifted.OrderBy(h => h.LiftedAt).ThenByDescending(h => h.Id).Select(h => (h.LiftReason, h.LiftedBy)));
        var audit = (await Holds.AuditSinceAsync(app, before)).Where(a => a.Action == AuditActions.HoldLifted).ToList();
        Assert.Equal(["lawsuit settled", "complaint closed"], audit.Select(a => a.Reason));
        Assert.Equal(new long?[] { null, both.Id }, audit.Select(a => a.RecordingId));   // the lawsuit's hold had two recordings
        Assert.Contains("\"caseNumber\":\"SAD-2026/44\"", audit[0].Details);
    }

    [Fact]
    public async Task Holding_a_selection_holds_the_recordings_that_exist_and_ignores_the_rest()
    {
        var first = await NewRecordingAsync();
        var second = await NewRecordingAsync(team: "Sprzedaż");
        var untouched = await NewRecordingAsync();
        const long unknown = 987_654_322;
        var before = await Holds.LastAuditIdAsync(app);

        var json = await Holds.JsonAsync(await compliance.PostAsJsonAsync("/api/v1/holds",
            new { ids = new[] { first.Id, unknown, second.Id, first.Id }, reason = "complaint", caseNumber = "REK-14" }), HttpStatusCode.OK);

        Assert.Equal(2, json.GetProperty("held").GetInt32());
        var holdId = json.GetProperty("holdId").GetInt64();
        var hold = await app.WithDbAsync(db => db.Set<LegalHold>().Include(h => h.Items).SingleAsync(h => h.Id == holdId));
        Assert.Equal(new[] { first.Id, second.Id }.Order(), hold.Items.Select(i => i.RecordingId).Order());
        Assert.Equal(("REK-14", "complaint", 2), (hold.CaseNumber, hold.Reason, HoldScope.Parse(hold.Scope)!.Selected));
        Assert.True(await Holds.FlagAsync(app, first.Id));
        Assert.True(await Holds.FlagAsync(app, second.Id));
        Assert.False(await Holds.FlagAsync(app, untouched.Id));

        var entry = Assert.Single(await Holds.AuditSinceAsync(app, before));
        Assert.Equal((AuditActions.HoldPlaced, (long?)null, "complaint"), (entry.Action, entry.RecordingId, entry.Reason));
        var details = JsonDocument.Parse(entry.Details!).RootElement;
        Assert.Equal(2, details.GetProperty("count").GetInt32());
        Assert.Equal(new[] { first.Id, second.Id }.Order(), details.GetProperty("recordings").EnumerateArray().Select(e => e.GetInt64()).Order());
    }

    [Fact]
    public async Task A_selection_of_nothing_that_exists_or_without_a_case_number_is_400_and_holds_nothing()
    {
        var recording = await NewRecordingAsync();
        var before = await Holds.LastAuditIdAsync(app);

        var none = await Holds.JsonAsync(await compliance.PostAsJsonAsync("/api/v1/holds",
            new { ids = new[] { 987_654_323L }, reason = "complaint", caseNumber = "REK-15" }), HttpStatusCode.BadRequest);
        var noCase = await Holds.JsonAsync(await compliance.PostAsJsonAsync("/api/v1/holds",
            new { ids = new[] { recording.Id }, reason = "complaint" }), HttpStatusCode.BadRequest);

        Assert.Equal("No recordings were chosen.", none.GetProperty("detail").GetString());
        Assert.Equal("A case number is required.", noCase.GetProperty("detail").GetString());
        Assert.False(await Holds.FlagAsync(app, recording.Id));
        Assert.Empty(await Holds.EverHeldInAsync(app, recording.Id));
        Assert.Empty(await Holds.AuditSinceAsync(app, before));
    }
}

/// <summary>The purge and legal holds: an expired recording on hold is kept until its last hold is lifted.</summary>
public sealed class LegalHoldPurgeTests : IAsyncLifetime
{
    private readonly PurgeApp app = new();

    public Task InitializeAsync() => app.InitializeAsync();
    Task IAsyncLifetime.DisposeAsync() => ((IAsyncLifetime)app).DisposeAsync();

    [Fact]
    public async Task An_expired_recording_on_hold_survives_the_purge_and_goes_once_its_last_hold_is_lifted()
    {
        var held = await app.AddAsync(daysOld: 200);
        var expired = await app.AddAsync(daysOld: 120);
        var young = await app.AddAsync(daysOld: 10);
        var compliance = app.ClientAs(Roles.Compliance, email: Holds.Officer);
        await Holds.JsonAsync(await Holds.PutAsync(compliance, held.Id, "complaint", "REK-2026/0113"), HttpStatusCode.OK);
        await Holds.JsonAsync(await Holds.PutAsync(compliance, held.Id, "lawsuit", "SAD-2026/44"), HttpStatusCode.OK);
        var holds = await Holds.Service(app).ActiveForAsync(held.Id);
        Assert.Equal(2, holds.Count);

        var first = await app.Job().PurgeAsync(dryRun: false);

        Assert.Equal((1, 1), (first.Deleted, first.KeptOnHold));
        Assert.Equal(new HashSet<long> { held.Id, young.Id }, await app.LiveIdsAsync());
        Assert.Equal([expired.Id], (await app.TombstonesAsync()).Select(t => t.Id));
        Assert.True(File.Exists(Path.Combine(app.StorePath, held.StorageKey)));

        // One of two holds lifted: still held, still kept.
        Assert.Empty(await Holds.Service(app).LiftAsync(holds[0].Id, "complaint closed", new AuditActor(Holds.Officer, null)));
        Assert.True(await Holds.FlagAsync(app, held.Id));
        var second = await app.Job().PurgeAsync(dryRun: false);
        Assert.Equal((0, 1), (second.Deleted, second.KeptOnHold));
        Assert.Contains(held.Id, await app.LiveIdsAsync());

        Assert.Empty(await Holds.Service(app).LiftAsync(holds[1].Id, "lawsuit settled", new AuditActor(Holds.Officer, null)));
        Assert.False(await Holds.FlagAsync(app, held.Id));
        var third = await app.Job().PurgeAsync(dryRun: false);

        Assert.Equal((1, 0), (third.Deleted, third.KeptOnHold));
        Assert.Equal(new HashSet<long> { young.Id }, await app.LiveIdsAsync());
        var tombstone = Assert.Single(await app.TombstonesAsync(), t => t.Id == held.Id);
        Assert.Equal((held.Sha256, ErasureCause.Retention, "default: 90 days"), (tombstone.Sha256, tombstone.Cause, tombstone.Rule));
        Assert.False(File.Exists(Path.Combine(app.StorePath, held.StorageKey)));
        // The holds' history outlives the recording.
        Assert.Equal(2, (await Holds.EverHeldInAsync(app, held.Id)).Count);
        Assert.Equal(HttpStatusCode.NotFound, (await Holds.PutAsync(compliance, held.Id, "too late", "REK-16")).StatusCode);
    }

    [Fact]
    public async Task Lifting_over_the_api_makes_an_expired_recording_purgeable()
    {
        var held = await app.AddAsync(daysOld: 150);
        var compliance = app.ClientAs(Roles.Compliance, email: Holds.Officer);
        await Holds.JsonAsync(await Holds.PutAsync(compliance, held.Id, "complaint", "REK-17"), HttpStatusCode.OK);

        var kept = await app.Job().PurgeAsync(dryRun: false);
        Assert.Equal((0, 1), (kept.Deleted, kept.KeptOnHold));
        Assert.Equal(new HashSet<long> { held.Id }, await app.LiveIdsAsync());

        await Holds.JsonAsync(await Holds.ReleaseAsync(compliance, held.Id, "complaint closed"), HttpStatusCode.OK);
        var report = await app.Job().PurgeAsync(dryRun: false);

        Assert.Equal((1, 0), (report.Deleted, report.KeptOnHold));
        Assert.Empty(await app.LiveIdsAsync());
        Assert.Equal([held.Id], (await app.TombstonesAsync()).Select(t => t.Id));
    }
}
