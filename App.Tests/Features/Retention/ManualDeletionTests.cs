using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Features.Retention;

namespace NagrywanieRozmow.Tests.Features.Retention;

/// <summary>A fresh app per test with a fixed clock; <see cref="FourEyes"/> decides whether deletions wait for a second person.</summary>
public class DeletionApp : AppFactory
{
    public static readonly DateTime Now = new(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc);
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(Now));
    protected virtual bool FourEyes => false;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Retention:FourEyes"] = FourEyes ? "true" : "false" };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    public ManualDeletion Deletion => Services.GetRequiredService<ManualDeletion>();

    public Task<Recording> AddAsync(string team = "Reklamacje") =>
        TestData.AddWithAudioAsync(this, TestData.Recording(startedAt: Now.AddDays(-3), team: team));

    public Task<bool> ExistsAsync(long id) => WithDbAsync(db => db.Recordings.AnyAsync(r => r.Id == id));

    public Task<List<AuditEntry>> AuditAsync(string action) => WithDbAsync(db => db.AuditLog.Where(a => a.Action == action).OrderBy(a => a.Id).ToListAsync());

    public Task<HoldResult> HoldAsync(long id) => Services.GetRequiredService<LegalHolds>()
        .PlaceAsync([id], "customer disputes the contract", "SPR-7/2026", new HoldScope(Recording: id), new AuditActor("compliance@example.com", null));
}

public sealed class FourEyesApp : DeletionApp
{
    protected override bool FourEyes => true;
}

public sealed class ManualDeletionTests : IAsyncLifetime
{
    private readonly DeletionApp app = new();
    public Task InitializeAsync() => app.InitializeAsync();
    Task IAsyncLifetime.DisposeAsync() => ((IAsyncLifetime)app).DisposeAsync();

    private HttpClient Deleter() => app.ClientAs(Roles.ComplaintHandler, null, "deleter@example.com", mayDelete: true);

    private static HttpRequestMessage Delete(long id, object? body) =>
        new(HttpMethod.Delete, $"/api/v1/recordings/{id}") { Content = body is null ? null : JsonContent.Create(body) };

