namespace NagrywanieRozmow.Shared.Storage;

/// <summary>Where a recording's files live: the hot store, or the archive store that the retention policy moves them to.</summary>
public enum StorageTier { Hot = 0, Archive = 1 }

/// <summary>What the archive store is: none configured, a second folder, or a cooler Azure access tier.</summary>
public enum ArchiveKind { None, Folder, Cool, Cold, Archive }

/// <summary>The Azure access tier archived blobs are moved to (<c>Storage:ArchiveTier</c>).</summary>
public enum ArchiveTier { Cool, Cold, Archive }

/// <summary>How an archived file can be read at this moment.</summary>
public enum ArchivedFileState
{
    /// <summary>Neither store holds it.</summary>
    Missing,

    /// <summary>It can be read now (a folder, the Cool or Cold tier, or a blob restored from the Archive tier).</summary>
    Readable,

    /// <summary>In Azure's Archive tier: offline until a restore (rehydration) brings it back.</summary>
    Offline,

    /// <summary>A restore is under way (Azure takes up to 15 hours).</summary>
    Rehydrating,
}

/// <summary>What moving one file to the archive found.</summary>
public enum ArchiveCopy
{
    /// <summary>The archive holds it with the expected content (now, or already from an earlier, stopped attempt).</summary>
    Copied,

    /// <summary>The file is in neither store.</summary>
    Missing,

    /// <summary>The bytes read differ from the expected SHA-256: nothing was moved, the hot copy stays.</summary>
    HashMismatch,
}

/// <summary>
/// The archive side of the recording store. Readers need not know about it: <see cref="IRecordingStore"/> reads, checks and
/// deletes a key wherever it lies. Moving is in two steps so that a stop anywhere loses nothing: the file is copied and its
/// copy checked (<see cref="CopyToArchiveAsync"/>); only after the recording's row says "archive" is the hot copy removed
/// (<see cref="RemoveHotCopyAsync"/>).
/// </summary>
public interface IRecordingArchive
{
    ArchiveKind Kind { get; }

    /// <summary>True when an archived file must be restored (rehydrated) before it can be read: Azure's Archive tier.</summary>
    bool NeedsRestore => Kind == ArchiveKind.Archive;

    /// <summary>
    /// Puts the file into the archive and checks the archived bytes: against <paramref name="expectedSha256"/>, or, when it is
    /// null (a rendition, whose hash is not recorded), against the hot original. Safe to repeat.
    /// </summary>
    Task<ArchiveCopy> CopyToArchiveAsync(string key, string? expectedSha256, CancellationToken ct);

    /// <summary>Removes the hot copy of a file the archive holds (a folder store); nothing for a blob tier, which moves in place.</summary>
    Task RemoveHotCopyAsync(string key, CancellationToken ct);

    Task<ArchivedFileState> StateAsync(string key, CancellationToken ct);

    /// <summary>Asks for an archived file to be made readable (Azure: rehydration to the Cool tier); nothing where it is readable.</summary>
    Task StartRestoreAsync(string key, CancellationToken ct);

    /// <summary>Puts a restored file back into the archive tier.</summary>
    Task ReturnToArchiveAsync(string key, CancellationToken ct);
}

/// <summary>No archive configured: nothing is ever archived.</summary>
public sealed class NoRecordingArchive : IRecordingArchive
{
    public ArchiveKind Kind => ArchiveKind.None;
    public Task<ArchiveCopy> CopyToArchiveAsync(string key, string? expectedSha256, CancellationToken ct) =>
        throw new InvalidOperationException("No archive store is configured (Storage:ArchivePath or Storage:ArchiveTier).");
    public Task RemoveHotCopyAsync(string key, CancellationToken ct) => Task.CompletedTask;
    public Task<ArchivedFileState> StateAsync(string key, CancellationToken ct) => Task.FromResult(ArchivedFileState.Readable);
    public Task StartRestoreAsync(string key, CancellationToken ct) => Task.CompletedTask;
    public Task ReturnToArchiveAsync(string key, CancellationToken ct) => Task.CompletedTask;
}

/// <summary>The archive settings of <c>Storage:*</c>, checked at start with the key they concern.</summary>
public static class ArchiveSettings
{
    /// <returns>The problems, each naming its key; empty when the settings can be used.</returns>
    public static IReadOnlyList<string> Problems(StorageOptions options, string rootPath, string? archivePath)
    {
        var problems = new List<string>();
        if (options.Provider == StorageProvider.FileSystem && options.ArchiveTier is not null)
            problems.Add("Storage:ArchiveTier applies to Storage:Provider AzureBlob; the folder store archives to Storage:ArchivePath.");
        if (options.Provider == StorageProvider.AzureBlob && !string.IsNullOrWhiteSpace(options.ArchivePath))
            problems.Add("Storage:ArchivePath applies to Storage:Provider FileSystem; Azure Blob archives to a cooler tier (Storage:ArchiveTier).");
        if (archivePath is not null)
        {
            var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(rootPath));
            var archive = Path.TrimEndingDirectorySeparator(Path.GetFullPath(archivePath));
            if (string.Equals(root, archive, StringComparison.Ordinal) || archive.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                || root.StartsWith(archive + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                problems.Add($"Storage:ArchivePath ({archive}) must be a folder apart from Storage:RootPath ({root}), neither inside the other.");
        }
        return problems;
    }
}
