using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NagrywanieRozmow.Features.Webhooks;

public enum DeliveryState { Pending, Delivered, Failed }

/// <summary>
/// One event for one endpoint. Its message id and payload are fixed when it is made, so every attempt (a retry, a resend
/// after a crash, "send again") carries the same <c>webhook-id</c> and body, and a receiver can drop duplicates.
/// The database is the truth about it; Hangfire jobs only carry attempts out.
/// </summary>
public sealed class WebhookDelivery
{
    public long Id { get; set; }
    public int EndpointId { get; set; }

    /// <summary>The Standard Webhooks message id, <c>msg_…</c>.</summary>
    public required string MessageId { get; set; }
    public required string EventType { get; set; }
    public long? RecordingId { get; set; }

    /// <summary>The audit entry the event was read from.</summary>
    public long AuditEntryId { get; set; }
    public required string Payload { get; set; }
    public DeliveryState State { get; set; }
    public int Attempts { get; set; }

    /// <summary>Attempts allowed in all: the retry schedule's length plus one; "send again" allows one more.</summary>
    public int MaxAttempts { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? LastAttemptAt { get; set; }

    /// <summary>When the next attempt is due; while an attempt is in flight, when its claim lapses (a crashed attempt is made again then).</summary>
    public DateTime NextAttemptAt { get; set; }
    public DateTime? DeliveredAt { get; set; }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> e)
    {
        e.ToTable("WebhookDeliveries");
        e.Property(d => d.MessageId).HasMaxLength(40);
        e.Property(d => d.EventType).HasMaxLength(40);
        e.Property(d => d.State).HasConversion<string>().HasMaxLength(16);
        e.Property(d => d.LastError).HasMaxLength(WebhookDeliveryJob.MaxErrorLength);
        e.HasOne<WebhookEndpoint>().WithMany().HasForeignKey(d => d.EndpointId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(d => d.MessageId).IsUnique();
        e.HasIndex(d => new { d.State, d.NextAttemptAt });
        e.HasIndex(d => new { d.EndpointId, d.Id });
        e.HasIndex(d => new { d.EndpointId, d.RecordingId });
    }
}
