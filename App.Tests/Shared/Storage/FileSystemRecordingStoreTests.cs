using NagrywanieRozmow.Shared.Storage;

namespace NagrywanieRozmow.Tests.Shared.Storage;

public sealed class FileSystemRecordingStoreTests : RecordingStoreContract
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "nr-tests", "store-" + Guid.NewGuid().ToString("N"));

    protected override Task<IRecordingStore> CreateStoreAsync() => Task.FromResult<IRecordingStore>(new FileSystemRecordingStore(root));

    public override Task DisposeAsync()
    {
        Directory.Delete(root, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_failed_save_leaves_no_partial_file_in_the_folder()
    {
        await Assert.ThrowsAsync<IOException>(() => Store.SaveAsync("2026/11/16/half.wav", new PatternStream(1_000_000, failAt: 300_000), CancellationToken.None));
        Assert.Empty(Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories));
    }
}
