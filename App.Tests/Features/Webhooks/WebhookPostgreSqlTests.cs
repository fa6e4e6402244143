using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Features.Webhooks;
using NagrywanieRozmow.Tests.Fixtures;

namespace NagrywanieRozmow.Tests.Features.Webhooks;

/// <summary>The same delivery path on PostgreSQL (its job storage shared in the database): following, claiming, retrying, the list.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class WebhookPostgreSqlTests(PostgreSqlServer cluster) : IAsyncLifetime
{
    private WebhookApp app = default!;
    private WebhookReceiver receiver = default!;

    public async Task InitializeAsync()
    {
        app = new WebhookApp(postgreSql: await cluster.CreateDatabaseAsync());
        await app.InitializeAsync();
        receiver = await WebhookReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await receiver.DisposeAsync();
        await ((IAsyncLifetime)app).DisposeAsync();
    }

    [Fact]
    public async Task A_case_added_on_PostgreSQL_is_retried_after_a_500_and_delivered_signed_with_the_same_webhook_id()
    {
        receiver.Answer = (_, nth) => nth == 1 ? 500 : 200;
        var endpoint = await app.AddEndpointAsync(receiver, WebhookEvents.CaseAdded, team: "Reklamacje");
        var r = await TestData.AddAsync(app, TestData.Recording(team: "Reklamacje"));
        var admin = TestAuth.Principal("admin@example.com", Roles.Administrator);

        await app.Services.GetRequiredService<RecordingLabels>().AddAsync(r.Id, LabelKind.Case, "PG-1", admin, AuditActor.Of(admin, null));

        await app.WaitForDeliveriesAsync(d => d.Count == 1 && d[0].State == DeliveryState.Delivered, "the delivery", seconds: 60);
        var delivery = Assert.Single(await app.DeliveriesAsync(endpoint.Id));
        Assert.Equal((2, 200), (delivery.Attempts, delivery.LastStatusCode));
        Assert.Equal(2, receiver.Received.Count);
        Assert.All(receiver.Received, x => Assert.True(x.Verified, x.Problem));
        Assert.All(receiver.Received, x => Assert.Equal(delivery.MessageId, x.MessageId));
        Assert.Equal("PG-1", receiver.Received[^1].Data.GetProperty("case").GetString());

        var listed = Assert.Single(await app.Services.GetRequiredService<WebhookEndpoints>().ListAsync());
        Assert.Equal((endpoint.Id, delivery.Id, 0), (listed.Endpoint.Id, listed.LastDelivery!.Id, listed.Pending));
    }
}
