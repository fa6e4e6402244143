using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NagrywanieRozmow.Features.Webhooks;

/// <summary>
/// A receiver an administrator registered: where deliveries go, which events it wants, and optionally the one team whose
/// recordings it may hear of. Its signing secret is kept protected (Data Protection), since it must be readable to sign.
/// </summary>
public sealed class WebhookEndpoint
{
    public int Id { get; set; }
    public required string Url { get; set; }

    /// <summary>The events it subscribed to (<see cref="WebhookEvents"/>), comma-separated.</summary>
    public required string Events { get; set; }

    /// <summary>When set, only recordings of this team are told about.</summary>
    public string? Team { get; set; }
    public required string ProtectedSecret { get; set; }
    public DateTime CreatedAt { get; set; }
    public required string CreatedBy { get; set; }

    /// <summary>The audit log's last entry when the endpoint was created: it hears of what happens after, never of the past.</summary>
    public long StartsAfterAuditId { get; set; }

    public bool Enabled { get; set; } = true;

    /// <summary>Why it is disabled: by whom, or the failures that made the app disable it.</summary>
    public string? DisabledReason { get; set; }
    public DateTime? DisabledAt { get; set; }

    /// <summary>Deliveries that failed after all their attempts, one after the other; a success sets it back to 0.</summary>
    public int FailedInARow { get; set; }

    public IReadOnlyList<string> EventList => Events.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public bool Wants(string eventType) => EventList.Contains(eventType);
}

internal sealed class WebhookEndpointConfiguration : IEntityTypeConfiguration<WebhookEndpoint>
{
    public void Configure(EntityTypeBuilder<WebhookEndpoint> e)
    {
        e.ToTable("WebhookEndpoints");
        e.Property(w => w.Url).HasMaxLength(WebhookEndpoints.MaxUrlLength);
        e.Property(w => w.Events).HasMaxLength(400);
        e.Property(w => w.Team).HasMaxLength(100);
        e.Property(w => w.ProtectedSecret).HasMaxLength(1000);
        e.Property(w => w.CreatedBy).HasMaxLength(256);
        e.Property(w => w.DisabledReason).HasMaxLength(1000);
        e.Ignore(w => w.EventList);
    }
}
