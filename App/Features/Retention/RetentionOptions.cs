using System.ComponentModel.DataAnnotations;

namespace NagrywanieRozmow.Features.Retention;

public sealed class RetentionOptions
{
    /// <summary>The default a new install starts with, in days; 0 keeps recordings. The panel's saved policy takes over.</summary>
    [Range(0, 36500)] public int DefaultDays { get; set; } = 365;

    /// <summary>When the daily purge runs, as HH:mm in App:TimeZone.</summary>
    [Required, RegularExpression(@"^([01]\d|2[0-3]):[0-5]\d$", ErrorMessage = "Retention:PurgeTime must be HH:mm, e.g. 02:30.")]
    public string PurgeTime { get; set; } = "02:30";

    /// <summary>Recordings deleted per transaction: small enough that the panel's own writes never wait long.</summary>
    [Range(1, 10000)] public int BatchSize { get; set; } = 500;

    /// <summary>Pause between batches, so searches and ingestion get the database in between.</summary>
    [Range(0, 10000)] public int BatchPauseMs { get; set; } = 20;

    /// <summary>Four eyes: a manual deletion waits until a second person with the deletion permission approves it.</summary>
    public bool FourEyes { get; set; }
}
