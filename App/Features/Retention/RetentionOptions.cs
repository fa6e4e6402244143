using System.ComponentModel.DataAnnotations;

namespace NagrywanieRozmow.Features.Retention;

public sealed class RetentionOptions : IValidatableObject
{
    /// <summary>The default a new install starts with, in days; 0 keeps recordings. The panel's saved policy takes over.</summary>
    [Range(0, 36500)] public int DefaultDays { get; set; } = 365;

    /// <summary>With <see cref="DefaultDays"/>, until the panel's policy is saved: days after which recordings move to the archive store (0: never).</summary>
    [Range(0, 36500)] public int DefaultArchiveDays { get; set; }

    /// <summary>When the daily archive job runs, as HH:mm in App:TimeZone.</summary>
    [Required, RegularExpression(@"^([01]\d|2[0-3]):[0-5]\d$", ErrorMessage = "Retention:ArchiveTime must be HH:mm, e.g. 03:30.")]
    public string ArchiveTime { get; set; } = "03:30";

    /// <summary>How long a recording restored from Azure's Archive tier stays playable before it goes back, in hours.</summary>
    [Range(1, 2160, ErrorMessage = "Retention:RestoredHours must be between 1 and 2160.")]
    public int RestoredHours { get; set; } = 48;

    /// <summary>When the daily purge runs, as HH:mm in App:TimeZone.</summary>
    [Required, RegularExpression(@"^([01]\d|2[0-3]):[0-5]\d$", ErrorMessage = "Retention:PurgeTime must be HH:mm, e.g. 02:30.")]
    public string PurgeTime { get; set; } = "02:30";

    /// <summary>Recordings deleted per transaction: small enough that the panel's own writes never wait long.</summary>
    [Range(1, 10000)] public int BatchSize { get; set; } = 500;

    /// <summary>Pause between batches, so searches and ingestion get the database in between.</summary>
    [Range(0, 10000)] public int BatchPauseMs { get; set; } = 20;

    /// <summary>Four eyes: a manual deletion waits until a second person with the deletion permission approves it.</summary>
    public bool FourEyes { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (DefaultArchiveDays > 0 && DefaultDays > 0 && DefaultArchiveDays >= DefaultDays)
            yield return new ValidationResult("Retention:DefaultArchiveDays must be less than Retention:DefaultDays (archive before deleting).",
                [nameof(DefaultArchiveDays)]);
    }
}
