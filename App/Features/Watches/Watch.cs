using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NagrywanieRozmow.Features.Access;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Features.Watches;

/// <summary>What a watch follows. <see cref="Restored"/> is no search: it carries the notices "your restore is ready" (see <see cref="RestoreNotices"/>).</summary>
public enum WatchKind { Number, Case, Extension, Restored }

/// <summary>
/// "Powiadom mnie": a saved search with one field set (a number fragment, a case, an extension). A recording matches when
/// the panel's search for that field would list it for the watcher as their account stands when the recording arrives.
/// A removed watch is kept (with <see cref="RemovedAt"/>) so its notifications still say what they were about.
/// </summary>
public sealed class Watch
{
    public long Id { get; set; }
    public required string UserId { get; set; }
    public WatchKind Kind { get; set; }

    /// <summary>As the person typed it in the search (the search normalises a number fragment itself).</summary>
    public required string Value { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? RemovedAt { get; set; }

    /// <summary>The search this watch stands for.</summary>
    public RecordingFilter Filter => Kind switch
    {
        WatchKind.Number => new RecordingFilter { Number = Value },
        WatchKind.Case => new RecordingFilter { Case = Value },
        WatchKind.Restored => new RecordingFilter(),
        _ => new RecordingFilter { Extension = Value },
    };
}

internal sealed class WatchConfiguration : IEntityTypeConfiguration<Watch>
{
    public void Configure(EntityTypeBuilder<Watch> e)
    {
        e.ToTable("Watches");
        e.HasKey(w => w.Id);
        e.Property(w => w.UserId).HasMaxLength(450);
        e.Property(w => w.Kind).HasConversion<string>().HasMaxLength(16);
        e.Property(w => w.Value).HasMaxLength(100);
        e.Ignore(w => w.Filter);
        e.HasOne<AppUser>().WithMany().HasForeignKey(w => w.UserId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(w => new { w.UserId, w.RemovedAt });
        e.HasIndex(w => w.RemovedAt);
    }
}
