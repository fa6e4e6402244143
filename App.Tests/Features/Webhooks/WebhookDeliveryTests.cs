using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Features.Retention;
using NagrywanieRozmow.Features.Webhooks;

namespace NagrywanieRozmow.Tests.Features.Webhooks;

/// <summary>
/// Each event, caused through the app's own API the way an integration or a person does, reaches a real receiver once,
/// signed (checked with the StandardWebhooks package) and carrying the recording's metadata and permalink.
/// </summary>
public sealed class WebhookDeliveryTests : IAsyncLifetime
{
    private readonly WebhookApp app = new();
    private WebhookReceiver receiver = default!;

    public async Task InitializeAsync()
    {
        await app.InitializeAsync();
        receiver = await WebhookReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await receiver.DisposeAsync();
        await ((IAsyncLifetime)app).DisposeAsync();
    }

    [Fact]
    public async Task Each_event_reaches_the_receiver_once_signed_with_the_recordings_metadata_and_permalink()
    {
        var endpoint = await app.AddEndpointAsync(receiver, string.Join(',', WebhookEvents.All));
        var handler = app.ClientAs(Roles.ComplaintHandler, email: "handler@example.com", mayDelete: true);
        var compliance = app.ClientAs(Roles.Compliance, email: "compliance@example.com");

        // Each step waits for its webhook, as a script that acts and then listens would: the payload shows the recording as the event left it.
        long id = 0;
        await Step(1, async () => id = await UploadAsync(await app.KeyClientAsync(ApiKeyScopes.Ingest)));
        await Step(2, async () => Ok(await handler.PostAsJsonAsync($"/api/v1/recordings/{id}/cases", new { @case = "REK-2026/0113" })));
        await Step(3, async () => Ok(await handler.PostAsJsonAsync($"/api/v1/recordings/{id}/cases", new { @case = "REK-2026/0200" })));
        await Step(4, async () => Ok(await handler.DeleteAsync($"/api/v1/recordings/{id}/cases/REK-2026/0200")));
        await Step(5, async () => Ok(await compliance.PutAsJsonAsync($"/api/v1/recordings/{id}/hold", new { reason = "Skarga klienta", caseNumber = "SP-7" })));
        await Step(6, async () => Ok(await compliance.SendAsync(
            new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/recordings/{id}/hold") { Content = JsonContent.Create(new { reason = "Sprawa zamknięta" }) })));
        await Step(7, async () => Ok(await handler.SendAsync(
            new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/recordings/{id}") { Content = JsonContent.Create(new { reason = "Nagrane przez pomyłkę" }) })));

        // A hold over two recordings is one event for each of them; lifting it, too.
        var a = await TestData.AddAsync(app, TestData.Recording(team: "Reklamacje"));
        var b = await TestData.AddAsync(app, TestData.Recording(team: "Sprzedaż"));
        long holdId = 0;
        await Step(9, async () =>
        {
            var placed = await compliance.PostAsJsonAsync("/api/v1/holds", new { ids = new[] { a.Id, b.Id }, reason = "Kontrola UOKiK", caseNumber = "UOKiK-1" });
            Ok(placed);
            holdId = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("holdId").GetInt64();
        });
        await Step(11, async () =>
            Assert.Empty(await app.Services.GetRequiredService<LegalHolds>().LiftAsync(holdId, "Kontrola zakończona", new AuditActor("compliance@example.com", null))));

        await receiver.WaitForAsync(r => r.Select(x => x.MessageId).Distinct().Count() >= 11, TimeSpan.FromSeconds(30), "11 events");
        await app.WaitForDeliveriesAsync(d => d.Count == 11 && d.All(x => x.State == DeliveryState.Delivered), "11 delivered");

        var got = receiver.Received;
        Assert.All(got, r => Assert.True(r.Verified, $"{r.MessageId}: {r.Problem}"));
        Assert.Equal(11, got.Count); // each once: nothing was retried
        Assert.Equal((await app.DeliveriesAsync(endpoint.Id)).Select(d => d.MessageId).Order(), got.Select(r => r.MessageId).Order());
        Assert.All(got, r => Assert.Matches("^msg_[0-9a-f]{32}$", r.MessageId));

        var mine = got.Where(r => r.RecordingId == id).GroupBy(r => r.Type).ToDictionary(g => g.Key, g => g.Last());
        Assert.Equal(7, got.Count(r => r.RecordingId == id));
        Assert.Equal(2, got.Count(r => r.RecordingId == id && r.Type == WebhookEvents.CaseAdded));
        Assert.Equal(WebhookEvents.All.Order(), mine.Keys.Order());

        var created = mine[WebhookEvents.RecordingCreated].Data;
        Assert.Equal("webhook-call-1", created.GetProperty("callId").GetString());
        Assert.Equal("48601234567", created.GetProperty("callerNumber").GetString());
        Assert.Equal("201", created.GetProperty("extension").GetString());
        Assert.Equal("Incoming", created.GetProperty("type").GetString());
        Assert.Equal("2026-11-20T10:15:00.000Z", created.GetProperty("startedAt").GetString());
        Assert.Equal($"{WebhookApp.PublicUrl}/recordings/{id}", created.GetProperty("permalink").GetString());
        Assert.True(created.GetProperty("durationSeconds").GetDouble() > 0);
        Assert.False(created.TryGetProperty("audio", out _));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", mine[WebhookEvents.RecordingCreated].Root.GetProperty("timestamp").GetString());

        var removed = mine[WebhookEvents.CaseRemoved].Data;
        Assert.Equal("REK-2026/0200", removed.GetProperty("case").GetString());
        Assert.Equal(["REK-2026/0113"], removed.GetProperty("caseNumbers").EnumerateArray().Select(c => c.GetString()));
        var hold = mine[WebhookEvents.HoldPlaced].Data;
        Assert.Equal("SP-7", hold.GetProperty("caseNumber").GetString());
        Assert.Equal("Skarga klienta", hold.GetProperty("reason").GetString());
        Assert.Equal("Sprawa zamknięta", mine[WebhookEvents.HoldLifted].Data.GetProperty("reason").GetString());

        // Of the deleted recording only what its tombstone keeps: its team, but no numbers and no link to a page that is gone.
        var deleted = mine[WebhookEvents.RecordingDeleted].Data;
        Assert.Equal("manual", deleted.GetProperty("cause").GetString());
        Assert.Equal("webhook-call-1", deleted.GetProperty("callId").GetString());
        Assert.False(deleted.TryGetProperty("callerNumber", out _));
        Assert.False(deleted.TryGetProperty("permalink", out _));
        Assert.Equal(JsonValueKind.String, deleted.GetProperty("team").ValueKind);

        foreach (var r in new[] { a, b })
        {
            var placedFor = Assert.Single(got, x => x.RecordingId == r.Id && x.Type == WebhookEvents.HoldPlaced).Data;
            Assert.Equal(holdId, placedFor.GetProperty("holdId").GetInt64());
            Assert.Equal("UOKiK-1", placedFor.GetProperty("caseNumber").GetString());
            Assert.Equal(r.Team, placedFor.GetProperty("team").GetString());
            var liftedFor = Assert.Single(got, x => x.RecordingId == r.Id && x.Type == WebhookEvents.HoldLifted).Data;
            Assert.Equal("Kontrola zakończona", liftedFor.GetProperty("reason").GetString());
        }

        // Every change behind these events is in the audit log.
        var actions = await app.WithDbAsync(db => db.AuditLog.Select(e => e.Action).ToListAsync());
        foreach (var action in new[] { AuditActions.Ingest, AuditActions.CaseAdded, AuditActions.CaseRemoved, AuditActions.HoldPlaced, AuditActions.HoldReleased,
                                       AuditActions.HoldLifted, AuditActions.RecordingDeleted, AuditActions.WebhookCreated })
            Assert.Contains(action, actions);
    }

    [Fact]
    public async Task An_endpoint_limited_to_a_team_hears_nothing_of_another_teams_recordings()
    {
        var all = await app.AddEndpointAsync(receiver, WebhookEvents.CaseAdded + "," + WebhookEvents.RecordingDeleted);
        await using var other = await WebhookReceiver.StartAsync();
        var team = await app.AddEndpointAsync(other, WebhookEvents.CaseAdded + "," + WebhookEvents.RecordingDeleted, team: "Reklamacje");
        var ours = await TestData.AddAsync(app, TestData.Recording(team: "Reklamacje"));
        var theirs = await TestData.AddAsync(app, TestData.Recording(team: "Sprzedaż"));
        var handler = app.ClientAs(Roles.ComplaintHandler, mayDelete: true);
        Ok(await handler.PostAsJsonAsync($"/api/v1/recordings/{ours.Id}/cases", new { @case = "A-1" }));
        Ok(await handler.PostAsJsonAsync($"/api/v1/recordings/{theirs.Id}/cases", new { @case = "B-1" }));
        // Deleted at once: the follower may read the case numbers after the deletions, when only the tombstones (with their team) are left.
        Ok(await handler.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/recordings/{ours.Id}") { Content = JsonContent.Create(new { reason = "pomyłka" }) }));
        Ok(await handler.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/recordings/{theirs.Id}") { Content = JsonContent.Create(new { reason = "pomyłka" }) }));

        await app.WaitForDeliveriesAsync(d => d.Count(x => x.EndpointId == all.Id && x.State == DeliveryState.Delivered) == 4, "4 deliveries to the endpoint for every team");
        await app.WaitForDeliveriesAsync(d => d.Count(x => x.EndpointId == team.Id && x.State == DeliveryState.Delivered) == 2, "2 deliveries to the team's endpoint");

        Assert.Equal(4, receiver.Received.Count);
        Assert.Equal(2, other.Received.Count);
        Assert.All(other.Received, r => Assert.True(r.Verified, r.Problem));
        Assert.All(other.Received, r => Assert.Equal(ours.Id, r.RecordingId));
        Assert.Equal([WebhookEvents.CaseAdded, WebhookEvents.RecordingDeleted], other.Received.Select(r => r.Type).Order());
        // Every delivery for the team's endpoint was decided when the events were read: nothing about the other team waits.
        Assert.DoesNotContain(await app.DeliveriesAsync(team.Id), d => d.RecordingId == theirs.Id);
    }

    [Fact]
    public async Task An_endpoint_hears_only_of_what_happened_after_it_was_registered()
    {
        var r = await TestData.AddAsync(app, TestData.Recording());
        var labels = app.Services.GetRequiredService<RecordingLabels>();
        var admin = TestAuth.Principal("admin@example.com", Roles.Administrator);
        await labels.AddAsync(r.Id, LabelKind.Case, "BEFORE-1", admin, AuditActor.Of(admin, null));
        await app.AddEndpointAsync(receiver, WebhookEvents.CaseAdded);
        await labels.AddAsync(r.Id, LabelKind.Case, "AFTER-1", admin, AuditActor.Of(admin, null));

        await receiver.WaitForAsync(x => x.Count >= 1, TimeSpan.FromSeconds(30), "the case added after registration");
        await app.WaitForDeliveriesAsync(d => d.All(x => x.State == DeliveryState.Delivered), "delivered");
        var only = Assert.Single(receiver.Received);
        Assert.Equal("AFTER-1", only.Data.GetProperty("case").GetString());
    }

    private async Task Step(int total, Func<Task> action)
    {
        await action();
        await receiver.WaitForAsync(r => r.Select(x => x.MessageId).Distinct().Count() >= total, TimeSpan.FromSeconds(30), $"{total} events");
    }

    private static void Ok(HttpResponseMessage response) =>
        Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} "
            + response.Content.ReadAsStringAsync().GetAwaiter().GetResult());

    private static async Task<long> UploadAsync(HttpClient key)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(JsonSerializer.Serialize(new
        {
            callId = "webhook-call-1", startedAt = new DateTime(2026, 11, 20, 10, 15, 0, DateTimeKind.Utc).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            callerNumber = "48601234567", calleeNumber = "201", extension = "201", type = "Incoming", team = "Reklamacje",
        }), Encoding.UTF8, "application/json"), "metadata");
        var part = new ByteArrayContent(TestData.Wav(1.5));
        part.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        form.Add(part, "audio", "in-201-48601234567-webhook.wav");
        using var response = await key.PostAsync("/api/v1/recordings", form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"upload: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetInt64();
    }
}
