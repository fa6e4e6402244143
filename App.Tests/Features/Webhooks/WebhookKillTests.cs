using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Features.Retention;
using NagrywanieRozmow.Features.Webhooks;
using Xunit.Abstractions;

namespace NagrywanieRozmow.Tests.Features.Webhooks;

/// <summary>
/// The app (App.dll, its own process) delivering to a slow receiver is killed with SIGKILL while requests are in flight,
/// several times, and started again: every event is delivered at least once, and a receiver that drops duplicates by
/// <c>webhook-id</c> sees each exactly once.
/// </summary>
public sealed class WebhookKillTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Recordings = 10, Kills = 3;

    /// <summary>Makes the events (in this test process, on the same database) but neither follows the log nor sends: the killed process does.</summary>
    private sealed class EventsOnly : AppFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services =>
            {
                foreach (var d in services.Where(d => d.ServiceType == typeof(IHostedService) && (d.ImplementationType == typeof(WebhookFollower)
                             || d.ImplementationType == typeof(WebhookSweep))).ToList())
                    services.Remove(d);
            });
        }
    }

    private readonly EventsOnly app = new();
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
    public async Task Killing_the_app_mid_delivery_loses_no_webhook_and_a_receiver_deduplicating_by_webhook_id_sees_each_event_once()
    {
        var (exit, cli) = await app.RunCliAsync(WebhooksCli.AddAsync, "--url", receiver.Url, "--events", string.Join(',', WebhookEvents.All));
        Assert.Equal(0, exit);
        receiver.Secret = cli.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
        receiver.Delay = TimeSpan.FromMilliseconds(400);

        // The events, through the app's services: a case added and removed on each recording, a hold placed over all and lifted.
        var recordings = new List<Recording>();
        for (var i = 0; i < Recordings; i++) recordings.Add(await TestData.AddAsync(app, TestData.Recording()));
        var labels = app.Services.GetRequiredService<RecordingLabels>();
        var admin = TestAuth.Principal("admin@example.com", Roles.Administrator);
        var by = AuditActor.Of(admin, null);
        foreach (var r in recordings)
        {
            Assert.True((await labels.AddAsync(r.Id, LabelKind.Case, $"KILL-{r.Id}", admin, by)).Found);
            Assert.True((await labels.RemoveAsync(r.Id, LabelKind.Case, $"KILL-{r.Id}", admin, by)).Removed);
        }
        var holds = app.Services.GetRequiredService<LegalHolds>();
        var hold = await holds.PlaceAsync(recordings.Select(r => r.Id).ToList(), "Kontrola", "K-1", new HoldScope(Selected: Recordings), by);
        Assert.Empty(hold.Problems);
        Assert.Empty(await holds.LiftAsync(hold.HoldId, "Koniec kontroli", by));
        const int expected = Recordings * 4;

        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings__Default"] = $"Data Source={app.DatabasePath}",
            ["Storage__RootPath"] = app.StorePath,
            ["Demo__Seed"] = "false",
            ["Webhooks__TimeoutSeconds"] = "2",
            ["Webhooks__SweepSeconds"] = "1",
        };
        var watch = Stopwatch.StartNew();
        var atKill = new List<string>();
        for (var kill = 0; kill < Kills; kill++)
        {
            var before = receiver.Received.Count;
            await using var instance = AppInstance.Start($"kill-{kill}", settings);
            // Once this run has delivered a few, kill it at a moment a request is being answered: its delivery is not yet marked done.
            var started = Stopwatch.StartNew();
            while (!(receiver.Received.Count >= before + 6 && receiver.InFlight > 0))
            {
                if (instance.HasExited) throw new Xunit.Sdk.XunitException($"The app exited ({instance.ExitCode}) before it was killed:\n{instance.Log}");
                if (started.Elapsed > TimeSpan.FromSeconds(90))
                    throw new Xunit.Sdk.XunitException($"Run {kill} delivered {receiver.Received.Count - before} in 90 s:\n{instance.Log}");
                await Task.Delay(5);
            }
            await instance.KillAsync();
            atKill.Add($"{receiver.Received.Count} received ({await DeliveredAsync()} marked delivered)");
        }
        Assert.True(await DeliveredAsync() < expected, "everything was delivered before the last kill: the kills did not land mid-delivery");

        await using (var last = AppInstance.Start("last", settings))
        {
            var started = Stopwatch.StartNew();
            while (await DeliveredAsync() < expected)
            {
                if (last.HasExited) throw new Xunit.Sdk.XunitException($"The app exited ({last.ExitCode}):\n{last.Log}");
                if (started.Elapsed > TimeSpan.FromSeconds(120))
                    throw new Xunit.Sdk.XunitException($"{await DeliveredAsync()} of {expected} delivered after 120 s:\n{last.Log}");
                await Task.Delay(50);
            }
        }

        var got = receiver.Received;
        var unique = got.GroupBy(r => r.MessageId).Select(g => g.First()).ToList();
        output.WriteLine($"after each kill: {string.Join("; ", atKill)}");
        output.WriteLine($"events {expected}, requests received {got.Count}, unique webhook-ids {unique.Count}, duplicates dropped {got.Count - unique.Count}, " +
                         $"{watch.Elapsed.TotalSeconds:0} s");

        Assert.All(got, r => Assert.True(r.Verified, $"{r.MessageId}: {r.Problem}"));
        var deliveries = await app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(db.Set<WebhookDelivery>()));
        Assert.Equal(expected, deliveries.Count);
        Assert.All(deliveries, d => Assert.Equal(DeliveryState.Delivered, d.State));
        // At least once: every delivery's message reached the receiver; exactly once after dropping duplicates by webhook-id.
        Assert.Equal(deliveries.Select(d => d.MessageId).Order(), unique.Select(r => r.MessageId).Order());
        foreach (var type in new[] { WebhookEvents.CaseAdded, WebhookEvents.CaseRemoved, WebhookEvents.HoldPlaced, WebhookEvents.HoldLifted })
            Assert.Equal(recordings.Select(r => r.Id).Order(), unique.Where(r => r.Type == type).Select(r => r.RecordingId).Order());
        // A duplicate carries the very same body: the receiver can drop it by its id alone.
        Assert.All(got.GroupBy(r => r.MessageId), g => Assert.Single(g.Select(r => r.Body).Distinct()));
        // Each kill cut off a request the app had not seen answered, so each left at least one message to be sent again.
        Assert.True(got.Count - unique.Count >= Kills, $"only {got.Count - unique.Count} duplicates after {Kills} kills mid-request");
    }

    private async Task<long> DeliveredAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={app.DatabasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM WebhookDeliveries WHERE State = 'Delivered'";
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
