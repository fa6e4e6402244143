using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Shared.Jobs;

namespace NagrywanieRozmow.Features.Webhooks;

/// <summary>
/// One attempt of one delivery, as a Hangfire job. The attempt first claims the delivery in the database (a conditional
/// update that pushes its due time past the claim), so two jobs never send the same attempt at once; a job that finds
/// nothing to claim (delivered, not due, endpoint off or gone) does nothing. An attempt cut off by a crash is made again,
/// with the same <c>webhook-id</c>, once its claim lapses. Retries are this class's own schedule, not Hangfire's.
/// </summary>
public sealed class WebhookDeliveryJob(
    IDbContextFactory<AppDbContext> dbs, WebhookEndpoints endpoints, IHttpClientFactory http, IOptions<WebhooksOptions> options,
    TimeProvider time, AuditLog audit, WebhookSignal signal, ILogger<WebhookDeliveryJob> logger)
{
    public const string HttpClientName = "webhooks";
    public const int MaxErrorLength = 500;
    public static readonly AuditActor Actor = new("system (webhooks)", null);

    public static string Enqueue(IBackgroundJobClient jobs, long deliveryId) =>
        jobs.Enqueue<WebhookDeliveryJob>(JobQueues.Webhooks, j => j.RunAsync(deliveryId, CancellationToken.None));

    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(long deliveryId, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var delivery = await db.Set<WebhookDelivery>().AsNoTracking().FirstOrDefaultAsync(d => d.Id == deliveryId, ct);
        if (delivery is not { State: DeliveryState.Pending } || delivery.NextAttemptAt > now) return;
        var endpoint = await db.Set<WebhookEndpoint>().AsNoTracking().FirstOrDefaultAsync(e => e.Id == delivery.EndpointId, ct);
        if (endpoint is not { Enabled: true }) return;

        var attempt = delivery.Attempts + 1;
        var claimed = await db.Set<WebhookDelivery>()
            .Where(d => d.Id == deliveryId && d.State == DeliveryState.Pending && d.Attempts == delivery.Attempts && d.NextAttemptAt <= now)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Attempts, attempt)
                .SetProperty(d => d.LastAttemptAt, now)
                .SetProperty(d => d.NextAttemptAt, now + options.Value.Claim), ct);
        if (claimed == 0) return; // another job has this attempt

        var (status, error) = await SendAsync(endpoint, delivery, ct);
        var done = time.GetUtcNow().UtcDateTime;
        // Written only while the claim is still ours (the same attempt number), so a late answer never overwrites a newer attempt.
        var mine = db.Set<WebhookDelivery>().Where(d => d.Id == deliveryId && d.State == DeliveryState.Pending && d.Attempts == attempt);
        if (error is null)
        {
            await mine.ExecuteUpdateAsync(s => s
                .SetProperty(d => d.State, DeliveryState.Delivered)
                .SetProperty(d => d.DeliveredAt, done)
                .SetProperty(d => d.LastStatusCode, status)
                .SetProperty(d => d.LastError, (string?)null), CancellationToken.None);
            await db.Set<WebhookEndpoint>().Where(e => e.Id == endpoint.Id && e.FailedInARow != 0)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.FailedInARow, 0), CancellationToken.None);
            return;
        }

        logger.LogInformation("Webhook {MessageId} to endpoint {Endpoint}, attempt {Attempt}: {Error}", delivery.MessageId, endpoint.Id, attempt, error);
        var delays = options.Value.Delays;
        if (attempt < delivery.MaxAttempts && delays.Count > 0)
        {
            var wait = delays[Math.Min(attempt - 1, delays.Count - 1)];
            await mine.ExecuteUpdateAsync(s => s
                .SetProperty(d => d.NextAttemptAt, done + wait)
                .SetProperty(d => d.LastStatusCode, status)
                .SetProperty(d => d.LastError, error), CancellationToken.None);
            signal.Wake();
            return;
        }
        var failed = await mine.ExecuteUpdateAsync(s => s
            .SetProperty(d => d.State, DeliveryState.Failed)
            .SetProperty(d => d.LastStatusCode, status)
            .SetProperty(d => d.LastError, error), CancellationToken.None);
        if (failed == 1) await CountFailureAsync(endpoint, error);
    }

    /// <summary>One more delivery failed after all its attempts; enough in a row and the endpoint is disabled, with the reason and an audit entry.</summary>
    private async Task CountFailureAsync(WebhookEndpoint endpoint, string error)
    {
        await using var db = await dbs.CreateDbContextAsync();
        await db.Set<WebhookEndpoint>().Where(e => e.Id == endpoint.Id).ExecuteUpdateAsync(s => s.SetProperty(e => e.FailedInARow, e => e.FailedInARow + 1));
        var inARow = await db.Set<WebhookEndpoint>().Where(e => e.Id == endpoint.Id).Select(e => (int?)e.FailedInARow).FirstOrDefaultAsync();
        var limit = options.Value.DisableAfterFailedDeliveries;
        if (inARow is not { } count || count < limit) return;
        var reason = Truncate($"{count} deliveries in a row failed after all their attempts; the last: {error}", 1000);
        var now = time.GetUtcNow().UtcDateTime;
        await audit.InTransactionAsync<bool>(async tx =>
        {
            var disabled = await tx.Set<WebhookEndpoint>().Where(e => e.Id == endpoint.Id && e.Enabled)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(e => e.Enabled, false)
                    .SetProperty(e => e.DisabledAt, now)
                    .SetProperty(e => e.DisabledReason, reason));
            return (disabled == 1, disabled == 1
                ? [new AuditDraft(Actor, AuditActions.WebhookDisabled, AuditOutcomes.Success,
                    Details: AuditLog.Details(new { endpoint = endpoint.Id, url = endpoint.Url, failedInARow = count }), Reason: reason)]
                : []);
        }, CancellationToken.None);
        logger.LogWarning("Webhook endpoint {Endpoint} ({Url}) disabled: {Reason}", endpoint.Id, endpoint.Url, reason);
    }

    /// <summary>POSTs the payload, signed for this attempt; returns the status code and, unless it is 2xx, a short error.</summary>
    private async Task<(int? Status, string? Error)> SendAsync(WebhookEndpoint endpoint, WebhookDelivery delivery, CancellationToken ct)
    {
        var at = time.GetUtcNow();
        string secret;
        try
        {
            secret = endpoints.Unprotect(endpoint);
        }
        catch (CryptographicException)
        {
            return (null, "the signing secret cannot be read (the Data Protection keys in the database changed): give the endpoint a new secret");
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url)
        {
            Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(WebhookSignature.IdHeader, delivery.MessageId);
        request.Headers.Add(WebhookSignature.TimestampHeader, WebhookSignature.Timestamp(at));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secret, delivery.MessageId, at, delivery.Payload));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("NagrywanieRozmow-Webhooks", "1.0"));
        try
        {
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode) return (status, null);
            var body = await ReadStartAsync(response, ct);
            return (status, Truncate($"HTTP {status} {response.ReasonPhrase}{(body.Length > 0 ? ": " + body : "")}", MaxErrorLength));
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return (null, $"no answer within {options.Value.TimeoutSeconds} s");
        }
        catch (HttpRequestException e)
        {
            return (null, Truncate(e.Message, MaxErrorLength));
        }
    }

    private static async Task<string> ReadStartAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            var buffer = new byte[200];
            var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct);
            return Encoding.UTF8.GetString(buffer, 0, read).ReplaceLineEndings(" ").Trim();
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return "";
        }
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
