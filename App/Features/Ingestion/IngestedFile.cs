using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NagrywanieRozmow.Features.Ingestion;

/// <summary>Discarded: an administrator deleted the quarantined file. Deferred: changed while being read, left for the next pass (never stored).</summary>
public enum IngestOutcome { Accepted, Duplicate, Rejected, Unanswered, Discarded, Deferred }

/// <summary>Why a file was turned away, in a word the Ingestion page shows in the reader's language (the reason adds the detail).</summary>
public enum RejectKind { Empty, HeaderOnly, Truncated, NotAudio, Unreadable, BadName, BadSidecar, TooLarge, Link, WrongContentType }

/// <summary>Every file the ingestion has decided on, so a later pass (or a restart) never takes it twice.</summary>
public sealed class IngestedFile
{
    /// <summary>Uploads have no path of their own: theirs is this prefix, the day, a unique id and the sent file name.</summary>
    public const string UploadPrefix = "upload/";

    public static bool IsUpload(string sourcePath) => sourcePath.StartsWith(UploadPrefix, StringComparison.Ordinal);

    public long Id { get; set; }
    public required string SourcePath { get; set; }
    public long SizeBytes { get; set; }
    public DateTime LastWriteUtc { get; set; }
    public IngestOutcome Outcome { get; set; }
    public string? Reason { get; set; }
    public RejectKind? Problem { get; set; }
    public string? QuarantinedAs { get; set; }
    public long? RecordingId { get; set; }
    public Recordings.Recording? Recording { get; set; }
    public DateTime ProcessedAt { get; set; }
}

internal sealed class IngestedFileConfiguration : IEntityTypeConfiguration<IngestedFile>
{
    public void Configure(EntityTypeBuilder<IngestedFile> e)
    {
        e.ToTable("IngestedFiles");
        e.Property(f => f.SourcePath).HasMaxLength(1000);
        e.Property(f => f.Reason).HasMaxLength(1000);
        e.Property(f => f.QuarantinedAs).HasMaxLength(1000);
        e.Property(f => f.Outcome).HasConversion<string>().HasMaxLength(16);
        e.Property(f => f.Problem).HasConversion<string>().HasMaxLength(24);
        e.HasIndex(f => f.SourcePath).IsUnique();
        e.HasIndex(f => new { f.Outcome, f.ProcessedAt });
        e.HasOne(f => f.Recording).WithMany().HasForeignKey(f => f.RecordingId).OnDelete(DeleteBehavior.SetNull);
    }
}
