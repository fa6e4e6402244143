using System.Security.Cryptography;
using NagrywanieRozmow.Shared.Storage;

namespace NagrywanieRozmow.Tests.Shared.Storage;

/// <summary>The folder store with an archive folder: a key is read, found and deleted wherever it lies, and never stored twice.</summary>
public sealed class FileSystemArchiveTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "nr-archive-" + Guid.NewGuid().ToString("N"));
    private readonly FileSystemRecordingStore store;
    private readonly IRecordingArchive archive;

    public FileSystemArchiveTests()
    {
        store = new FileSystemRecordingStore(Path.Combine(root, "hot"), Path.Combine(root, "archive"));
        archive = store.Archive!;
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    [Fact]
    public async Task An_archived_file_is_read_found_and_deleted_under_its_key_and_the_key_cannot_be_stored_again()
    {
        var audio = TestData.Wav(0.3);
        await store.SaveAsync("2026/01/02/a.wav", new MemoryStream(audio), CancellationToken.None);

        Assert.Equal(ArchiveCopy.Copied, await archive.CopyToArchiveAsync("2026/01/02/a.wav", Sha(audio), CancellationToken.None));
        await archive.RemoveHotCopyAsync("2026/01/02/a.wav", CancellationToken.None);

        Assert.False(File.Exists(Path.Combine(root, "hot", "2026/01/02/a.wav")));
        Assert.True(await store.ExistsAsync("2026/01/02/a.wav", CancellationToken.None));
        await using (var read = await store.OpenReadAsync("2026/01/02/a.wav", CancellationToken.None))
            Assert.Equal(Sha(audio), Convert.ToHexStringLower(await SHA256.HashDataAsync(read!)));
        await Assert.ThrowsAsync<IOException>(() => store.SaveAsync("2026/01/02/a.wav", new MemoryStream([1, 2, 3]), CancellationToken.None));

        await store.DeleteAsync("2026/01/02/a.wav", CancellationToken.None);
        Assert.False(await store.ExistsAsync("2026/01/02/a.wav", CancellationToken.None));
        Assert.Equal(ArchivedFileState.Missing, await archive.StateAsync("2026/01/02/a.wav", CancellationToken.None));
    }

    [Fact]
    public async Task A_copy_that_differs_from_the_hash_is_refused_and_the_hot_copy_is_never_removed_without_an_archived_one()
    {
        var audio = TestData.Wav(0.3);
        await store.SaveAsync("b.wav", new MemoryStream(audio), CancellationToken.None);

        Assert.Equal(ArchiveCopy.HashMismatch, await archive.CopyToArchiveAsync("b.wav", new string('0', 64), CancellationToken.None));
        await archive.RemoveHotCopyAsync("b.wav", CancellationToken.None);

        Assert.True(File.Exists(Path.Combine(root, "hot", "b.wav")));
        Assert.False(File.Exists(Path.Combine(root, "archive", "b.wav")));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(root, "archive"), "*", SearchOption.AllDirectories));
        Assert.Equal(ArchiveCopy.Missing, await archive.CopyToArchiveAsync("none.wav", null, CancellationToken.None));
    }

    [Fact]
    public async Task A_damaged_archived_copy_left_by_an_earlier_attempt_is_made_again_from_the_hot_one()
    {
        var audio = TestData.Wav(0.3);
        await store.SaveAsync("c.wav", new MemoryStream(audio), CancellationToken.None);
        Directory.CreateDirectory(Path.Combine(root, "archive"));
        await File.WriteAllBytesAsync(Path.Combine(root, "archive", "c.wav"), audio[..100]);
        await File.WriteAllBytesAsync(Path.Combine(root, "archive", "c.wav.partial-0123"), audio[..50]);

        Assert.Equal(ArchiveCopy.Copied, await archive.CopyToArchiveAsync("c.wav", Sha(audio), CancellationToken.None));

        Assert.Equal(Sha(audio), Sha(await File.ReadAllBytesAsync(Path.Combine(root, "archive", "c.wav"))));
        Assert.Equal(["c.wav"], Directory.EnumerateFiles(Path.Combine(root, "archive")).Select(Path.GetFileName));
    }
}
