using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Hosting;
using NagrywanieRozmow.Shared.Storage;

namespace NagrywanieRozmow.Tests.Shared.Storage;

/// <summary>The store contract against Azurite, and what only a blob store has to show: ranged reads, blocks, its container.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobRecordingStoreTests(AzuriteFixture azurite) : RecordingStoreContract
{
    private const int Chunk = 256 * 1024;
    private readonly Requests requests = new();
    private string container = "";

    protected override async Task<IRecordingStore> CreateStoreAsync()
    {
        azurite.NewContainer(out container);
        var options = AzureBlobRecordingStore.ClientOptions();
        options.AddPolicy(requests, HttpPipelinePosition.PerRetry);
        IHostedService store = AzureBlobRecordingStore.Create(
            new AzureBlobStorageOptions { ConnectionString = azurite.ConnectionString, Container = container, ReadChunkKb = Chunk / 1024 }, options);
        await store.StartAsync(CancellationToken.None);
        return (IRecordingStore)store;
    }

    [Fact]
    public async Task The_container_is_created_at_start()
    {
        Assert.True(await azurite.NewContainerClient(container).ExistsAsync());
    }

    [Fact]
    public async Task Without_start_the_first_save_creates_the_container_as_a_command_line_verb_needs()
    {
        azurite.NewContainer(out var name);
        var store = AzureBlobRecordingStore.Create(new AzureBlobStorageOptions { ConnectionString = azurite.ConnectionString, Container = name });
        Assert.False(await store.ExistsAsync("a/b.wav", CancellationToken.None));
        Assert.Null(await store.OpenReadAsync("a/b.wav", CancellationToken.None));
        await store.DeleteAsync("a/b.wav", CancellationToken.None);

        await store.SaveAsync("a/b.wav", new MemoryStream([1, 2]), CancellationToken.None);

        Assert.True(await azurite.NewContainerClient(name).GetBlobClient("a/b.wav").ExistsAsync());
    }

    [Fact]
    public async Task A_20_MB_upload_goes_in_blocks_and_a_seek_fetches_one_chunk_by_range_not_the_file()
    {
        const long size = 20L * 1024 * 1024;
        await Store.SaveAsync("big/a.wav", new PatternStream(size), CancellationToken.None);
        var puts = requests.Snapshot().Where(r => r.Method == "PUT").ToList();
        Assert.True(puts.Count >= 5, $"{puts.Count} PUTs");
        Assert.All(puts, r => Assert.True(r.RequestBytes <= 4 * 1024 * 1024, $"a PUT of {r.RequestBytes} bytes"));
        Assert.Equal(size, puts.Sum(r => r.RequestBytes) - puts.Single(r => r.Uri.Contains("comp=blocklist")).RequestBytes);

        requests.Clear();
        await using var stream = (await Store.OpenReadAsync("big/a.wav", CancellationToken.None))!;
        stream.Seek(15L * 1024 * 1024, SeekOrigin.Begin);
        var read = new byte[64 * 1024];
        await stream.ReadExactlyAsync(read);

        Assert.Equal(PatternStream.Expected(15L * 1024 * 1024, read.Length), read);
        var gets = requests.Snapshot().Where(r => r.Method == "GET").ToList();
        Assert.Contains(gets, r => r.Range == $"bytes={15L * 1024 * 1024}-{15L * 1024 * 1024 + Chunk - 1}");
        Assert.True(gets.Sum(r => r.ResponseBytes) <= 2 * Chunk, $"{gets.Sum(r => r.ResponseBytes)} bytes fetched for a 64 KB read");
    }

    [Fact]
    public async Task A_store_whose_endpoint_does_not_answer_is_not_ready_and_refuses_to_start_naming_its_container()
    {
        var closed = System.Text.RegularExpressions.Regex.Replace(azurite.ConnectionString, @"127\.0\.0\.1:\d+", "127.0.0.1:9");
        var store = AzureBlobRecordingStore.Create(new AzureBlobStorageOptions { ConnectionString = closed, Container = "nowhere" });

        Assert.False(await store.IsReadyAsync(CancellationToken.None));
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => ((IHostedService)store).StartAsync(CancellationToken.None));
        Assert.Contains("Storage:AzureBlob", e.Message);
        Assert.Contains("'nowhere'", e.Message);
    }

    [Fact]
    public void A_connection_string_that_cannot_be_parsed_is_refused_naming_the_key_but_not_the_secret()
    {
        var e = Assert.Throws<InvalidOperationException>(() =>
            AzureBlobRecordingStore.Create(new AzureBlobStorageOptions { ConnectionString = "AccountName=x;AccountKey=s3cr3t-not-base64" }));
        Assert.Contains("Storage:AzureBlob:ConnectionString", e.Message);
        Assert.DoesNotContain("s3cr3t", e.Message);
    }

    /// <summary>Every request the store sends: what it asked for and how many bytes went each way.</summary>
    private sealed class Requests : HttpPipelinePolicy
    {
        public sealed record Seen(string Method, string Uri, string? Range, long RequestBytes, long ResponseBytes);
        private readonly List<Seen> seen = [];

        public List<Seen> Snapshot() { lock (seen) return [.. seen]; }
        public void Clear() { lock (seen) seen.Clear(); }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            ProcessNext(message, pipeline);
            Record(message);
        }

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            await ProcessNextAsync(message, pipeline);
            Record(message);
        }

        private void Record(HttpMessage message)
        {
            var request = message.Request;
            request.Headers.TryGetValue("x-ms-range", out var range);
            if (range is null) request.Headers.TryGetValue("Range", out range);
            request.Headers.TryGetValue("Content-Length", out var sent);
            message.Response.Headers.TryGetValue("Content-Length", out var received);
            lock (seen)
                seen.Add(new Seen(request.Method.Method, request.Uri.ToString(), range, long.Parse(sent ?? "0"), long.Parse(received ?? "0")));
        }
    }
}
