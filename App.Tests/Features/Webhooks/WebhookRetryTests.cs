using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Features.Webhooks;

namespace NagrywanieRozmow.Tests.Features.Webhooks;

/// <summary>Failed attempts are retried with the same message; repeated failures switch the endpoint off; "send again" sends the same message once more.</summary>
public sealed class WebhookRetryTests : IAsyncLifetime
{
    private readonly WebhookApp app = new(new() { ["Webhooks:RetryDelays"] = "00:00:00.3", ["Webhooks:DisableAfterFailedDeliveries"] = "2" });
    private WebhookReceiver receiver = default!;
    private static readonly AuditActor Admin = new("admin@example.com", "10.0.0.1");

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

    private async Task AddCaseAsync(long recordingId, string value)
    {
        var admin = TestAuth.Principal("admin@example.com", Roles.Administrator);
        var (found, problem) = await app.Services.GetRequiredService<RecordingLabels>().AddAsync(recordingId, LabelKind.Case, value, admin, Admin);
        Assert.True(found && problem is null);
    }

    [Fact]
    public async Task A_receiver_answering_500_then_200_gets_the_same_webhook_id_again_and_the_attempts_are_counted()
    {
        receiver.Answer = (_, nth) => nth == 1 ? 500 : 200;
        var endpoint = await app.AddEndpointAsync(receiver, WebhookEvents.CaseAdded);
        var r = await TestData.AddAsync(app, TestData.Recording());

        await AddCaseAsync(r.Id, "RETRY-1");

        await app.WaitForDeliveriesAsync(d => d.Count == 1 && d[0].State == DeliveryState.Delivered, "the retried delivery");
        var delivery = Assert.Single(await app.DeliveriesAsync(endpoint.Id));
        Assert.Equal(2, delivery.Attempts);
        Assert.Equal(200, delivery.LastStatusCode);
        Assert.Null(delivery.LastError);
        Assert.Equal(2, receiver.Received.Count);
        Assert.All(receiver.Received, x => Assert.True(x.Verified, x.Problem));
        Assert.All(receiver.Received, x => Assert.Equal(delivery.MessageId, x.MessageId));
        Assert.Equal(receiver.Received[0].Body, receiver.Received[1].Body);
        Assert.Equal([500, 200], receiver.Received.Select(x => x.Answered));
    }

