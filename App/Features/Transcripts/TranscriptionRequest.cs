using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NagrywanieRozmow.Features.Transcripts;

public enum TranscriptionState { Pending, Done, Failed }

/// <summary>
/// A recording to transcribe, kept until done: its job may be lost with an in-memory queue (SQLite) or a crash, and the
/// sweep queues it again. Deleted with the recording (cascade). The ingestion page counts these for progress.
/// </summary>
public sealed class TranscriptionRequest
{
    public long RecordingId { get; set; }
    public TranscriptionState State { get; set; }
    public int Attempts { get; set; }
    public string? Error { get; set; }

    /// <summary>"rule" when the settings covered the call on arrival; else the person who asked.</summary>
    public required string RequestedBy { get; set; }
    public DateTime RequestedAt { get; set; }
    public DateTime? CompletedAt { get; set; }

    /// <summary>An attempt in progress holds the request until then, so the sweep does not start a second one.</summary>
    public DateTime? ClaimedUntil { get; set; }
}

internal sealed class TranscriptionRequestConfiguration : IEntityTypeConfiguration<TranscriptionRequest>
{
    public void Configure(EntityTypeBuilder<TranscriptionRequest> e)
    {
        e.ToTable("TranscriptionRequests");
        e.HasKey(r => r.RecordingId);
        e.Property(r => r.RecordingId).ValueGeneratedNever();
        e.Property(r => r.State).HasConversion<string>().HasMaxLength(16);
        e.Property(r => r.Error).HasMaxLength(2000);
        e.Property(r => r.RequestedBy).HasMaxLength(256);
        e.HasOne<Recordings.Recording>().WithOne().HasForeignKey<TranscriptionRequest>(r => r.RecordingId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(r => new { r.State, r.RequestedAt });
    }
}
