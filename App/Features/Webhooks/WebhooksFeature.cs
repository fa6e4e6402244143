using Microsoft.Extensions.Options;

namespace NagrywanieRozmow.Features.Webhooks;

/// <summary>
/// Signed HTTP callbacks (Standard Webhooks) for what happens to recordings: read from the audit log by
/// <see cref="WebhookFollower"/>, sent by <see cref="WebhookDeliveryJob"/>, re-queued by <see cref="WebhookSweep"/>,
/// managed on /admin/webhooks and with `webhooks add`.
/// </summary>
public static class WebhooksFeature
{
    public static IHostApplicationBuilder AddWebhooks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebhooksOptions>().BindConfiguration("Webhooks")
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<WebhookSignal>();
        builder.Services.AddSingleton<WebhookEndpoints>();
        builder.Services.AddTransient<WebhookDeliveryJob>();
        builder.Services.AddHttpClient(WebhookDeliveryJob.HttpClientName, (services, client) =>
                client.Timeout = TimeSpan.FromSeconds(services.GetRequiredService<IOptions<WebhooksOptions>>().Value.TimeoutSeconds))
            // A receiver's redirect is an answer, not a new address to post the recording's metadata to.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(2) });
        builder.Services.AddHostedService<WebhookFollower>();
        builder.Services.AddHostedService<WebhookSweep>();
        return builder;
    }
}
