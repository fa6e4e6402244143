using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NagrywanieRozmow.Features.Retention;

public enum DeletionState { Pending, Executed, Rejected, Withdrawn, Failed }

/// <summary>
/// A person's request to delete one recording. Without four eyes it is executed at once; with four eyes it waits for a
/// second person holding the deletion permission (never the requester). No foreign key: the request outlives the recording.
/// </summary>
public sealed class DeletionRequest
{
    public long Id { get; set; }
    public long RecordingId { get; set; }
    public required string Reason { get; set; }
    public required string RequestedBy { get; set; }
    public DateTime RequestedAt { get; set; }
    public DeletionState State { get; set; }
    public string? DecidedBy { get; set; }
    public DateTime? DecidedAt { get; set; }

    /// <summary>Why it was rejected, or what stopped its execution (e.g. a legal hold placed meanwhile).</summary>
    public string? DecisionNote { get; set; }
}

internal sealed class DeletionRequestConfiguration : IEntityTypeConfiguration<DeletionRequest>
{
    public void Configure(EntityTypeBuilder<DeletionRequest> e)
    {
        e.ToTable("DeletionRequests");
        e.Property(d => d.Reason).HasMaxLength(1000);
        e.Property(d => d.RequestedBy).HasMaxLength(256);
        e.Property(d => d.DecidedBy).HasMaxLength(256);
        e.Property(d => d.DecisionNote).HasMaxLength(1000);
        e.Property(d => d.State).HasConversion<string>().HasMaxLength(16);
        e.HasIndex(d => new { d.State, d.RequestedAt });
        e.HasIndex(d => d.RecordingId);
    }
}
