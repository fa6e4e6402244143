using System.ComponentModel.DataAnnotations;

namespace NagrywanieRozmow.Shared.Storage;

/// <summary>Where audio files live. Keys are relative, forward-slash paths chosen by the app, never by a caller.</summary>
public interface IRecordingStore
{
    Task SaveAsync(string key, Stream content, CancellationToken ct);

    /// <summary>A seekable stream over the stored file, or null when the file is missing.</summary>
    Task<Stream?> OpenReadAsync(string key, CancellationToken ct);

    Task<bool> ExistsAsync(string key, CancellationToken ct);

    /// <summary>
    /// Which of these keys are stored, asked together: a page of the grid or a ZIP's recordings cost one round trip's wait on
    /// a remote store, not one per row.
    /// </summary>
    async Task<IReadOnlySet<string>> ExistingAsync(IEnumerable<string> keys, CancellationToken ct)
    {
        var found = new System.Collections.Concurrent.ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(keys.Distinct(StringComparer.Ordinal), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct },
            async (key, token) =>
            {
                if (await ExistsAsync(key, token)) found.TryAdd(key, 0);
            });
        return found.Keys.ToHashSet(StringComparer.Ordinal);
    }
    Task DeleteAsync(string key, CancellationToken ct);

    /// <summary>True when the store answers (for /health/ready).</summary>
    Task<bool> IsReadyAsync(CancellationToken ct);
}

public enum StorageProvider { FileSystem, AzureBlob }

public static class StorageErrors
{
    /// <summary>
    /// The disk (or the user's quota) is full: ENOSPC/EDQUOT on Linux, ERROR_DISK_FULL/ERROR_HANDLE_DISK_FULL on Windows.
    /// Nothing is wrong with the recording; it must wait, not be quarantined.
    /// </summary>
    public static bool IsFull(Exception e) =>
        e is IOException && (e.HResult is 28 or 122 || (e.HResult & 0xFFFF) is 0x70 or 0x27);
}

public sealed class StorageOptions
{
    public StorageProvider Provider { get; set; } = StorageProvider.FileSystem;

    /// <summary>Root of the file store; relative paths are taken from the app's content root.</summary>
    [Required] public string RootPath { get; set; } = "data/recordings";

    /// <summary>
    /// The folder store's archive (another disk or mount) that the retention policy moves old recordings to; unset, nothing is
    /// archived. Relative paths are taken from the app's content root.
    /// </summary>
    public string? ArchivePath { get; set; }

    /// <summary>Azure Blob's archive: the access tier archived blobs are moved to; unset, nothing is archived.</summary>
    public ArchiveTier? ArchiveTier { get; set; }
}

/// <summary>
/// Recordings as files under <c>Storage:RootPath</c>; with an archive folder (<c>Storage:ArchivePath</c>), archived files
/// lie there under the same key, and reads, checks and deletions look in both (see <see cref="FileSystemArchive"/>).
/// </summary>
public sealed class FileSystemRecordingStore : IRecordingStore
{
    private readonly string root;
    private readonly string? archiveRoot;

    public FileSystemRecordingStore(string rootPath, string? archivePath = null)
    {
        root = Path.GetFullPath(rootPath);
        Directory.CreateDirectory(root);
        if (archivePath is not null)
        {
            archiveRoot = Path.GetFullPath(archivePath);
            Directory.CreateDirectory(archiveRoot);
        }
    }

    /// <summary>The archive side of this store; null without an archive folder.</summary>
    public IRecordingArchive? Archive => archiveRoot is null ? null : new FileSystemArchive(this);

    public async Task SaveAsync(string key, Stream content, CancellationToken ct)
    {
        var path = PathOf(key);
        // An archived file keeps its key: a second file under it would be a second recording with one name.
        if (ArchivedPathOf(key) is { } archived && File.Exists(archived)) throw new IOException($"The file '{archived}' already exists.");
        await WriteNewAsync(path, content, ct);
    }

    /// <summary>Writes a file that must not exist yet, beside and then moved under its name.</summary>
    internal static async Task WriteNewAsync(string path, Stream content, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Write beside, then move: a reader never sees half a file, and a failed write leaves nothing behind.
        var temp = path + ".partial-" + Guid.NewGuid().ToString("N");
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await content.CopyToAsync(file, ct);
            }
            MoveWithoutReplacing(temp, path);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>
    /// Puts the finished file under its key only if the key is free, as one step. .NET's <c>File.Move(overwrite: false)</c>
    /// on Linux checks and then renames: two workers storing under one key could both "succeed", the second replacing the
    /// first's recording (seen 5 times in 2 000 races here). <c>link()</c> fails with EEXIST instead; Windows' move without
    /// replace is atomic already.
    /// </summary>
    internal static void MoveWithoutReplacing(string temp, string path)
    {
        if (OperatingSystem.IsWindows())
        {
            File.Move(temp, path, overwrite: false);
            return;
        }
        if (Link(temp, path) == 0) return; // the caller removes the temporary name
        var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
#pragma warning disable IDE1006 // the errno names of <errno.h>, not camelCase locals
        const int EEXIST = 17, EPERM = 1, EXDEV = 18, EMLINK = 31, ENOSYS = 38, EOPNOTSUPP = 95;
#pragma warning restore IDE1006
        if (errno is EPERM or EXDEV or EMLINK or ENOSYS or EOPNOTSUPP)
        {
            // A file system without hard links (some network shares): the plain move, with its small window.
            File.Move(temp, path, overwrite: false);
            return;
        }
        throw new IOException(errno == EEXIST ? $"The file '{path}' already exists." : $"Storing '{path}' failed (errno {errno}).", errno);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int Link(string existing, string created);

    public Task<Stream?> OpenReadAsync(string key, CancellationToken ct)
    {
        // The hot copy first: a file being archived is read from where it was until the move is complete.
        foreach (var path in PathsOf(key))
        {
            try
            {
                return Task.FromResult<Stream?>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 64 * 1024, useAsync: true));
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                // Not here (or moved a moment ago): the next place.
            }
        }
        return Task.FromResult<Stream?>(null);
    }

    public Task<bool> ExistsAsync(string key, CancellationToken ct) => Task.FromResult(PathsOf(key).Any(File.Exists));

    /// <summary>Deletes the file wherever it lies, hot or archived, so a purge or an erasure finds it in either.</summary>
    public Task DeleteAsync(string key, CancellationToken ct)
    {
        foreach (var path in PathsOf(key)) if (File.Exists(path)) File.Delete(path);
        return Task.CompletedTask;
    }

    public Task<bool> IsReadyAsync(CancellationToken ct) => Task.FromResult(Directory.Exists(root) && (archiveRoot is null || Directory.Exists(archiveRoot)));

    internal string PathOf(string key) => PathUnder(root, key);

    internal string? ArchivedPathOf(string key) => archiveRoot is null ? null : PathUnder(archiveRoot, key);

    private IEnumerable<string> PathsOf(string key)
    {
        yield return PathOf(key);
        if (ArchivedPathOf(key) is { } archived) yield return archived;
    }

    private static string PathUnder(string folder, string key)
    {
        var full = Path.GetFullPath(Path.Combine(folder, StorageKeys.Validate(key)));
        if (!full.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException($"Storage key '{key}' leaves the store.", nameof(key));
        return full;
    }
}

