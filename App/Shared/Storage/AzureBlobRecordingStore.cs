using System.Buffers;
using System.ComponentModel.DataAnnotations;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace NagrywanieRozmow.Shared.Storage;

/// <summary><c>Storage:AzureBlob:*</c>, read when <c>Storage:Provider</c> is <c>AzureBlob</c>.</summary>
public sealed class AzureBlobStorageOptions
{
    public const string Section = "Storage:AzureBlob";

    [Required(ErrorMessage = "Storage:AzureBlob:ConnectionString is required when Storage:Provider is AzureBlob " +
        "(the storage account's connection string, or UseDevelopmentStorage=true for a local Azurite).")]
    public string? ConnectionString { get; set; }

    /// <summary>Created at start when missing.</summary>
    [Required(ErrorMessage = "Storage:AzureBlob:Container must name a container.")]
    [RegularExpression("^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$",
        ErrorMessage = "Storage:AzureBlob:Container must be 3-63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit (Azure's container naming rules).")]
    public string Container { get; set; } = "recordings";

    /// <summary>How much one ranged read fetches: small enough that a seek answers fast, large enough that a download is not a storm of requests.</summary>
    [Range(64, 16384, ErrorMessage = "Storage:AzureBlob:ReadChunkKb must be between 64 and 16384.")]
    public int ReadChunkKb { get; set; } = 1024;
}

/// <summary>
/// Recordings as block blobs in one container (<c>Storage:AzureBlob:*</c>), for installations where several app instances
/// share the audio.
/// <para>
/// Audio is streamed through the app rather than handed out as SAS URLs on purpose: every listening and download must be
/// checked against the caller's access at that very moment (a revoked role, a disabled account, a team change, a legal
/// erasure) and written into the audit log. A SAS URL is a bearer token that keeps working until it expires, can be
/// forwarded to anyone, and its use never reaches our audit chain, so it would bypass both.
/// </para>
/// <para>
/// Reads are seekable streams that fetch <see cref="AzureBlobStorageOptions.ReadChunkKb"/> at a time with HTTP range
/// requests, so the audio endpoint's range processing (a seek in a 60-minute file) costs one small request and nothing is
/// held in memory whole. Writes are staged blocks committed at the end with <c>If-None-Match: *</c>: a reader never sees
/// half a blob, a failed upload leaves nothing visible, and an existing key is never overwritten (an
/// <see cref="IOException"/>, as the file store's refusing move gives; the ingestion relies on it to notice another worker).
/// </para>
/// </summary>
public sealed class AzureBlobRecordingStore : IRecordingStore, IHostedService
{
    /// <summary>
    /// The newest REST version that the Azurite the tests run (tools/azurite) accepts; the SDK's own default is newer.
    /// Pinned rather than skipping Azurite's version check, so production sends exactly what the tests verified.
    /// Raise it together with Azurite.
    /// </summary>
    public const BlobClientOptions.ServiceVersion ServiceVersion = BlobClientOptions.ServiceVersion.V2025_11_05;

    private const int BlockSize = 4 * 1024 * 1024;
    private readonly BlobContainerClient container;
    private readonly int readChunk;
    private volatile bool containerExists;

    public AzureBlobRecordingStore(BlobContainerClient container, int readChunkBytes, ArchiveTier? archiveTier = null)
    {
        this.container = container;
        readChunk = readChunkBytes;
        Archive = archiveTier is { } tier ? new AzureBlobArchive(container, tier) : null;
    }

    /// <summary>The archive side of this store (a cooler access tier of the same blobs); null without <c>Storage:ArchiveTier</c>.</summary>
    public IRecordingArchive? Archive { get; }

    /// <summary>The store for these options; <paramref name="clientOptions"/> lets tests watch the requests.</summary>
    /// <exception cref="InvalidOperationException">The connection string cannot be used.</exception>
    public static AzureBlobRecordingStore Create(AzureBlobStorageOptions options, BlobClientOptions? clientOptions = null, ArchiveTier? archiveTier = null)
    {
        BlobServiceClient service;
        try
        {
            service = new BlobServiceClient(options.ConnectionString, clientOptions ?? ClientOptions());
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            // The message names the key, never the connection string itself (it holds the account key).
            throw new InvalidOperationException($"Storage:AzureBlob:ConnectionString is not a usable Azure Storage connection string: {e.Message}", e);
        }
        return new AzureBlobRecordingStore(service.GetBlobContainerClient(options.Container), options.ReadChunkKb * 1024, archiveTier);
    }

