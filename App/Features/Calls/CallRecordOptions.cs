using System.ComponentModel.DataAnnotations;

namespace NagrywanieRozmow.Features.Calls;

/// <summary>The call history's settings; they live in the <c>Retention</c> section beside the recordings' own.</summary>
public sealed class CallRecordOptions
{
    public const string Section = "Retention";

    /// <summary>Retention:CallRecordDays: CDR rows and calls older than this are deleted by the retention purge.</summary>
    [Range(1, 36500, ErrorMessage = "Retention:CallRecordDays must be a number of days from 1 to 36500.")]
    public int CallRecordDays { get; set; } = 365;

    /// <summary>How long after a call ends its recording may still be on its way (settling, the sweep, conversion): "pending" meanwhile.</summary>
    [Range(0, 1440, ErrorMessage = "Retention:CallRecordingWaitMinutes must be from 0 to 1440.")]
    public int RecordingWaitMinutes { get; set; } = 15;
}
