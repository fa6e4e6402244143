using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Blobs;

namespace NagrywanieRozmow.Tests.Shared.Storage;

/// <summary>The whole app with <c>Storage:Provider</c> = <c>AzureBlob</c> on Azurite: uploads land in the container, audio is served from it by range, deletion removes the blob.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobAppTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private BlobApp app = default!;
    private BlobContainerClient container = default!;

    public async Task InitializeAsync()
    {
        container = azurite.NewContainer(out var name);
        app = new BlobApp(azurite.ConnectionString, name);
        await app.InitializeAsync();
    }

    public async Task DisposeAsync() => await ((IAsyncLifetime)app).DisposeAsync();

    private sealed class BlobApp(string connectionString, string containerName) : AppFactory
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "AzureBlob",
            ["Storage:AzureBlob:ConnectionString"] = connectionString,
            ["Storage:AzureBlob:Container"] = containerName,
            ["Ingestion:QuarantinePath"] = Path.Combine(Root, "quarantine"),
            ["Ingestion:StagingPath"] = Path.Combine(Root, "incoming"),
        };
    }

    private async Task<byte[]> BlobBytesAsync(string key)
    {
        var download = await container.GetBlobClient(key).DownloadContentAsync();
        return download.Value.Content.ToArray();
    }

    [Fact]
    public async Task The_container_is_made_at_start_and_the_app_is_ready()
    {
        Assert.True((await container.ExistsAsync()).Value);
        var ready = await app.ClientAs(Roles.Administrator).GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.True((await ready.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("storage").GetBoolean());
    }

    [Fact]
    public async Task An_uploaded_recording_is_stored_in_the_container_byte_for_byte_and_not_on_disk()
    {
        var audio = TestData.Wav(3);
        var form = new MultipartFormDataContent
        {
            {
                new StringContent(JsonSerializer.Serialize(new
                {
                    callId = "1794816902.2", startedAt = "2026-11-16T08:15:02Z", callerNumber = "48601234567", calleeNumber = "201", extension = "201", type = "Incoming",
                }), System.Text.Encoding.UTF8, "application/json"),
                "metadata"
            },
        };
        var part = new ByteArrayContent(audio);
        part.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        form.Add(part, "audio", "in-201-48601234567-20261116-091502-1794816902.2.wav");

        var created = await (await app.KeyClientAsync(ApiKeyScopes.Ingest)).PostAsync("/api/v1/recordings", form);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var key = await app.WithDbAsync(db => Task.FromResult(db.Recordings.Single(r => r.Id == id).StorageKey));
        Assert.Equal(audio, await BlobBytesAsync(key));
        Assert.False(Directory.Exists(app.StorePath) && Directory.EnumerateFiles(app.StorePath, "*", SearchOption.AllDirectories).Any());
    }

    [Fact]
    public async Task The_audio_endpoint_answers_a_range_from_the_blob_with_206_and_exactly_those_bytes()
    {
        var recording = await TestData.AddWithAudioAsync(app, TestData.Recording(durationSeconds: 120)); // ~1.9 MB: past the first read chunk
        var audio = await BlobBytesAsync(recording.StorageKey);
        var client = app.ClientAs(Roles.ComplaintHandler);

        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/recordings/{recording.Id}/audio");
        request.Headers.Range = new RangeHeaderValue(1_500_000, 1_599_999);
        var partial = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal($"bytes 1500000-1599999/{audio.Length}", partial.Content.Headers.ContentRange!.ToString());
        Assert.Equal(audio[1_500_000..1_600_000], await partial.Content.ReadAsByteArrayAsync());

        var beyond = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/recordings/{recording.Id}/audio");
        beyond.Headers.Range = new RangeHeaderValue(audio.Length + 10, null);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, (await client.SendAsync(beyond)).StatusCode);

        var whole = await client.GetAsync($"/api/v1/recordings/{recording.Id}/audio");
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(audio.Length, whole.Content.Headers.ContentLength);
        Assert.Equal(audio, await whole.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_recording_whose_blob_is_gone_answers_file_missing()
    {
        var recording = await TestData.AddWithAudioAsync(app, TestData.Recording());
        await container.GetBlobClient(recording.StorageKey).DeleteAsync();

        var response = await app.ClientAs(Roles.ComplaintHandler).GetAsync($"/api/v1/recordings/{recording.Id}/audio");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("missing from the store", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Deleting_a_recording_removes_its_blob_and_leaves_the_others()
    {
        var doomed = await TestData.AddWithAudioAsync(app, TestData.Recording(startedAt: DateTime.UtcNow.AddDays(-3)));
        var kept = await TestData.AddWithAudioAsync(app, TestData.Recording(startedAt: DateTime.UtcNow.AddDays(-3)));
        Assert.True((await container.GetBlobClient(doomed.StorageKey).ExistsAsync()).Value);

        var response = await app.ClientAs(Roles.ComplaintHandler, null, "deleter@example.com", mayDelete: true).SendAsync(
            new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/recordings/{doomed.Id}") { Content = JsonContent.Create(new { reason = "recorded by mistake" }) });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False((await container.GetBlobClient(doomed.StorageKey).ExistsAsync()).Value);
        Assert.True((await container.GetBlobClient(kept.StorageKey).ExistsAsync()).Value);
    }
}