    [Fact]
    public async Task Without_the_permission_nobody_deletes_not_even_an_administrator()
    {
        var r = await app.AddAsync();
        foreach (var role in new[] { Roles.Administrator, Roles.Compliance, Roles.ComplaintHandler })
            Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientAs(role).SendAsync(Delete(r.Id, new { reason = "test" }))).StatusCode);
        // An agent never gets it, whatever the claim says.
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientAs(Roles.Agent, mayDelete: true, ownExtension: r.Extension).SendAsync(Delete(r.Id, new { reason = "x" }))).StatusCode);
        var refused = await app.Deletion.RequestAsync(r.Id, "test", TestAuth.Principal("admin@example.com", Roles.Administrator), new AuditActor("admin@example.com", null));
        Assert.Equal("Problem_NotAllowed", Assert.Single(refused.Problems).Key);
        Assert.True(await app.ExistsAsync(r.Id));
    }

    [Fact]
    public async Task With_the_permission_and_a_reason_the_recording_and_its_file_go_at_once_and_the_audit_log_says_who_and_why()
    {
        var r = await app.AddAsync();
        var response = await Deleter().SendAsync(Delete(r.Id, new { reason = "recorded by mistake (private call)" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Executed", json.GetProperty("state").GetString());
        Assert.False(await app.ExistsAsync(r.Id));
        Assert.False(File.Exists(Path.Combine(app.StorePath, r.StorageKey)));
        var tombstone = await app.WithDbAsync(db => db.Set<RecordingTombstone>().SingleAsync());
        Assert.Equal((r.Id, ErasureCause.Manual, "recorded by mistake (private call)", "deleter@example.com", r.Sha256),
            (tombstone.Id, tombstone.Cause, tombstone.Rule, tombstone.DeletedBy, tombstone.Sha256));
        var deleted = Assert.Single(await app.AuditAsync(AuditActions.RecordingDeleted));
        Assert.Equal((r.Id, AuditOutcomes.Success, "deleter@example.com", "recorded by mistake (private call)"), (deleted.RecordingId, deleted.Outcome, deleted.Actor, deleted.Reason));
        Assert.Contains(r.Sha256, deleted.Details);
        Assert.Single(await app.AuditAsync(AuditActions.DeletionRequested));
        Assert.Equal(DeletionState.Executed, (await app.WithDbAsync(db => db.Set<DeletionRequest>().SingleAsync())).State);
        Assert.Equal(HttpStatusCode.NotFound, (await Deleter().GetAsync($"/api/v1/recordings/{r.Id}")).StatusCode);
    }

    [Fact]
    public async Task A_missing_reason_a_hold_or_an_unknown_id_is_refused_with_a_clear_answer_and_nothing_changes()
    {
        var r = await app.AddAsync();
        var noReason = await Deleter().SendAsync(Delete(r.Id, new { reason = "  " }));
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("reason is required", await noReason.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await Deleter().SendAsync(Delete(r.Id, null))).StatusCode);

        await app.HoldAsync(r.Id);
        var held = await Deleter().SendAsync(Delete(r.Id, new { reason = "duplicate" }));
        Assert.Equal(HttpStatusCode.Conflict, held.StatusCode);
        Assert.Contains("SPR-7/2026", await held.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.NotFound, (await Deleter().SendAsync(Delete(r.Id + 1000, new { reason = "x" }))).StatusCode);
        // Another team's recording is as unknown as a missing one (a quality manager sees only their teams).
        var otherTeam = app.ClientAs(Roles.QualityManager, "Sprzedaż", "qm@example.com", mayDelete: true);
        Assert.Equal(HttpStatusCode.NotFound, (await otherTeam.SendAsync(Delete(r.Id, new { reason = "x" }))).StatusCode);

        Assert.True(await app.ExistsAsync(r.Id));
        Assert.True(File.Exists(Path.Combine(app.StorePath, r.StorageKey)));
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<DeletionRequest>().CountAsync()));
        Assert.Empty(await app.AuditAsync(AuditActions.RecordingDeleted));
    }
}

public sealed class FourEyesDeletionTests : IAsyncLifetime
{
    private readonly FourEyesApp app = new();
    public Task InitializeAsync() => app.InitializeAsync();
    Task IAsyncLifetime.DisposeAsync() => ((IAsyncLifetime)app).DisposeAsync();

    private static readonly System.Security.Claims.ClaimsPrincipal Anna = TestAuth.Principal("anna@example.com", Roles.ComplaintHandler, mayDelete: true);
    private static readonly System.Security.Claims.ClaimsPrincipal Piotr = TestAuth.Principal("piotr@example.com", Roles.QualityManager, mayDelete: true);
    private static readonly System.Security.Claims.ClaimsPrincipal Ewa = TestAuth.Principal("ewa@example.com", Roles.Administrator);
    private static AuditActor As(System.Security.Claims.ClaimsPrincipal p) => AuditActor.Of(p, "10.0.0.5");

    [Fact]
    public async Task A_request_waits_the_requester_cannot_approve_it_and_a_second_person_with_the_permission_deletes()
    {
        var r = await app.AddAsync();
        var asked = await app.Deletion.RequestAsync(r.Id, "customer asked, contract cancelled", Anna, As(Anna));
        Assert.Empty(asked.Problems);
        Assert.Equal(DeletionState.Pending, asked.Request!.State);
        Assert.True(await app.ExistsAsync(r.Id));
        Assert.Equal("Problem_AlreadyRequested", Assert.Single((await app.Deletion.RequestAsync(r.Id, "again", Piotr, As(Piotr))).Problems).Key);

        Assert.Equal("Problem_OwnRequest", Assert.Single((await app.Deletion.ApproveAsync(asked.Request.Id, Anna, As(Anna))).Problems).Key);
        Assert.Equal("Problem_NotAllowed", Assert.Single((await app.Deletion.ApproveAsync(asked.Request.Id, Ewa, As(Ewa))).Problems).Key);
        Assert.True(await app.ExistsAsync(r.Id));

        var approved = await app.Deletion.ApproveAsync(asked.Request.Id, Piotr, As(Piotr));
        Assert.Empty(approved.Problems);
        Assert.Equal((DeletionState.Executed, "piotr@example.com"), (approved.Request!.State, approved.Request.DecidedBy));
        Assert.False(await app.ExistsAsync(r.Id));
        var tombstone = await app.WithDbAsync(db => db.Set<RecordingTombstone>().SingleAsync());
        Assert.Equal(("customer asked, contract cancelled", "piotr@example.com"), (tombstone.Rule, tombstone.DeletedBy));
        var approval = Assert.Single(await app.AuditAsync(AuditActions.DeletionApproved));
        Assert.Equal(("piotr@example.com", r.Id), (approval.Actor, approval.RecordingId));
        Assert.Contains("anna@example.com", approval.Details);
        // Decided once: a second approval is refused.
        Assert.Equal("Problem_Decided", Assert.Single((await app.Deletion.ApproveAsync(asked.Request.Id, Piotr, As(Piotr))).Problems).Key);
    }