    public static BlobClientOptions ClientOptions()
    {
        var options = new BlobClientOptions(ServiceVersion);
        options.Retry.MaxRetries = 3;
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        return options;
    }

    async Task IHostedService.StartAsync(CancellationToken ct)
    {
        try
        {
            await EnsureContainerAsync(ct);
        }
        catch (Exception e) when (e is RequestFailedException or AggregateException or IOException or TimeoutException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            throw new InvalidOperationException(
                $"Storage:AzureBlob: the container '{container.Name}' at {container.Uri.GetLeftPart(UriPartial.Path)} could not be reached or created: {e.Message}", e);
        }
    }

    Task IHostedService.StopAsync(CancellationToken ct) => Task.CompletedTask;

    /// <remarks>
    /// Staged one block at a time from one pooled buffer (memory stays at one block, whether or not the source can seek),
    /// then committed. Even a small file is staged, never sent as one Put Blob: a failed save's uncommitted blocks stay
    /// invisible (the service drops them after a week) and must not block the key, and Azurite refuses a conditional
    /// Put Blob over such leftovers where the commit of a block list is accepted.
    /// </remarks>
    public async Task SaveAsync(string key, Stream content, CancellationToken ct)
    {
        var blob = container.GetBlockBlobClient(StorageKeys.Validate(key));
        await EnsureContainerAsync(ct);
        var blocks = new List<string>();
        var buffer = ArrayPool<byte>.Shared.Rent(BlockSize);
        try
        {
            int filled;
            do
            {
                filled = await content.ReadAtLeastAsync(buffer.AsMemory(0, BlockSize), BlockSize, throwOnEndOfStream: false, ct);
                if (filled == 0) break;
                var id = Convert.ToBase64String(Guid.NewGuid().ToByteArray());
                await blob.StageBlockAsync(id, new MemoryStream(buffer, 0, filled, writable: false), cancellationToken: ct);
                blocks.Add(id);
            }
            while (filled == BlockSize);
            await blob.CommitBlockListAsync(blocks, new CommitBlockListOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, ct);
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.BlobAlreadyExists || e.ErrorCode == BlobErrorCode.ConditionNotMet)
        {
            throw new IOException($"The store already holds '{key}'; it is not overwritten.", e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async Task<Stream?> OpenReadAsync(string key, CancellationToken ct)
    {
        var blob = container.GetBlobClient(StorageKeys.Validate(key));
        try
        {
            // allowModifications: false pins the blob's ETag: a blob replaced mid-read fails the read instead of mixing two files.
            return await blob.OpenReadAsync(new BlobOpenReadOptions(allowModifications: false) { BufferSize = readChunk }, ct);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task<bool> ExistsAsync(string key, CancellationToken ct)
    {
        var blob = container.GetBlobClient(StorageKeys.Validate(key));
        try
        {
            return (await blob.ExistsAsync(ct)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }

    public async Task DeleteAsync(string key, CancellationToken ct)
    {
        var blob = container.GetBlobClient(StorageKeys.Validate(key));
        try
        {
            await blob.DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: ct);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // The container itself is gone: so is the blob.
        }
    }

    /// <summary>The container answers within 5 s.</summary>
    public async Task<bool> IsReadyAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            return (await container.ExistsAsync(timeout.Token)).Value;
        }
        catch (Exception e) when (e is RequestFailedException or AggregateException or IOException || e is OperationCanceledException && !ct.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>At start, and before the first save of a command-line verb (which does not start the host's services).</summary>
    private async Task EnsureContainerAsync(CancellationToken ct)
    {
        if (containerExists) return;
        await container.CreateIfNotExistsAsync(cancellationToken: ct);
        containerExists = true;
    }
}
