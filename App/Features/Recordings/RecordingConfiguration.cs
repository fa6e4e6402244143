using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NagrywanieRozmow.Features.Recordings;

internal sealed class RecordingConfiguration : IEntityTypeConfiguration<Recording>
{
    public void Configure(EntityTypeBuilder<Recording> e)
    {
        e.ToTable("Recordings");
        e.HasKey(r => r.Id);
        e.Property(r => r.CallId).HasMaxLength(100);
        e.Property(r => r.LinkedId).HasMaxLength(100);
        e.Property(r => r.CallerNumber).HasMaxLength(80);
        e.Property(r => r.CallerDigits).HasMaxLength(40);
        e.Property(r => r.CalleeNumber).HasMaxLength(80);
        e.Property(r => r.CalleeDigits).HasMaxLength(40);
        e.Property(r => r.Did).HasMaxLength(80);
        e.Property(r => r.Extension).HasMaxLength(40);
        e.Property(r => r.UserName).HasMaxLength(200);
        e.Property(r => r.Team).HasMaxLength(100);
        e.Property(r => r.Queue).HasMaxLength(40);
        e.Property(r => r.Disposition).HasMaxLength(32);
        e.Property(r => r.Format).HasMaxLength(16);
        e.Property(r => r.Codec).HasMaxLength(32);
        e.Property(r => r.Sha256).HasMaxLength(64).IsFixedLength();
        e.Property(r => r.StorageKey).HasMaxLength(400);
        e.Property(r => r.OriginalFileName).HasMaxLength(260);

        // Each index matches a filter or a sort of the panel; Id last makes keyset paging a seek.
        // The date and duration orders carry the digits, so a number fragment's window reads the index alone (a 20 000-row
        // window by duration at 1M: 109 ms fetching rows, 5 ms from the index).
        e.HasIndex(r => new { r.StartedAt, r.Id, r.CallerDigits, r.CalleeDigits });
        e.HasIndex(r => new { r.Extension, r.StartedAt, r.Id });
        e.HasIndex(r => new { r.DurationMs, r.Id, r.CallerDigits, r.CalleeDigits });
        e.HasIndex(r => new { r.SizeBytes, r.Id });
        // The archive job's walk: hot recordings oldest first.
        e.HasIndex(r => new { r.Tier, r.StartedAt, r.Id });
        e.HasIndex(r => new { r.CallerDigits, r.Id });
        e.HasIndex(r => new { r.CalleeDigits, r.Id });
        e.HasIndex(r => new { r.Team, r.StartedAt, r.Id });
        e.HasIndex(r => new { r.Did, r.StartedAt, r.Id });
        // Covers "type + length" filters, so their capped count reads the index alone (1M rows: 298 ms → 14 ms).
        e.HasIndex(r => new { r.Type, r.DurationMs });
        // "Type …, newest first" walks this in order instead of sorting every call of the type (1M rows: 209 ms → ms).
        e.HasIndex(r => new { r.Type, r.StartedAt, r.Id });
        // The same call with the same content can exist once: two ingestion passes racing each other cannot double it.
        e.HasIndex(r => new { r.CallId, r.Sha256 }).IsUnique();
        e.HasIndex(r => r.LinkedId);
        e.HasIndex(r => r.Sha256);

        e.HasMany(r => r.Cases).WithOne().HasForeignKey(c => c.RecordingId).OnDelete(DeleteBehavior.Cascade);
        e.HasMany(r => r.Tags).WithOne().HasForeignKey(t => t.RecordingId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class RecordingCaseConfiguration : IEntityTypeConfiguration<RecordingCase>
{
    public void Configure(EntityTypeBuilder<RecordingCase> e)
    {
        e.HasKey(c => new { c.RecordingId, c.CaseNumber });
        e.Property(c => c.CaseNumber).HasMaxLength(64);
        e.Property(c => c.AddedBy).HasMaxLength(256);
        e.HasIndex(c => c.CaseNumber);
    }
}

internal sealed class RecordingTagConfiguration : IEntityTypeConfiguration<RecordingTag>
{
    public void Configure(EntityTypeBuilder<RecordingTag> e)
    {
        e.HasKey(t => new { t.RecordingId, t.Tag });
        e.Property(t => t.Tag).HasMaxLength(64);
        e.HasIndex(t => t.Tag);
    }
}

internal sealed class DirectoryEntryConfiguration : IEntityTypeConfiguration<DirectoryEntry>
{
    public void Configure(EntityTypeBuilder<DirectoryEntry> e)
    {
        e.ToTable("Directory");
        e.HasKey(d => d.Extension);
        e.Property(d => d.Extension).HasMaxLength(40);
        e.Property(d => d.DisplayName).HasMaxLength(200);
        e.Property(d => d.Team).HasMaxLength(100);
    }
}

internal sealed class RecordingWaveformConfiguration : IEntityTypeConfiguration<RecordingWaveform>
{
    public void Configure(EntityTypeBuilder<RecordingWaveform> e)
    {
        e.ToTable("Waveforms");
        e.HasKey(w => w.RecordingId);
        e.HasOne<Recording>().WithOne().HasForeignKey<RecordingWaveform>(w => w.RecordingId).OnDelete(DeleteBehavior.Cascade);
    }
}
