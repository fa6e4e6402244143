using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Features.Watches;

/// <summary>
/// One recording that matched one of a person's watches, written by <see cref="WatchFollower"/> only when the person could
/// see the recording at that moment. Goes with the recording when it is erased (no trace of an erased call is left here).
/// </summary>
public sealed class Notification
{
    public long Id { get; set; }
    public required string UserId { get; set; }
    public long WatchId { get; set; }
    public long RecordingId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ReadAt { get; set; }

    /// <summary>When the e-mail went out; null when none was sent (no SMTP, no address, or no longer in the person's scope).</summary>
    public DateTime? EmailedAt { get; set; }

    /// <summary>When the mail job took this notification (sent or decided not to send): a mail is tried once per notification.</summary>
    public DateTime? MailHandledAt { get; set; }
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> e)
    {
        e.ToTable("Notifications");
        e.HasKey(n => n.Id);
        e.Property(n => n.UserId).HasMaxLength(450);
        e.HasOne<Watch>().WithMany().HasForeignKey(n => n.WatchId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<Recording>().WithMany().HasForeignKey(n => n.RecordingId).OnDelete(DeleteBehavior.Cascade);
        // A replayed batch or a case added to a recording already announced never notifies twice.
        e.HasIndex(n => new { n.WatchId, n.RecordingId }).IsUnique();
        e.HasIndex(n => new { n.UserId, n.ReadAt });
        e.HasIndex(n => new { n.UserId, n.Id });
        e.HasIndex(n => n.MailHandledAt);
    }
}
