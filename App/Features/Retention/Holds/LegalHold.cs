using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Features.Retention;

/// <summary>
/// A legal hold: a case that needs some recordings kept. While a recording is in any active hold it is never purged or
/// deleted (<see cref="Recording.LegalHold"/> mirrors that, so the purge and the grid need no join).
/// </summary>
public sealed class LegalHold
{
    public long Id { get; set; }
    public required string CaseNumber { get; set; }
    public required string Reason { get; set; }

    /// <summary>How the recordings were chosen: <see cref="HoldScope"/> as JSON.</summary>
    public string? Scope { get; set; }
    public required string PlacedBy { get; set; }
    public DateTime PlacedAt { get; set; }
    public string? LiftedBy { get; set; }
    public DateTime? LiftedAt { get; set; }
    public string? LiftReason { get; set; }

    public bool IsActive => LiftedAt is null;
    public List<LegalHoldItem> Items { get; set; } = [];
}

/// <summary>
/// One recording in a hold. Released rows stay as history. No foreign key to the recording: the history outlives a
/// recording deleted after its holds were lifted.
/// </summary>
public sealed class LegalHoldItem
{
    public long HoldId { get; set; }
    public long RecordingId { get; set; }
    public DateTime AddedAt { get; set; }
    public DateTime? ReleasedAt { get; set; }
    public string? ReleasedBy { get; set; }
    public string? ReleaseReason { get; set; }
}

internal sealed class LegalHoldConfiguration : IEntityTypeConfiguration<LegalHold>
{
    public void Configure(EntityTypeBuilder<LegalHold> e)
    {
        e.ToTable("LegalHolds");
        e.Property(h => h.CaseNumber).HasMaxLength(64);
        e.Property(h => h.Reason).HasMaxLength(1000);
        e.Property(h => h.Scope).HasMaxLength(1000);
        e.Property(h => h.PlacedBy).HasMaxLength(256);
        e.Property(h => h.LiftedBy).HasMaxLength(256);
        e.Property(h => h.LiftReason).HasMaxLength(1000);
        e.Ignore(h => h.IsActive);
        e.HasIndex(h => h.LiftedAt);
        e.HasIndex(h => h.CaseNumber);
        e.HasMany(h => h.Items).WithOne().HasForeignKey(i => i.HoldId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class LegalHoldItemConfiguration : IEntityTypeConfiguration<LegalHoldItem>
{
    public void Configure(EntityTypeBuilder<LegalHoldItem> e)
    {
        e.ToTable("LegalHoldItems");
        e.HasKey(i => new { i.HoldId, i.RecordingId });
        e.Property(i => i.ReleasedBy).HasMaxLength(256);
        e.Property(i => i.ReleaseReason).HasMaxLength(1000);
        e.HasIndex(i => new { i.RecordingId, i.ReleasedAt });
    }
}
