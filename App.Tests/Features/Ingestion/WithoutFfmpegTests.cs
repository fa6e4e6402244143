using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Features.Ingestion;

namespace NagrywanieRozmow.Tests.Features.Ingestion;

/// <summary>
/// An MP3 or Ogg needs ffprobe to be read. Without it the file is not the PBX's fault: it waits where it is (spool, quarantine),
/// an upload is told to come back, the administrator sees why, and once ffmpeg is installed the file is taken by itself.
/// </summary>
public sealed class WithoutFfmpegTests : IAsyncLifetime
{
    private static readonly byte[] Mp3 = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory,
        "Fixtures/freepbx-spool/monitor/2026/11/17/rg-600-48221112233-20261117-121500-1794914100.7.mp3"));

    private IngestionApp app = default!;

    /// <param name="swept">With the spool configured (sweeps possible); only once the start's own sweep is done, so it races nothing.</param>
    private async Task StartAsync(bool swept = false)
    {
        var root = Path.Combine(Path.GetTempPath(), "nr-tests", Guid.NewGuid().ToString("N"));
        app = new IngestionApp(swept: swept) { More = MediaSettings.Missing(root) };
        await app.InitializeAsync();
        if (swept) await IngestionApp.EventuallyAsync(() => Task.FromResult(app.Get<IngestionQueue>().LastSweepAt is not null), "the start's sweep is done");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (app is not null) await ((IAsyncLifetime)app).DisposeAsync();
    }

    private static string Facts(string callId) => JsonSerializer.Serialize(new
    {
        callId, startedAt = "2026-11-16T08:15:02Z", callerNumber = "48601234567", calleeNumber = "201", extension = "201", type = "Incoming",
    });

    /// <summary>An MP3 in an old day folder (the minute sweep does not walk it), its facts in a sidecar.</summary>
    private string DropMp3(string callId = "1794816902.2", string? sidecar = null)
    {
        var path = app.Drop("call-" + callId + ".mp3", Mp3, day: "2026/10/01");
        File.WriteAllText(path + ".json", sidecar ?? Facts(callId));
        File.SetLastWriteTimeUtc(path + ".json", DateTime.UtcNow.AddMinutes(-1));
        return path;
    }

    private async Task IngestQueuedAsync(string path)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IngestFileJob>().RunAsync(path, CancellationToken.None);
    }

    private async Task SweepAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SpoolSweepJob>().RunAsync(CancellationToken.None);
    }

    private Task<int> RecordingsAsync() => app.WithDbAsync(db => db.Recordings.CountAsync());

    private static IEnumerable<string> FilesUnder(string folder) =>
        Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories) : [];

    [Fact]
    public async Task An_mp3_waits_in_the_spool_while_ffprobe_is_missing_and_is_taken_by_the_sweep_once_ffmpeg_is_installed()
    {
        await StartAsync(swept: true);
        var path = DropMp3();

        await IngestQueuedAsync(path);

        Assert.True(File.Exists(path), "the MP3 stays in the spool");
        Assert.Empty(FilesUnder(app.Quarantine));
        Assert.Equal(0, await app.WithDbAsync(db => db.IngestedFiles.CountAsync()));
        Assert.Equal(1, app.Get<IngestionQueue>().WaitingForFfmpeg);
        // A sweep while ffmpeg is still missing changes nothing.
        await SweepAsync();
        Assert.True(File.Exists(path));
        Assert.Equal(0, await RecordingsAsync());

        MediaSettings.InstallFfmpeg(app.Services);
        await SweepAsync();

        await IngestionApp.EventuallyAsync(async () => await RecordingsAsync() == 1, "the MP3 is taken once ffprobe is there");
        var recording = await app.WithDbAsync(db => db.Recordings.SingleAsync());
        Assert.Equal("mp3", recording.Format);
        Assert.True(recording.DurationMs > 0);
        await IngestionApp.EventuallyAsync(() => Task.FromResult(app.Get<IngestionQueue>().WaitingForFfmpeg == 0), "nothing waits for ffmpeg any more");
    }

    [Fact]
    public async Task Ingest_from_the_command_line_leaves_an_mp3_in_place_and_says_it_waits_for_ffmpeg()
    {
        await StartAsync();
        var path = DropMp3();

        var (exit, output) = await app.RunCliAsync(IngestCli.RunAsync, "--path", app.Spool);

        Assert.Equal(0, exit);
        Assert.Contains("MP3/Ogg waiting for ffmpeg 1 (apt-get install ffmpeg, then run again)", output);
        Assert.DoesNotContain("changed while being read", output);
        Assert.True(File.Exists(path));
        Assert.Empty(FilesUnder(app.Quarantine));
    }

    [Fact]
    public async Task The_ingestion_page_shows_administrators_a_red_banner_naming_ffmpeg_the_fix_and_how_many_files_wait()
    {
        await StartAsync();
        await IngestQueuedAsync(DropMp3());

        var html = WebUtility.HtmlDecode(await app.ClientAs(Roles.Administrator).GetStringAsync("/admin/ingestion"));

        Assert.Contains("data-testid=\"ingestion-ffmpeg-missing\"", html);
        Assert.Matches("mud-alert-[a-z]+-error[^>]*data-testid=\"ingestion-ffmpeg-missing\"|data-testid=\"ingestion-ffmpeg-missing\"[^>]*mud-alert-[a-z]+-error", html);
        Assert.Contains("Na serwerze brakuje: ffmpeg, ffprobe.", html);
        Assert.Contains("odtwarzanie nagrań GSM", html);
        Assert.Contains("przyjmowanie plików MP3 i Ogg", html);
        Assert.Contains("apt-get install ffmpeg", html);
        Assert.Contains("plików MP3/Ogg czekających na ffmpeg: 1", html);

        MediaSettings.InstallFfmpeg(app.Services);
        var after = await app.ClientAs(Roles.Administrator).GetStringAsync("/admin/ingestion");
        Assert.DoesNotContain("ingestion-ffmpeg-missing", after);
    }

    [Fact]
    public async Task An_mp3_upload_without_ffmpeg_is_answered_503_with_retry_after_naming_ffmpeg_and_nothing_is_kept()
    {
        await StartAsync();
        var ingest = await app.KeyClientAsync(ApiKeyScopes.Ingest);
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(Facts("1794816903.3"), System.Text.Encoding.UTF8, "application/json"), "metadata");
        var audio = new ByteArrayContent(Mp3);
        audio.Headers.ContentType = new MediaTypeHeaderValue("audio/mpeg");
        form.Add(audio, "audio", "call.mp3");

        var response = await ingest.PostAsync("/api/v1/recordings", form);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.NotNull(response.Headers.RetryAfter?.Delta);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("ffmpeg", problem.GetProperty("title").GetString());
        Assert.Contains("apt-get install ffmpeg", problem.GetProperty("detail").GetString());
        Assert.Equal(0, await RecordingsAsync());
        Assert.Equal(0, await app.WithDbAsync(db => db.IngestedFiles.CountAsync()));
        Assert.Empty(FilesUnder(app.StorePath));
        Assert.Empty(FilesUnder(app.Quarantine));
        Assert.Empty(FilesUnder(Path.Combine(app.Root, "incoming")));
    }

    [Fact]
    public async Task A_quarantined_mp3_retried_without_ffmpeg_stays_in_quarantine_and_is_taken_on_a_retry_after_installing_it()
    {
        await StartAsync();
        var path = DropMp3(sidecar: "{ not json");
        var rejected = await app.IngestAsync(path);
        Assert.Equal(IngestOutcome.Rejected, rejected.Outcome);
        var entry = await app.WithDbAsync(db => db.IngestedFiles.SingleAsync());
        File.WriteAllText(entry.QuarantinedAs + ".json", Facts("1794816904.4"));
        var admin = new AuditActor("admin@example.com", null);

        var retried = await app.Get<RecordingIngestor>().RetryAsync(entry.Id, admin, CancellationToken.None);

        Assert.Equal(IngestOutcome.Deferred, retried!.Outcome);
        Assert.True(retried.WaitsForFfmpeg);
        Assert.Contains("ffmpeg", retried.Reason);
        Assert.True(File.Exists(entry.QuarantinedAs), "the file stays in quarantine");
        Assert.Equal(0, await RecordingsAsync());

        MediaSettings.InstallFfmpeg(app.Services);
        var taken = await app.Get<RecordingIngestor>().RetryAsync(entry.Id, admin, CancellationToken.None);
        Assert.Equal(IngestOutcome.Accepted, taken!.Outcome);
        Assert.Equal(1, await RecordingsAsync());
    }
}
