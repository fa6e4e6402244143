using System.ComponentModel.DataAnnotations;

namespace NagrywanieRozmow.Features.Ingestion;

public sealed class IngestionOptions
{
    /// <summary>The watched FreePBX spool (…/monitor), laid out YYYY/MM/DD.</summary>
    public string? SpoolPath { get; set; }

    /// <summary>
    /// Watch the spool for new files (inotify). Off for a spool on NFS/SMB, where change events do not arrive: then the
    /// minute sweep of today's and yesterday's folders takes new files.
    /// </summary>
    public bool Watch { get; set; } = true;

    /// <summary>Asterisk's Master.csv.</summary>
    public string? CdrCsvPath { get; set; }

    /// <summary>Zone of the times in file names and the CDR (Asterisk writes local time).</summary>
    [Required] public string PbxTimeZone { get; set; } = "Europe/Warsaw";

    /// <summary>Where rejected files are moved (never deleted). Every path here may be relative to the app's content root (App/).</summary>
    [Required] public string QuarantinePath { get; set; } = "data/quarantine";

    /// <summary>Where uploads are written while they are checked; relative to the app's content root.</summary>
    [Required] public string StagingPath { get; set; } = "data/incoming";

    [Range(1, 100_000)] public int MaxFileSizeMb { get; set; } = 2048;

    /// <summary>A file must be this many seconds old (unchanged) before it is taken: MixMonitor may still be writing it.</summary>
    [Range(0, 3600)] public int SettleSeconds { get; set; } = 2;
}
