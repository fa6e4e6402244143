using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NagrywanieRozmow.Features.Retention;

/// <summary>
/// A move to the archive that has begun and not finished: written before the first byte is copied, removed once the hot
/// copy is gone. While the recording's row still says "hot", the copy is (re)made and checked; once it says "archive",
/// only the hot copy's removal is left. So a run stopped anywhere is finished by the next one, whatever the policy says by then.
/// </summary>
public sealed class ArchiveMove
{
    public long RecordingId { get; set; }
    public DateTime StartedAt { get; set; }

    /// <summary>The original's key, so a copy made for a recording erased meanwhile can still be found and removed.</summary>
    public required string StorageKey { get; set; }

    /// <summary>The rule that sent it to the archive, as its audit entry names it.</summary>
    public required string Rule { get; set; }
}

internal sealed class ArchiveMoveConfiguration : IEntityTypeConfiguration<ArchiveMove>
{
    public void Configure(EntityTypeBuilder<ArchiveMove> e)
    {
        e.ToTable("ArchiveMoves");
        e.HasKey(m => m.RecordingId);
        e.Property(m => m.RecordingId).ValueGeneratedNever();
        e.Property(m => m.Rule).HasMaxLength(1000);
        e.Property(m => m.StorageKey).HasMaxLength(400);
    }
}
