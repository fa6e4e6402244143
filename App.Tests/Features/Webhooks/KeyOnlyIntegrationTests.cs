using System.Net.Http.Json;
using NagrywanieRozmow.Features.Access;
using NagrywanieRozmow.Features.Webhooks;

namespace NagrywanieRozmow.Tests.Features.Webhooks;

/// <summary>
/// Issue 26's "done when", as a CRM and a legal system would do it with no person involved: keys from `apikeys create`, an
/// endpoint from `webhooks add`, then case numbers attached and removed and a hold placed and lifted through the API with
/// those keys alone; each change is audited under the key's name and arrives at a real receiver, signed.
/// </summary>
public sealed class KeyOnlyIntegrationTests : IAsyncLifetime
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

    private async Task<string> LastLineOfAsync(Func<IServiceProvider, NagrywanieRozmow.Shared.Cli.CliArgs, TextWriter, Task<int>> verb, params string[] args)
    {
        var (exit, output) = await app.RunCliAsync(verb, args);
        Assert.Equal(0, exit);
        return output.TrimEnd().Split('\n')[^1].Trim();
    }

    private HttpClient WithKey(string key)
    {
        var client = app.AnonymousClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthentication.Header, key);
        return client;
    }

    [Fact]
    public async Task A_script_with_only_keys_labels_and_holds_and_hears_each_change_signed_all_audited_under_the_keys()
    {
        receiver.Secret = await LastLineOfAsync(WebhooksCli.AddAsync, "--url", receiver.Url,
            "--events", "recording.case_added,recording.case_removed,hold.placed,hold.lifted");
        var crm = WithKey(await LastLineOfAsync(ApiKeysCli.CreateAsync, "--name", "crm", "--scope", "read,label"));
        var legal = WithKey(await LastLineOfAsync(ApiKeysCli.CreateAsync, "--name", "legal", "--scope", "holds"));
        var recording = await TestData.AddAsync(app, TestData.Recording(team: "Reklamacje"));
        var id = recording.Id;

        async Task Expect(int count, HttpResponseMessage response)
        {
            Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            await receiver.WaitForAsync(r => r.Select(x => x.MessageId).Distinct().Count() >= count, TimeSpan.FromSeconds(30), $"{count} webhooks");
        }
        await Expect(1, await crm.PostAsJsonAsync($"/api/v1/recordings/{id}/cases", new { @case = "REK-2026/0113" }));
        await Expect(2, await crm.DeleteAsync($"/api/v1/recordings/{id}/cases/REK-2026%2F0113"));
        await Expect(3, await legal.PutAsJsonAsync($"/api/v1/recordings/{id}/hold", new { reason = "Pozew", caseNumber = "SP-7/2026" }));
        await Expect(4, await legal.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/recordings/{id}/hold")
            { Content = JsonContent.Create(new { reason = "Sprawa zamknięta" }) }));

        var got = receiver.Received;
        Assert.All(got, r => Assert.True(r.Verified, $"{r.MessageId}: {r.Problem}"));
        Assert.Equal([WebhookEvents.CaseAdded, WebhookEvents.CaseRemoved, WebhookEvents.HoldPlaced, WebhookEvents.HoldLifted], got.Select(r => r.Type));
        Assert.All(got, r => Assert.Equal(id, r.RecordingId));
        Assert.Equal("REK-2026/0113", got[0].Data.GetProperty("case").GetString());

        var audit = await app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
            db.AuditLog.Where(a => a.RecordingId == id).OrderBy(a => a.Id).Select(a => new { a.Action, a.Actor })));
        Assert.Equal(
            [(AuditActions.CaseAdded, "apikey:crm"), (AuditActions.CaseRemoved, "apikey:crm"), (AuditActions.HoldPlaced, "apikey:legal"), (AuditActions.HoldReleased, "apikey:legal")],
            audit.Select(a => (a.Action, a.Actor)));
    }
}
