using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Data;

namespace NagrywanieRozmow.Features.Webhooks;

/// <summary>An endpoint as the list shows it: the endpoint and its newest delivery, if any.</summary>
public sealed record EndpointSummary(WebhookEndpoint Endpoint, WebhookDelivery? LastDelivery, int Pending);

/// <summary>
/// What administrators do with endpoints, from the page and the command line alike: register one (the secret is returned
/// once), switch it off and on, rotate its secret, delete it, and send a delivery again. Every change is audited.
/// </summary>
public sealed class WebhookEndpoints(IDbContextFactory<AppDbContext> dbs, AuditLog audit, TimeProvider time, IDataProtectionProvider protection, WebhookSignal signal)
{
    public const int MaxUrlLength = 2000;
    public const string SecretPurpose = "Webhooks.Secret";

    private IDataProtector Protector => protection.CreateProtector(SecretPurpose);

    public static bool IsHttpUrl(string? url) =>
        Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0;

    public string Unprotect(WebhookEndpoint endpoint) => Protector.Unprotect(endpoint.ProtectedSecret);

    /// <summary>Registers an endpoint; throws <see cref="ArgumentException"/> with a message for people on a bad URL, event or team.</summary>
    public async Task<(WebhookEndpoint Endpoint, string Secret)> CreateAsync(
        string? url, IEnumerable<string> events, string? team, AuditActor by, CancellationToken ct = default)
    {
        url = url?.Trim();
        if (!IsHttpUrl(url))
            throw new ArgumentException($"The URL must be an absolute http:// or https:// address such as https://crm.example/hooks; got '{url}'.");
        if (url!.Length > MaxUrlLength) throw new ArgumentException($"The URL may be at most {MaxUrlLength} characters.");
        var wanted = WebhookEvents.Parse(events);
        team = string.IsNullOrWhiteSpace(team) ? null : team.Trim();
        if (team is { Length: > 100 }) throw new ArgumentException("A team name may take at most 100 characters.");
        var secret = WebhookSignature.NewSecret();
        var now = time.GetUtcNow().UtcDateTime;
        var (endpoint, _) = await audit.InTransactionAsync<WebhookEndpoint>(async db =>
        {
            // Inside the transaction (SQLite's holds the write lock): nothing is appended between this read and the endpoint.
            var last = await db.AuditLog.MaxAsync(a => (long?)a.Id, ct) ?? 0;
            var endpoint = new WebhookEndpoint
            {
                Url = url, Events = string.Join(',', wanted), Team = team, ProtectedSecret = Protector.Protect(secret),
                CreatedAt = now, CreatedBy = by.Name, StartsAfterAuditId = last,
            };
            db.Add(endpoint);
            // The follower reads from here on even if it has not taken its place yet (a first start racing the first event).
            if (!await db.Set<AuditCursor>().AnyAsync(c => c.Name == WebhookFollower.CursorName, ct))
                db.Add(new AuditCursor { Name = WebhookFollower.CursorName, LastId = last });
            await db.SaveChangesAsync(ct);
            return (endpoint, (IReadOnlyList<AuditDraft>)[new AuditDraft(by, AuditActions.WebhookCreated, AuditOutcomes.Success,
                Details: AuditLog.Details(new { endpoint = endpoint.Id, url, events = wanted, team }))]);
        }, ct);
        return (endpoint, secret);
    }

