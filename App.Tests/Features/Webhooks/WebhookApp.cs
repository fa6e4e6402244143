using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Features.Webhooks;

namespace NagrywanieRozmow.Tests.Features.Webhooks;

/// <summary>The real app with quick retries and sweeps (settings a test may override), and helpers to register endpoints and wait for deliveries.</summary>
public sealed class WebhookApp(Dictionary<string, string?>? settings = null, string? postgreSql = null) : AppFactory
{
    protected override (NagrywanieRozmow.Data.DatabaseProvider Provider, string ConnectionString) Database =>
        postgreSql is null ? base.Database : (NagrywanieRozmow.Data.DatabaseProvider.PostgreSql, postgreSql);

    public const string PublicUrl = "https://panel.example";

    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var all = new Dictionary<string, string?>
            {
                ["App:PublicUrl"] = PublicUrl,
                ["Webhooks:RetryDelays"] = "00:00:00.3,00:00:00.3",
                ["Webhooks:SweepSeconds"] = "1",
                ["Webhooks:TimeoutSeconds"] = "5",
            };
            foreach (var (k, v) in settings ?? []) all[k] = v;
            return all;
        }
    }

    /// <summary>`webhooks add …` for the receiver; the receiver learns the secret from the last line of the output.</summary>
    public async Task<WebhookEndpoint> AddEndpointAsync(WebhookReceiver receiver, string events, string? team = null)
    {
        string[] args = team is null ? ["--url", receiver.Url, "--events", events] : ["--url", receiver.Url, "--events", events, "--team", team];
        var (exit, output) = await RunCliAsync(WebhooksCli.AddAsync, args);
        Assert.True(exit == 0, output);
        receiver.Secret = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
        return await WithDbAsync(db => db.Set<WebhookEndpoint>().OrderBy(e => e.Id).LastAsync());
    }

    public Task<List<WebhookDelivery>> DeliveriesAsync(int? endpointId = null) => WithDbAsync(db =>
        db.Set<WebhookDelivery>().AsNoTracking().Where(d => endpointId == null || d.EndpointId == endpointId).OrderBy(d => d.Id).ToListAsync());

    /// <summary>Polls the database until <paramref name="done"/> holds; fails naming <paramref name="what"/> and the deliveries otherwise.</summary>
    public async Task WaitForDeliveriesAsync(Func<List<WebhookDelivery>, bool> done, string what, int seconds = 30)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        while (true)
        {
            var deliveries = await DeliveriesAsync();
            if (done(deliveries)) return;
            if (cts.IsCancellationRequested)
                throw new Xunit.Sdk.XunitException($"Waited {seconds} s for {what}; deliveries:\n"
                    + string.Join('\n', deliveries.Select(d => $"{d.Id} {d.EventType} r{d.RecordingId} {d.State} x{d.Attempts} {d.LastStatusCode} {d.LastError}")));
            await Task.Delay(50);
        }
    }
}