    [Fact]
    public async Task Deliveries_failing_after_every_retry_disable_the_endpoint_with_the_reason_and_send_again_resends_the_same_message()
    {
        receiver.Answer = (_, _) => 500;
        var endpoint = await app.AddEndpointAsync(receiver, WebhookEvents.CaseAdded);
        var r = await TestData.AddAsync(app, TestData.Recording());

        await AddCaseAsync(r.Id, "FAIL-1");
        await app.WaitForDeliveriesAsync(d => d.Count == 1 && d[0].State == DeliveryState.Failed, "the first delivery to fail");
        Assert.True(await EnabledAsync(endpoint.Id), "one failed delivery of two allowed already disabled the endpoint");
        await AddCaseAsync(r.Id, "FAIL-2");
        await app.WaitForDeliveriesAsync(d => d.Count == 2 && d.All(x => x.State == DeliveryState.Failed), "both deliveries to fail");

        // Two attempts each (one retry), each answered 500, then the endpoint is off and says why; the app audited it.
        var failed = await app.DeliveriesAsync(endpoint.Id);
        Assert.All(failed, d => Assert.Equal(2, d.Attempts));
        Assert.All(failed, d => Assert.Equal(500, d.LastStatusCode));
        Assert.All(failed, d => Assert.StartsWith("HTTP 500", d.LastError));
        Assert.Equal(4, receiver.Received.Count);
        var off = await app.WithDbAsync(db => db.Set<WebhookEndpoint>().SingleAsync(e => e.Id == endpoint.Id));
        Assert.False(off.Enabled);
        Assert.Contains("2 deliveries in a row failed", off.DisabledReason);
        Assert.Contains("HTTP 500", off.DisabledReason);
        var disabled = await app.WithDbAsync(db => db.AuditLog.SingleAsync(a => a.Action == AuditActions.WebhookDisabled));
        Assert.Equal(WebhookDeliveryJob.Actor.Name, disabled.Actor);
        Assert.Equal(off.DisabledReason, disabled.Reason);

        // While it is off, new events make no deliveries.
        await AddCaseAsync(r.Id, "WHILE-OFF");
        var endpoints = app.Services.GetRequiredService<WebhookEndpoints>();
        var afterOff = await app.WithDbAsync(db => db.AuditLog.MaxAsync(a => a.Id));
        await WaitForFollowerAsync(afterOff);
        Assert.Equal(2, (await app.DeliveriesAsync(endpoint.Id)).Count);

        // The receiver is fixed; an administrator switches the endpoint on and sends the first delivery again: same id, same body.
        receiver.Answer = (_, _) => 200;
        Assert.True(await endpoints.SetEnabledAsync(endpoint.Id, true, Admin));
        Assert.True(await endpoints.ResendAsync(failed[0].Id, Admin));
        await app.WaitForDeliveriesAsync(d => d.Single(x => x.Id == failed[0].Id).State == DeliveryState.Delivered, "the delivery sent again");
        var resent = (await app.DeliveriesAsync(endpoint.Id)).Single(d => d.Id == failed[0].Id);
        Assert.Equal(3, resent.Attempts);
        Assert.Equal(200, resent.LastStatusCode);
        var last = receiver.Received[^1];
        Assert.Equal(failed[0].MessageId, last.MessageId);
        Assert.True(last.Verified, last.Problem);
        Assert.Equal(receiver.Received.First(x => x.MessageId == failed[0].MessageId).Body, last.Body);
        Assert.Equal(DeliveryState.Failed, (await app.DeliveriesAsync(endpoint.Id)).Single(d => d.Id == failed[1].Id).State);

        var audited = await app.WithDbAsync(db => db.AuditLog.Where(a => a.Action.StartsWith("webhook.")).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
        Assert.Equal([AuditActions.WebhookCreated, AuditActions.WebhookDisabled, AuditActions.WebhookChanged, AuditActions.WebhookResent], audited);
    }

    [Fact]
    public async Task A_delivery_is_resent_only_once_when_send_again_is_pressed_twice()
    {
        var endpoint = await app.AddEndpointAsync(receiver, WebhookEvents.CaseAdded);
        var r = await TestData.AddAsync(app, TestData.Recording());
        await AddCaseAsync(r.Id, "TWICE-1");
        await app.WaitForDeliveriesAsync(d => d.Count == 1 && d[0].State == DeliveryState.Delivered, "the delivery");
        var delivery = (await app.DeliveriesAsync(endpoint.Id)).Single();
        var endpoints = app.Services.GetRequiredService<WebhookEndpoints>();

        var presses = await Task.WhenAll(endpoints.ResendAsync(delivery.Id, Admin), endpoints.ResendAsync(delivery.Id, Admin));

        Assert.Equal(1, presses.Count(p => p));
        await app.WaitForDeliveriesAsync(d => d[0].State == DeliveryState.Delivered && d[0].Attempts == 2, "the delivery sent again");
        await receiver.WaitForAsync(x => x.Count == 2, TimeSpan.FromSeconds(10), "the second request");
        Assert.All(receiver.Received, x => Assert.Equal(delivery.MessageId, x.MessageId));
    }

    private Task<bool> EnabledAsync(int id) => app.WithDbAsync(db => db.Set<WebhookEndpoint>().Where(e => e.Id == id).Select(e => e.Enabled).SingleAsync());

    /// <summary>Until the webhooks follower's position has passed the given audit entry.</summary>
    private async Task WaitForFollowerAsync(long entryId)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (await app.WithDbAsync(db => db.Set<AuditCursor>().Where(c => c.Name == WebhookFollower.CursorName).Select(c => c.LastId).SingleAsync()) < entryId)
        {
            cts.Token.ThrowIfCancellationRequested();
            await Task.Delay(50);
        }
    }
}
