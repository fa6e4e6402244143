using System.Text.Json;
using System.Text.Json.Serialization;

namespace NagrywanieRozmow.Features.Backup;

/// <summary>
/// <c>manifest.json</c> of a backup folder: what was backed up, when, by which version, and every file's key, size and
/// SHA-256 (the database file's too). It is written last, so a folder without one is a backup that never finished.
/// </summary>
public sealed record BackupManifest
{
    public const int CurrentFormat = 1;
    public const string FileName = "manifest.json";
    public const string DatabaseFileName = "database.sqlite";

    /// <summary>Stored files sit under this folder at their storage key (<c>files/2026/11/16/in-….wav</c>).</summary>
    public const string FilesFolder = "files";

    public int Format { get; init; } = CurrentFormat;
    public required string AppVersion { get; init; }
    public DateTime CreatedAt { get; init; }
    public required string DatabaseProvider { get; init; }
    public required string StorageProvider { get; init; }
    public required BackupDatabaseFile Database { get; init; }
    public required BackupCounts Counts { get; init; }
    public required IReadOnlyList<BackupFile> Files { get; init; }

    /// <summary>Rows seeded with <c>seed-demo --audio none</c>: a placeholder hash and, by design, no file.</summary>
    public IReadOnlyList<long> MetadataOnlyRecordings { get; init; } = [];

    /// <summary>Why the backup is incomplete (a row whose file was missing or different); restore refuses it when not empty.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };
}

/// <param name="LastMigration">The schema the database had, so a restore by an older app version can refuse it.</param>
public sealed record BackupDatabaseFile(string File, long SizeBytes, string Sha256, string? LastMigration, long AuditEntries);

public sealed record BackupCounts(int Recordings, int Originals, int Renditions, int MetadataOnly, long FileBytes);

public enum BackupFileKind { Original, Rendition }

public sealed record BackupFile(string Key, long RecordingId, BackupFileKind Kind, long SizeBytes, string Sha256);