/// <summary>The one rule for keys, whichever store holds them: a key that one store refuses, every store refuses.</summary>
public static class StorageKeys
{
    /// <summary>Azure's limit for a blob name; far beyond any key the app makes.</summary>
    public const int MaxLength = 1024;

    /// <returns>The key, when it is a relative forward-slash path of plain segments.</returns>
    /// <exception cref="ArgumentException">Empty, too long, rooted, with a backslash or a control character, or with an empty, "." or ".." segment.</exception>
    public static string Validate(string key)
    {
        if (string.IsNullOrWhiteSpace(key) || key.Length > MaxLength || key.Contains('\\') || key.StartsWith('/') || key.Any(char.IsControl)
            || key.Split('/').Any(p => p is "" or "." or ".."))
            throw new ArgumentException($"Invalid storage key '{key}'.", nameof(key));
        return key;
    }
}

public static class StorageFeature
{
    public static IHostApplicationBuilder AddRecordingStore(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<StorageOptions>().BindConfiguration("Storage").ValidateDataAnnotations().ValidateOnStart();
        StorageOptions options;
        try
        {
            options = builder.Configuration.GetSection("Storage").Get<StorageOptions>() ?? new StorageOptions();
        }
        catch (InvalidOperationException e) when (builder.Configuration["Storage:ArchiveTier"] is { Length: > 0 } tier && !Enum.TryParse<ArchiveTier>(tier, true, out _))
        {
            throw new InvalidOperationException($"Storage:ArchiveTier '{tier}' is not known; use {string.Join(", ", Enum.GetNames<ArchiveTier>())}.", e);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException(
                $"Storage:Provider '{builder.Configuration["Storage:Provider"]}' is not known; use {string.Join(" or ", Enum.GetNames<StorageProvider>())}.", e);
        }
        string FromContentRoot(string path) => Path.IsPathRooted(path) ? path : Path.Combine(builder.Environment.ContentRootPath, path);
        var root = FromContentRoot(options.RootPath);
        var archivePath = string.IsNullOrWhiteSpace(options.ArchivePath) ? null : FromContentRoot(options.ArchivePath);
        if (ArchiveSettings.Problems(options, root, archivePath) is { Count: > 0 } wrong) throw new InvalidOperationException(string.Join(" ", wrong));
        switch (options.Provider)
        {
            case StorageProvider.FileSystem:
                FileSystemRecordingStore files;
                try
                {
                    files = new FileSystemRecordingStore(root, archivePath);
                }
                catch (Exception e) when (archivePath is not null && e is IOException or UnauthorizedAccessException)
                {
                    throw new InvalidOperationException($"Storage:ArchivePath: the folder '{archivePath}' cannot be created or used: {e.Message}", e);
                }
                builder.Services.AddSingleton<IRecordingStore>(files);
                builder.Services.AddSingleton<IRecordingArchive>(files.Archive ?? new NoRecordingArchive());
                break;
            case StorageProvider.AzureBlob:
                var blob = builder.Configuration.GetSection(AzureBlobStorageOptions.Section).Get<AzureBlobStorageOptions>() ?? new AzureBlobStorageOptions();
                var problems = new List<ValidationResult>();
                if (!Validator.TryValidateObject(blob, new ValidationContext(blob), problems, validateAllProperties: true))
                    throw new InvalidOperationException(string.Join(" ", problems.Select(p => p.ErrorMessage)));
                // Built now, so a connection string that cannot be parsed stops the app here with the key's name.
                var store = AzureBlobRecordingStore.Create(blob, archiveTier: options.ArchiveTier);
                builder.Services.AddSingleton<IRecordingStore>(store);
                builder.Services.AddSingleton<IRecordingArchive>(store.Archive ?? new NoRecordingArchive());
                builder.Services.AddHostedService(_ => store);
                break;
            default:
                throw new InvalidOperationException($"Storage:Provider '{options.Provider}' is not known; use FileSystem or AzureBlob.");
        }
        return builder;
    }
}
