using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace NagrywanieRozmow.Tests.Features.Evidence;

/// <summary>
/// The real app, as its own process, killed with SIGKILL at random points of streaming a bulk download: the person gets a
/// download that visibly ends short (never a shorter ZIP that looks whole), nothing stored changes or is left behind, each
/// started download is audited exactly once, and the server started again gives the whole ZIP.
/// </summary>
public sealed class BulkDownloadKillTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Files = 8, Kills = 3;
    private readonly AppFactory app = new();

    public Task InitializeAsync() => app.InitializeAsync();
    public async Task DisposeAsync() => await ((IAsyncLifetime)app).DisposeAsync();

    [Fact]
    public async Task Killing_the_server_mid_zip_changes_nothing_stored_audits_once_and_the_next_download_is_whole()
    {
        var recordings = new List<NagrywanieRozmow.Features.Recordings.Recording>();
        for (var i = 0; i < Files; i++)
        {
            // About 4 MB each: the ZIP is far larger than the sockets' buffers, so the server is mid-stream when killed.
            var audio = TestData.Wav(250, frequency: 300 + i * 40);
            var r = TestData.Recording(startedAt: new DateTime(2026, 11, 16, 8, 0, 0, DateTimeKind.Utc).AddMinutes(i * 7), sizeBytes: audio.Length);
            r.StorageKey = $"2026/11/16/zip-kill-{i}.wav";
            r.Sha256 = Convert.ToHexStringLower(SHA256.HashData(audio));
            await app.Store.SaveAsync(r.StorageKey, new MemoryStream(audio), CancellationToken.None);
            recordings.Add(r);
        }
        await app.WithDbAsync(async db => { db.Recordings.AddRange(recordings); await db.SaveChangesAsync(); });
        var ids = recordings.Select(r => r.Id).ToArray();
        var storedBefore = StoreSnapshot();

        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings__Default"] = $"Data Source={app.DatabasePath}",
            ["Storage__RootPath"] = app.StorePath,
            ["Demo__Seed"] = "false",
            ["RateLimits__ApiPermitLimit"] = "0",
        };
        var created = await AppInstance.RunCliAsync(settings, "apikeys", "create", "--name", "evidence", "--scope", "read");
        Assert.True(created.Exit == 0, created.Output + created.Errors);
        var key = created.Output.Trim().Split('\n')[^1].Trim();

        var random = new Random(20261203);
        for (var kill = 0; kill < Kills; kill++)
        {
            await using var server = AppInstance.Start($"zip-{kill}", settings);
            await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(120));
            using var response = await DownloadAsync(server, key, ids);
            var length = response.Content.Headers.ContentLength!.Value;
            await using var body = await response.Content.ReadAsStreamAsync();
            var cutAt = random.NextInt64(64 * 1024, length - 4 * 1024 * 1024);
            var received = await ReadAsync(body, cutAt);

            await server.KillAsync();
            var endedShort = false;
            try
            {
                received += await ReadAsync(body, long.MaxValue);
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                endedShort = true;
            }
            output.WriteLine($"kill {kill + 1}: after {received:N0} of {length:N0} bytes, {(endedShort ? "the stream broke" : "the stream ended")}");
            Assert.True(received < length, $"the whole ZIP ({length} bytes) arrived although the server was killed after {cutAt}");
            Assert.True(endedShort, "a killed download must end in an error, not as a shorter body that looks complete");
        }

        await using (var server = AppInstance.Start("zip-after", settings))
        {
            await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(120));
            using var response = await DownloadAsync(server, key, ids);
            var zipBytes = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal(response.Content.Headers.ContentLength, zipBytes.Length);
            using var zip = new ZipArchive(new MemoryStream(zipBytes), ZipArchiveMode.Read);
            var audioEntries = zip.Entries.Where(e => e.Name.EndsWith(".wav", StringComparison.Ordinal)).ToList();
            Assert.Equal(Files, audioEntries.Count);
            var hashes = audioEntries.Select(e =>
            {
                using var entry = e.Open();
                return Convert.ToHexStringLower(SHA256.HashData(entry));
            }).Order().ToList();
            Assert.Equal(recordings.Select(r => r.Sha256).Order(), hashes);
        }

        // Nothing stored changed, and nothing was left beside it; every recording is still there.
        Assert.Equal(storedBefore, StoreSnapshot());
        Assert.Equal(ids.Order(), await app.WithDbAsync(db => db.Recordings.Select(r => r.Id).OrderBy(id => id).ToListAsync()));

        // One download entry per download started (before its first byte), each naming every recording; the chain holds.
        var downloads = await app.WithDbAsync(db => db.AuditLog.Where(a => a.Action == AuditActions.Download).Select(a => a.Details!).ToListAsync());
        Assert.Equal(Kills + 1, downloads.Count);
        Assert.All(downloads, d => Assert.Equal(ids, JsonDocument.Parse(d).RootElement.GetProperty("recordings").EnumerateArray().Select(e => e.GetInt64())));
        var verify = await AppInstance.RunCliAsync(settings, "audit", "verify");
        Assert.True(verify.Exit == 0, $"audit verify: {verify.Output}{verify.Errors}");
    }

    /// <summary>
    /// A client whose socket takes 64 KB at a time, as a slow link would: the kernel's own receive buffer grows to tens of MB
    /// on loopback and would hold the whole ZIP before the kill.
    /// </summary>
    private static readonly HttpClient Client = new(new SocketsHttpHandler
    {
        UseCookies = false,
        ConnectCallback = async (context, ct) =>
        {
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true, ReceiveBufferSize = 64 * 1024 };
            try
            {
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    }) { Timeout = TimeSpan.FromSeconds(60) };

    private static async Task<HttpResponseMessage> DownloadAsync(AppInstance server, string key, long[] ids)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.Url, "/api/v1/downloads")) { Content = JsonContent.Create(new { ids }) };
        request.Headers.Add("X-Api-Key", key);
        var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        // (The body is read only for the message of a failure: reading it here would take the whole ZIP before the kill.)
        if (response.StatusCode != HttpStatusCode.OK) Assert.Fail($"download: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        return response;
    }

    /// <summary>Reads up to <paramref name="count"/> bytes (or to the end); returns how many it read.</summary>
    private static async Task<long> ReadAsync(Stream body, long count)
    {
        var buffer = new byte[64 * 1024];
        long read = 0;
        while (read < count)
        {
            var n = await body.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count - read)));
            if (n == 0) break;
            read += n;
        }
        return read;
    }

    /// <summary>Every file under the store, with its SHA-256.</summary>
    private SortedDictionary<string, string> StoreSnapshot() => new(Directory.EnumerateFiles(app.StorePath, "*", SearchOption.AllDirectories)
        .ToDictionary(f => Path.GetRelativePath(app.StorePath, f), f => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f)))), StringComparer.Ordinal);
}