    [Fact]
    public async Task Through_the_api_a_request_is_accepted_and_left_waiting()
    {
        var r = await app.AddAsync();
        var response = await app.ClientAs(Roles.ComplaintHandler, email: "anna@example.com", mayDelete: true)
            .SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/recordings/{r.Id}") { Content = JsonContent.Create(new { reason = "duplicate upload" }) });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("Pending", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
        Assert.True(await app.ExistsAsync(r.Id));
    }

    [Fact]
    public async Task A_hold_placed_after_the_request_stops_the_approval_and_the_request_says_why()
    {
        var r = await app.AddAsync();
        var asked = await app.Deletion.RequestAsync(r.Id, "not needed", Anna, As(Anna));
        await app.HoldAsync(r.Id);

        var approved = await app.Deletion.ApproveAsync(asked.Request!.Id, Piotr, As(Piotr));
        Assert.Equal("Problem_OnHold", Assert.Single(approved.Problems).Key);
        Assert.Equal(DeletionState.Failed, approved.Request!.State);
        Assert.Contains("SPR-7/2026", approved.Request.DecisionNote);
        Assert.True(await app.ExistsAsync(r.Id));
        Assert.True(File.Exists(Path.Combine(app.StorePath, r.StorageKey)));
        Assert.Equal(AuditOutcomes.Failed, Assert.Single(await app.AuditAsync(AuditActions.RecordingDeleted)).Outcome);
    }

    [Fact]
    public async Task A_rejection_needs_a_note_and_keeps_the_recording_and_only_the_requester_withdraws()
    {
        var r = await app.AddAsync();
        var first = (await app.Deletion.RequestAsync(r.Id, "not needed", Anna, As(Anna))).Request!;
        Assert.Equal("Problem_RejectNote", Assert.Single((await app.Deletion.RejectAsync(first.Id, " ", Piotr, As(Piotr))).Problems).Key);
        var rejected = await app.Deletion.RejectAsync(first.Id, "needed for the March audit", Piotr, As(Piotr));
        Assert.Equal((DeletionState.Rejected, "needed for the March audit"), (rejected.Request!.State, rejected.Request.DecisionNote));
        Assert.True(await app.ExistsAsync(r.Id));
        Assert.Equal("needed for the March audit", Assert.Single(await app.AuditAsync(AuditActions.DeletionRejected)).Reason);

        var second = (await app.Deletion.RequestAsync(r.Id, "audit is over", Anna, As(Anna))).Request!;
        Assert.Equal("Problem_WithdrawOthers", Assert.Single((await app.Deletion.WithdrawAsync(second.Id, As(Piotr))).Problems).Key);
        Assert.Equal(DeletionState.Withdrawn, (await app.Deletion.WithdrawAsync(second.Id, As(Anna))).Request!.State);
        Assert.True(await app.ExistsAsync(r.Id));
        Assert.Equal([DeletionState.Rejected, DeletionState.Withdrawn],
            await app.WithDbAsync(db => db.Set<DeletionRequest>().OrderBy(d => d.Id).Select(d => d.State).ToListAsync()));
    }
}
