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

    [Fact]
    public async Task Two_saves_racing_for_one_key_never_both_succeed_and_the_winners_file_stays()
    {
        // The race BatchIngestTests met now and then: two workers storing different recordings under the same name.
        for (var round = 0; round < 2000; round++)
        {
            var key = $"2026/11/16/race-{round}.wav";
            byte[][] contents = [[1, 2, 3, (byte)round], [9, 8, 7, (byte)round]];
            var saves = contents.Select(c => Task.Run(async () =>
            {
                try { await Store.SaveAsync(key, new MemoryStream(c), CancellationToken.None); return true; }
                catch (IOException) { return false; }
            })).ToArray();
            var won = await Task.WhenAll(saves);
            Assert.True(won.Count(w => w) == 1, $"round {round}: {won.Count(w => w)} saves succeeded");
            Assert.Equal(contents[Array.IndexOf(won, true)], await File.ReadAllBytesAsync(Path.Combine(root, key)));
        }
        Assert.Empty(Directory.EnumerateFiles(root, "*.partial-*", SearchOption.AllDirectories));
    }
}
