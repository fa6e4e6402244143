using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NagrywanieRozmow.Features.Recordings;

public enum ErasureCause { Retention, Manual, SubjectRequest }

/// <summary>
/// What is left of a deleted recording: enough for the audit log to make sense (which call, when, which file by its hash,
/// why), and nothing personal. <see cref="PendingKeys"/> lists stored files still to remove; it is emptied once they are gone.
/// </summary>
public sealed class RecordingTombstone
{
    /// <summary>The deleted recording's id, so audit entries naming it still point somewhere.</summary>
    public long Id { get; set; }
    public required string CallId { get; set; }
    public DateTime StartedAt { get; set; }
    public int DurationMs { get; set; }
    public DateTime IngestedAt { get; set; }
    public required string Sha256 { get; set; }
    public ErasureCause Cause { get; set; }

    /// <summary>The team the call belonged to (not personal): who may still be told of the deletion, e.g. a team's webhook.</summary>
    public string? Team { get; set; }

    /// <summary>The retention rule, or the reason of a manual deletion or data-subject request.</summary>
    public required string Rule { get; set; }
    public required string DeletedBy { get; set; }
    public DateTime DeletedAt { get; set; }

    /// <summary>Storage keys still to delete, one per line; null once every file is gone.</summary>
    public string? PendingKeys { get; set; }
    public DateTime? FilesRemovedAt { get; set; }
}

internal sealed class RecordingTombstoneConfiguration : IEntityTypeConfiguration<RecordingTombstone>
{
    public void Configure(EntityTypeBuilder<RecordingTombstone> e)
    {
        e.ToTable("RecordingTombstones");
        e.Property(t => t.Id).ValueGeneratedNever();
        e.Property(t => t.CallId).HasMaxLength(100);
        e.Property(t => t.Sha256).HasMaxLength(64).IsFixedLength();
        e.Property(t => t.Team).HasMaxLength(100);
        e.Property(t => t.Cause).HasConversion<string>().HasMaxLength(16);
        e.Property(t => t.Rule).HasMaxLength(1000);
        e.Property(t => t.DeletedBy).HasMaxLength(256);
        e.Property(t => t.PendingKeys).HasMaxLength(2000);
        e.HasIndex(t => t.DeletedAt);
        e.HasIndex(t => t.FilesRemovedAt);
        e.HasIndex(t => t.Sha256);
    }
}
