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

    /// <summary>Zone of the times in file names (Asterisk writes local time).</summary>
    [Required] public string PbxTimeZone { get; set; } = "Europe/Warsaw";

    /// <summary>
    /// Zone of the times in Master.csv when it differs from the file names': <c>UTC</c> for a PBX with <c>usegmtime=yes</c> in
    /// cdr.conf. Empty: <see cref="PbxTimeZone"/>. Rows are linked by uniqueid or linkedid, never by time; this only places them.
    /// </summary>
    public string? CdrTimeZone { get; set; }

    public const int DefaultMaxExtensionDigits = 6;

    /// <summary>
    /// An all-digit number this long or shorter is an internal extension (besides every extension in the phone directory):
    /// how a call with no CDR row is told internal, incoming or outgoing from its numbers.
    /// </summary>
    [Range(1, 15)] public int MaxExtensionDigits { get; set; } = DefaultMaxExtensionDigits;

    /// <summary>Where rejected files are moved (never deleted). Every path here may be relative to the app's content root (App/).</summary>
    [Required] public string QuarantinePath { get; set; } = "data/quarantine";

    /// <summary>Where uploads are written while they are checked; relative to the app's content root.</summary>
    [Required] public string StagingPath { get; set; } = "data/incoming";

    [Range(1, 100_000)] public int MaxFileSizeMb { get; set; } = 2048;

    /// <summary>A file must be this many seconds old (unchanged) before it is taken: MixMonitor may still be writing it.</summary>
    [Range(0, 3600)] public int SettleSeconds { get; set; } = 2;
}
