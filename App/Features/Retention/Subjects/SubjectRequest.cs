using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NagrywanieRozmow.Features.Retention;

public enum SubjectRequestKind { Export, Erase }

/// <summary>
/// A data subject's request (RODO art. 15 / 17) as it was answered. The number itself is not kept, only its masked form
/// (e.g. "48 601 *** *67"); the receipt lists what was exported or erased, and what was kept and why.
/// </summary>
public sealed class SubjectRequest
{
    public long Id { get; set; }
    public SubjectRequestKind Kind { get; set; }
    public required string MaskedNumber { get; set; }

    /// <summary>The requester's own reference (letter, ticket), when given.</summary>
    public string? Reference { get; set; }
    public required string HandledBy { get; set; }
    public DateTime HandledAt { get; set; }

    /// <summary>The receipt as JSON: recordings erased or exported (id, call id, date, SHA-256) and kept (id, reason).</summary>
    public required string Receipt { get; set; }
}

internal sealed class SubjectRequestConfiguration : IEntityTypeConfiguration<SubjectRequest>
{
    public void Configure(EntityTypeBuilder<SubjectRequest> e)
    {
        e.ToTable("SubjectRequests");
        e.Property(s => s.Kind).HasConversion<string>().HasMaxLength(16);
        e.Property(s => s.MaskedNumber).HasMaxLength(64);
        e.Property(s => s.Reference).HasMaxLength(200);
        e.Property(s => s.HandledBy).HasMaxLength(256);
        e.HasIndex(s => s.HandledAt);
    }
}
