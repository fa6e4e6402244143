using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Features.Retention;

/// <summary>Where a restore from Azure's Archive tier stands.</summary>
public enum RestoreState
{
    /// <summary>Asked for; the blob is being rehydrated (Azure: up to 15 hours).</summary>
    Rehydrating,

    /// <summary>It can be played until <see cref="RecordingRestore.ReturnAt"/>; the requester was told.</summary>
    Ready,

    /// <summary>Back in the Archive tier.</summary>
    Returned,
}

/// <summary>
/// One person's request to restore an archived recording (only Azure's Archive tier needs one; a folder or the Cool and Cold
/// tiers play directly). Requests of one recording move through their states together; each requester is told when it can
/// be played. Goes with the recording when it is erased.
/// </summary>
public sealed class RecordingRestore
{
    public long Id { get; set; }
    public long RecordingId { get; set; }

    /// <summary>The requester's account id (for the notice); null for an API key.</summary>
    public string? UserId { get; set; }

    /// <summary>Who asked, as the audit log names them.</summary>
    public required string RequestedBy { get; set; }
    public DateTime RequestedAt { get; set; }
    public RestoreState State { get; set; }
    public DateTime? ReadyAt { get; set; }

    /// <summary>When a ready recording goes back to the archive tier (<c>Retention:RestoredHours</c> after it was ready).</summary>
    public DateTime? ReturnAt { get; set; }
    public DateTime? ReturnedAt { get; set; }
}

internal sealed class RecordingRestoreConfiguration : IEntityTypeConfiguration<RecordingRestore>
{
    public void Configure(EntityTypeBuilder<RecordingRestore> e)
    {
        e.ToTable("RecordingRestores");
        e.HasKey(r => r.Id);
        e.Property(r => r.UserId).HasMaxLength(450);
        e.Property(r => r.RequestedBy).HasMaxLength(256);
        e.Property(r => r.State).HasConversion<string>().HasMaxLength(16);
        e.HasOne<Recording>().WithMany().HasForeignKey(r => r.RecordingId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(r => new { r.State, r.RecordingId });
        e.HasIndex(r => new { r.RecordingId, r.Id });
    }
}
