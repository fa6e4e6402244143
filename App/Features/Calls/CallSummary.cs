using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Features.Calls;

/// <summary>How a call ended, as CONTRACTS.md names it: a person answered, nobody did, the line was busy, or it failed.</summary>
public enum CallDisposition { Answered, NoAnswer, Busy, Failed }

/// <summary>Why a call has no recording (CONTRACTS.md names); null when it has one.</summary>
public enum NoRecordingReason { NotAnswered, NotRecorded, Quarantined, DeletedByRetention, Erased, Pending }

/// <summary>
/// One call of the call history: the CDR rows sharing a linkedid folded into one row (<see cref="CallBuilder"/>), kept as the
/// rows arrive (<see cref="CallSummaries"/>) so the history is searched like the recordings, by index, not by grouping
/// millions of CDR rows per query. It outlives its recording (and the recording's CDR row): the call record has its own
/// retention, <c>Retention:CallRecordDays</c>.
/// </summary>
public sealed class CallSummary
{
    public long Id { get; set; }
    public required string LinkedId { get; set; }
    public DateTime StartedAt { get; set; }
    public required string CallerNumber { get; set; }
    public required string CallerDigits { get; set; }
    public required string CalleeNumber { get; set; }
    public required string CalleeDigits { get; set; }

    /// <summary>The number the caller dialled, for calls that came in from a trunk.</summary>
    public string? Did { get; set; }

    /// <summary>The phone that answered (an incoming call), or that called (an outgoing one); null when nobody answered.</summary>
    public string? Extension { get; set; }
    public string? UserName { get; set; }
    public string? Team { get; set; }
    public string? Queue { get; set; }
    public CallType Type { get; set; }
    public CallDisposition Disposition { get; set; }
    public int RingSeconds { get; set; }
    public int TalkSeconds { get; set; }
    public int Legs { get; set; }

    /// <summary>A recording of the call exists (kept by <see cref="CallRecordingFlags"/>): "with / without a recording" by index.</summary>
    public bool HasRecording { get; set; }

    /// <summary>A data-subject erasure masked the person's number here (the call is still counted, but no longer names them).</summary>
    public bool Erased { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>How far the CDR has been folded into calls: the highest CDR row id taken.</summary>
public sealed class CallSummaryCursor
{
    public int Id { get; set; }
    public long LastCdrId { get; set; }
    public DateTime UpdatedAt { get; set; }
}

internal sealed class CallSummaryConfiguration : IEntityTypeConfiguration<CallSummary>, IEntityTypeConfiguration<CallSummaryCursor>
{
    public void Configure(EntityTypeBuilder<CallSummary> e)
    {
        e.ToTable("Calls");
        e.Property(c => c.LinkedId).HasMaxLength(100);
        e.Property(c => c.CallerNumber).HasMaxLength(80);
        e.Property(c => c.CallerDigits).HasMaxLength(40);
        e.Property(c => c.CalleeNumber).HasMaxLength(80);
        e.Property(c => c.CalleeDigits).HasMaxLength(40);
        e.Property(c => c.Did).HasMaxLength(80);
        e.Property(c => c.Extension).HasMaxLength(40);
        e.Property(c => c.UserName).HasMaxLength(200);
        e.Property(c => c.Team).HasMaxLength(100);
        e.Property(c => c.Queue).HasMaxLength(80);
        e.HasIndex(c => c.LinkedId).IsUnique();
        // As the recordings: each index matches a filter or a sort, Id last for keyset paging; the date order carries the
        // digits so a common number fragment's page is found in the index alone.
        e.HasIndex(c => new { c.StartedAt, c.Id, c.CallerDigits, c.CalleeDigits });
        e.HasIndex(c => new { c.Disposition, c.StartedAt, c.Id });
        e.HasIndex(c => new { c.Extension, c.StartedAt, c.Id });
        e.HasIndex(c => new { c.Team, c.StartedAt, c.Id });
        e.HasIndex(c => new { c.Type, c.StartedAt, c.Id });
        e.HasIndex(c => new { c.Did, c.StartedAt, c.Id });
        e.HasIndex(c => new { c.Queue, c.StartedAt, c.Id });
        // The talk order carries the digits too, so a number fragment's first page by talk time is walked in the index alone.
        e.HasIndex(c => new { c.TalkSeconds, c.Id, c.CallerDigits, c.CalleeDigits });
        e.HasIndex(c => new { c.RingSeconds, c.Id });
        e.HasIndex(c => new { c.HasRecording, c.StartedAt, c.Id });
        e.HasIndex(c => new { c.HasRecording, c.TalkSeconds, c.Id });
        e.HasIndex(c => new { c.CallerDigits, c.Id });
        e.HasIndex(c => new { c.CalleeDigits, c.Id });
    }

    public void Configure(EntityTypeBuilder<CallSummaryCursor> e)
    {
        e.ToTable("CallSummaryCursor");
        e.Property(c => c.Id).ValueGeneratedNever();
    }
}
