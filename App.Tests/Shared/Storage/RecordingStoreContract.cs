using NagrywanieRozmow.Shared.Storage;

namespace NagrywanieRozmow.Tests.Shared.Storage;

/// <summary>
/// What every <see cref="IRecordingStore"/> must do, run against each store (the file system's and Azure Blob's), so the
/// callers (ingestion, playback, ZIPs, erasure) can rely on one behaviour whichever store is configured.
/// </summary>
public abstract class RecordingStoreContract : IAsyncLifetime
{
    protected IRecordingStore Store { get; private set; } = default!;

    protected abstract Task<IRecordingStore> CreateStoreAsync();
    public virtual async Task InitializeAsync() => Store = await CreateStoreAsync();
    public virtual Task DisposeAsync() => Task.CompletedTask;

    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_saved_file_reads_back_byte_for_byte_through_a_seekable_stream_that_knows_its_length()
    {
        var audio = TestData.Wav(3);
        await Store.SaveAsync("2026/11/16/in-201-48601234567.wav", new MemoryStream(audio), None);

        Assert.True(await Store.ExistsAsync("2026/11/16/in-201-48601234567.wav", None));
        await using var stream = await Store.OpenReadAsync("2026/11/16/in-201-48601234567.wav", None);
        Assert.NotNull(stream);
        Assert.True(stream.CanSeek);
        Assert.Equal(audio.Length, stream.Length);
        using (var all = new MemoryStream())
        {
            await stream.CopyToAsync(all);
            Assert.Equal(audio, all.ToArray());
        }
        stream.Seek(1000, SeekOrigin.Begin);
        var slice = new byte[500];
        await stream.ReadExactlyAsync(slice);
        Assert.Equal(audio[1000..1500], slice);
        Assert.Equal(1500, stream.Position);
    }

    [Fact]
    public async Task A_large_file_is_written_from_a_stream_and_a_seek_near_its_end_reads_the_right_bytes()
    {
        const long size = 20L * 1024 * 1024 + 123;
        await Store.SaveAsync("big/60-minutes.wav", new PatternStream(size), None);

        await using var stream = await Store.OpenReadAsync("big/60-minutes.wav", None);
        Assert.NotNull(stream);
        Assert.Equal(size, stream.Length);
        var offset = size - 3 * 1024 * 1024 - 77;
        stream.Seek(offset, SeekOrigin.Begin);
        var read = new byte[256 * 1024];
        await stream.ReadExactlyAsync(read);
        Assert.Equal(PatternStream.Expected(offset, read.Length), read);
        stream.Seek(-100, SeekOrigin.End);
        var tail = new byte[200];
        Assert.Equal(100, await stream.ReadAtLeastAsync(tail, 200, throwOnEndOfStream: false));
        Assert.Equal(PatternStream.Expected(size - 100, 100), tail[..100]);
    }

    [Fact]
    public async Task An_existing_key_is_never_overwritten_the_save_fails_with_an_IOException_and_the_first_file_stays()
    {
        await Store.SaveAsync("2026/11/16/a.wav", new MemoryStream([1, 2, 3]), None);

        await Assert.ThrowsAnyAsync<IOException>(() => Store.SaveAsync("2026/11/16/a.wav", new MemoryStream([9, 9, 9, 9]), None));

        await using var stream = await Store.OpenReadAsync("2026/11/16/a.wav", None);
        using var copy = new MemoryStream();
        await stream!.CopyToAsync(copy);
        Assert.Equal(new byte[] { 1, 2, 3 }, copy.ToArray());
    }

    [Fact]
    public async Task A_save_whose_source_fails_half_way_leaves_nothing_under_the_key()
    {
        var failing = new PatternStream(9L * 1024 * 1024, failAt: 5L * 1024 * 1024);

        await Assert.ThrowsAnyAsync<Exception>(() => Store.SaveAsync("2026/11/16/half.wav", failing, None));

        Assert.False(await Store.ExistsAsync("2026/11/16/half.wav", None));
        Assert.Null(await Store.OpenReadAsync("2026/11/16/half.wav", None));
        // The key is free for the complete file.
        await Store.SaveAsync("2026/11/16/half.wav", new MemoryStream([7]), None);
        Assert.True(await Store.ExistsAsync("2026/11/16/half.wav", None));
    }

    [Fact]
    public async Task A_missing_file_is_null_not_there_and_deleting_it_is_fine()
    {
        Assert.Null(await Store.OpenReadAsync("2026/11/16/never.wav", None));
        Assert.False(await Store.ExistsAsync("2026/11/16/never.wav", None));
        await Store.DeleteAsync("2026/11/16/never.wav", None);
    }

    [Fact]
    public async Task A_deleted_file_is_gone_and_its_neighbour_stays()
    {
        await Store.SaveAsync("playable/1.wav", new MemoryStream([1]), None);
        await Store.SaveAsync("playable/2.wav", new MemoryStream([2]), None);

        await Store.DeleteAsync("playable/1.wav", None);

        Assert.False(await Store.ExistsAsync("playable/1.wav", None));
        Assert.Null(await Store.OpenReadAsync("playable/1.wav", None));
        Assert.True(await Store.ExistsAsync("playable/2.wav", None));
    }

    [Fact]
    public async Task The_store_is_ready() => Assert.True(await Store.IsReadyAsync(None));

    public static TheoryData<string> InvalidKeys => new()
    {
        "", " ", "/etc/passwd", "../outside.wav", "2026/../../outside.wav", "2026//a.wav", "2026/./a.wav", "2026/11/", @"2026\11\a.wav",
        "2026/11/a\n.wav", new string('a', StorageKeys.MaxLength + 1),
    };

    [Theory]
    [MemberData(nameof(InvalidKeys))]
    public async Task An_invalid_key_is_refused_by_every_operation_and_nothing_is_written(string key)
    {
        Assert.Contains("storage key", (await Assert.ThrowsAsync<ArgumentException>(() => Store.SaveAsync(key, new MemoryStream([1]), None))).Message,
            StringComparison.OrdinalIgnoreCase);
        await Assert.ThrowsAsync<ArgumentException>(() => Store.OpenReadAsync(key, None));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.ExistsAsync(key, None));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.DeleteAsync(key, None));
    }
}

/// <summary>
/// A file of any length made on the fly, read forwards only (as an upload or a PBX file arrives): its bytes follow from
/// their position, so a test checks any slice without holding the file. Optionally fails after <c>failAt</c> bytes.
/// </summary>
public sealed class PatternStream(long length, long failAt = long.MaxValue) : Stream
{
    private long position;

    public static byte ByteAt(long i) => (byte)(i ^ (i >> 8) ^ (i >> 16) ^ 0x5A);
    public static byte[] Expected(long offset, int count) => Enumerable.Range(0, count).Select(i => ByteAt(offset + i)).ToArray();

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (position >= failAt) throw new IOException("The source broke off.");
        var count = (int)Math.Min(buffer.Length, Math.Min(length, failAt) - position);
        for (var i = 0; i < count; i++) buffer[i] = ByteAt(position + i);
        position += count;
        return count;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => ValueTask.FromResult(Read(buffer.Span));
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => Task.FromResult(Read(buffer.AsSpan(offset, count)));
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