    public async Task<IReadOnlyList<EndpointSummary>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var deliveries = db.Set<WebhookDelivery>();
        var rows = await db.Set<WebhookEndpoint>().AsNoTracking().OrderBy(e => e.Id)
            .Select(e => new
            {
                Endpoint = e,
                Last = deliveries.Where(d => d.EndpointId == e.Id).OrderByDescending(d => d.Id).FirstOrDefault(),
                Pending = deliveries.Count(d => d.EndpointId == e.Id && d.State == DeliveryState.Pending),
            })
            .ToListAsync(ct);
        return rows.Select(r => new EndpointSummary(r.Endpoint, r.Last, r.Pending)).ToList();
    }

    /// <summary>The newest deliveries, of one endpoint or of all.</summary>
    public async Task<IReadOnlyList<WebhookDelivery>> DeliveriesAsync(int? endpointId, int take = 100, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var query = db.Set<WebhookDelivery>().AsNoTracking();
        if (endpointId is { } id) query = query.Where(d => d.EndpointId == id);
        return await query.OrderByDescending(d => d.Id).Take(take).ToListAsync(ct);
    }

    /// <summary>Switches an endpoint on (its failure count starts again, waiting deliveries go out) or off. False when there is no such endpoint.</summary>
    public async Task<bool> SetEnabledAsync(int id, bool enabled, AuditActor by, CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var (found, _) = await audit.InTransactionAsync<bool>(async db =>
        {
            var endpoint = await db.Set<WebhookEndpoint>().FirstOrDefaultAsync(e => e.Id == id, ct);
            if (endpoint is null || endpoint.Enabled == enabled) return (endpoint is not null, (IReadOnlyList<AuditDraft>)[]);
            endpoint.Enabled = enabled;
            endpoint.FailedInARow = 0;
            endpoint.DisabledAt = enabled ? null : now;
            endpoint.DisabledReason = enabled ? null : $"disabled by {by.Name}";
            await db.SaveChangesAsync(ct);
            return (true, [new AuditDraft(by, AuditActions.WebhookChanged, AuditOutcomes.Success,
                Details: AuditLog.Details(new { endpoint = id, url = endpoint.Url, enabled }))]);
        }, ct);
        if (enabled) signal.Wake();
        return found;
    }

    /// <summary>A new secret for the endpoint, returned once; the old one stops signing at once. Null when there is no such endpoint.</summary>
    public async Task<string?> RotateSecretAsync(int id, AuditActor by, CancellationToken ct = default)
    {
        var secret = WebhookSignature.NewSecret();
        var (found, _) = await audit.InTransactionAsync<bool>(async db =>
        {
            var endpoint = await db.Set<WebhookEndpoint>().FirstOrDefaultAsync(e => e.Id == id, ct);
            if (endpoint is null) return (false, (IReadOnlyList<AuditDraft>)[]);
            endpoint.ProtectedSecret = Protector.Protect(secret);
            await db.SaveChangesAsync(ct);
            return (true, [new AuditDraft(by, AuditActions.WebhookChanged, AuditOutcomes.Success,
                Details: AuditLog.Details(new { endpoint = id, url = endpoint.Url, secret = "rotated" }))]);
        }, ct);
        return found ? secret : null;
    }

    /// <summary>Deletes the endpoint and its delivery log; nothing more is sent to it. False when there is no such endpoint.</summary>
    public async Task<bool> DeleteAsync(int id, AuditActor by, CancellationToken ct = default)
    {
        var (found, _) = await audit.InTransactionAsync<bool>(async db =>
        {
            var endpoint = await db.Set<WebhookEndpoint>().AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, ct);
            if (endpoint is null) return (false, (IReadOnlyList<AuditDraft>)[]);
            await db.Set<WebhookDelivery>().Where(d => d.EndpointId == id).ExecuteDeleteAsync(ct);
            await db.Set<WebhookEndpoint>().Where(e => e.Id == id).ExecuteDeleteAsync(ct);
            return (true, [new AuditDraft(by, AuditActions.WebhookDeleted, AuditOutcomes.Success,
                Details: AuditLog.Details(new { endpoint = id, url = endpoint.Url, events = endpoint.EventList, team = endpoint.Team }))]);
        }, ct);
        return found;
    }

    /// <summary>
    /// "Send again": one more attempt of the same message (same <c>webhook-id</c> and body), now. Refused (false) while an
    /// attempt of it is still due or in flight.
    /// </summary>
    public async Task<bool> ResendAsync(long deliveryId, AuditActor by, CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var (done, _) = await audit.InTransactionAsync<bool>(async db =>
        {
            var delivery = await db.Set<WebhookDelivery>().AsNoTracking().FirstOrDefaultAsync(d => d.Id == deliveryId, ct);
            if (delivery is null || delivery.State == DeliveryState.Pending) return (false, (IReadOnlyList<AuditDraft>)[]);
            var changed = await db.Set<WebhookDelivery>().Where(d => d.Id == deliveryId && d.State == delivery.State && d.Attempts == delivery.Attempts)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(d => d.State, DeliveryState.Pending)
                    .SetProperty(d => d.MaxAttempts, delivery.Attempts + 1)
                    .SetProperty(d => d.NextAttemptAt, now), ct);
            if (changed == 0) return (false, []);
            return (true, [new AuditDraft(by, AuditActions.WebhookResent, AuditOutcomes.Success, delivery.RecordingId,
                AuditLog.Details(new { endpoint = delivery.EndpointId, delivery = delivery.Id, messageId = delivery.MessageId, type = delivery.EventType }))]);
        }, ct);
        if (done) signal.Wake();
        return done;
    }
}
