using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace NagrywanieRozmow.Shared.Storage;

/// <summary>
/// Azure Blob's archive: the same blob, moved in place to a cooler access tier (<c>Storage:ArchiveTier</c>). Its bytes are
/// read and checked against the expected SHA-256 before the tier changes (an Archive-tier blob cannot be read afterwards).
/// Cool and Cold blobs are read as they are; an Archive-tier blob is restored by rehydration to Cool (Standard priority,
/// up to 15 hours in Azure) and put back by <see cref="ReturnToArchiveAsync"/>.
/// <para>
/// Azurite (the tests' emulator, 3.35) accepts every tier, refuses to read an Archive-tier blob (409 BlobArchived) and answers
/// a rehydration with 202, but changes the tier at once: it never reports <c>rehydrate-pending-to-cool</c>. The hours in
/// between are therefore tested with a fake archive; the polling of a blob's properties runs against Azurite.
/// </para>
/// </summary>
public sealed class AzureBlobArchive(BlobContainerClient container, ArchiveTier tier) : IRecordingArchive
{
    public ArchiveKind Kind => tier switch
    {
        ArchiveTier.Cool => ArchiveKind.Cool,
        ArchiveTier.Cold => ArchiveKind.Cold,
        _ => ArchiveKind.Archive,
    };

    private AccessTier Target => tier switch
    {
        ArchiveTier.Cool => AccessTier.Cool,
        ArchiveTier.Cold => AccessTier.Cold,
        _ => AccessTier.Archive,
    };

    public async Task<ArchiveCopy> CopyToArchiveAsync(string key, string? expectedSha256, CancellationToken ct)
    {
        var blob = container.GetBlobClient(StorageKeys.Validate(key));
        BlobProperties properties;
        try
        {
            properties = (await blob.GetPropertiesAsync(cancellationToken: ct)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return ArchiveCopy.Missing;
        }
        // Already moved by an earlier, stopped attempt, which checked the bytes before the move.
        if (properties.AccessTier == Target || properties.AccessTier == AccessTier.Archive) return ArchiveCopy.Copied;
        if (expectedSha256 is not null)
        {
            await using var content = await blob.OpenReadAsync(new BlobOpenReadOptions(allowModifications: false) { BufferSize = 4 * 1024 * 1024 }, ct);
            if (await ContentHash.OfAsync(content, ct) != expectedSha256) return ArchiveCopy.HashMismatch;
        }
        await blob.SetAccessTierAsync(Target, cancellationToken: ct);
        return ArchiveCopy.Copied;
    }

    public Task RemoveHotCopyAsync(string key, CancellationToken ct) => Task.CompletedTask;

    public async Task<ArchivedFileState> StateAsync(string key, CancellationToken ct)
    {
        try
        {
            var properties = (await container.GetBlobClient(StorageKeys.Validate(key)).GetPropertiesAsync(cancellationToken: ct)).Value;
            if (properties.ArchiveStatus?.StartsWith("rehydrate-pending", StringComparison.OrdinalIgnoreCase) == true) return ArchivedFileState.Rehydrating;
            return properties.AccessTier == AccessTier.Archive ? ArchivedFileState.Offline : ArchivedFileState.Readable;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return ArchivedFileState.Missing;
        }
    }

    public async Task StartRestoreAsync(string key, CancellationToken ct)
    {
        if (await StateAsync(key, ct) != ArchivedFileState.Offline) return;
        await container.GetBlobClient(StorageKeys.Validate(key)).SetAccessTierAsync(AccessTier.Cool, rehydratePriority: RehydratePriority.Standard, cancellationToken: ct);
    }

    public async Task ReturnToArchiveAsync(string key, CancellationToken ct)
    {
        if (await StateAsync(key, ct) != ArchivedFileState.Readable) return;
        await container.GetBlobClient(StorageKeys.Validate(key)).SetAccessTierAsync(Target, cancellationToken: ct);
    }
}
