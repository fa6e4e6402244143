namespace NagrywanieRozmow.Shared.Storage;

/// <summary>
/// The folder store's archive: a second folder holding archived files under the same keys. A file is copied there beside
/// its final name, synced to disk and read back against the expected SHA-256 before it takes the name; the hot copy is
/// removed only afterwards, once the recording's row says "archive".
/// </summary>
public sealed class FileSystemArchive(FileSystemRecordingStore store) : IRecordingArchive
{
    public ArchiveKind Kind => ArchiveKind.Folder;

    public async Task<ArchiveCopy> CopyToArchiveAsync(string key, string? expectedSha256, CancellationToken ct)
    {
        var hot = store.PathOf(key);
        var archived = store.ArchivedPathOf(key)!;
        RemoveLeftovers(archived);
        if (File.Exists(archived))
        {
            // An earlier, stopped attempt got this far: its copy counts when it checks out.
            var expected = expectedSha256 ?? (File.Exists(hot) ? await ContentHash.OfFileAsync(hot, ct) : null);
            if (expected is null || await ContentHash.OfFileAsync(archived, ct) == expected) return ArchiveCopy.Copied;
            if (!File.Exists(hot)) return ArchiveCopy.HashMismatch; // the only copy: kept as it is, for a person to look at
            File.Delete(archived);
        }
        if (!File.Exists(hot)) return ArchiveCopy.Missing;
        var source = expectedSha256 ?? await ContentHash.OfFileAsync(hot, ct);
        Directory.CreateDirectory(Path.GetDirectoryName(archived)!);
        var temp = archived + ".partial-" + Guid.NewGuid().ToString("N");
        try
        {
            await using (var from = new FileStream(hot, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 256 * 1024, useAsync: true))
            await using (var to = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 256 * 1024, useAsync: true))
            {
                await from.CopyToAsync(to, ct);
                // On the archive's disk before the hot copy may go, not only in the page cache.
                to.Flush(flushToDisk: true);
            }
            if (await ContentHash.OfFileAsync(temp, ct) != source) return ArchiveCopy.HashMismatch;
            FileSystemRecordingStore.MoveWithoutReplacing(temp, archived);
            return ArchiveCopy.Copied;
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>
    /// Half-written copies of this key that a killed run left beside it (its moves are redone from their start). A second
    /// run copying the same key at this very moment would lose its copy and fail, to be retried; the job never runs twice at once.
    /// </summary>
    private static void RemoveLeftovers(string archived)
    {
        var folder = Path.GetDirectoryName(archived)!;
        if (!Directory.Exists(folder)) return;
        foreach (var partial in Directory.EnumerateFiles(folder, Path.GetFileName(archived) + ".partial-*")) File.Delete(partial);
    }

    public Task RemoveHotCopyAsync(string key, CancellationToken ct)
    {
        // Never the only copy: the archived one must be there.
        if (File.Exists(store.ArchivedPathOf(key)!) && store.PathOf(key) is var hot && File.Exists(hot)) File.Delete(hot);
        return Task.CompletedTask;
    }

    public Task<ArchivedFileState> StateAsync(string key, CancellationToken ct) =>
        Task.FromResult(File.Exists(store.ArchivedPathOf(key)!) || File.Exists(store.PathOf(key)) ? ArchivedFileState.Readable : ArchivedFileState.Missing);

    public Task StartRestoreAsync(string key, CancellationToken ct) => Task.CompletedTask;

    public Task ReturnToArchiveAsync(string key, CancellationToken ct) => Task.CompletedTask;
}
