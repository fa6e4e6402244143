using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace NagrywanieRozmow.Tests.Browser;

/// <summary>
/// The first user's machine: the real app as its own process on a PATH with no ffmpeg or ffprobe, demo data seeded on first
/// start. Every demo call plays in Chromium with its waveform; the administrator sees why GSM and MP3 do not work, and the
/// fix. (Until C# decoding of µ-law lands, the µ-law call fails here: the test states what must work, not what works today.)
/// </summary>
public sealed class NoFfmpegBrowserTests(NoFfmpegBrowserTests.Instance app) : IClassFixture<NoFfmpegBrowserTests.Instance>
{
    /// <summary>Canvas rows with any ink: an empty waveform is a 1–2 px line, a drawn one spans many rows.</summary>
    private const string InkedRows = """
        () => Math.max(0, ...[...document.querySelectorAll('canvas[data-role=wave]')].map(c => {
          const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          let rows = 0;
          for (let y = 0; y < c.height; y++) {
            for (let x = 0; x < c.width; x++) if (d[(y * c.width + x) * 4 + 3] > 0) { rows++; break; }
          }
          return rows;
        }))
        """;

    [Fact]
    public async Task The_demo_seed_writes_only_codecs_that_need_no_ffmpeg()
    {
        Assert.Equal(["pcm_mulaw", "pcm_s16le"], (await app.DemoCallsByCodecAsync()).Keys.Order());
    }

    [Theory]
    [InlineData("pcm_s16le")]
    [InlineData("pcm_mulaw")]
    public async Task A_demo_call_plays_with_its_waveform_without_ffmpeg(string codec)
    {
        var id = (await app.DemoCallsByCodecAsync())[codec];
        var page = await app.SignInAsync($"/recordings/{id}");

        var screenshot = new PageScreenshotOptions { Path = $"/tmp/noffmpeg-player-{codec}.png", FullPage = true };
        await page.GetByTestId("player-play").ClickAsync();
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=audio-player]').currentTime > 0.5");
        await Expect(page.GetByTestId("player-error")).ToBeHiddenAsync();
        await page.ScreenshotAsync(screenshot);
        // The waveform arrives by fetch after the page: wait until bars are drawn, not just the flat line of an empty one.
        await page.WaitForFunctionAsync($"() => ({InkedRows})() > 10");
        await page.ScreenshotAsync(screenshot);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_gsm_call_says_in_polish_why_it_cannot_play_and_the_administrator_sees_the_banner_with_the_waiting_mp3()
    {
        // GSM 06.10 frames of silence: each starts with the 0xD signature nibble; ffmpeg would be needed to decode them.
        app.DropCall("gsm", "1794900001.1", [.. Enumerable.Range(0, 33 * 100).Select(i => (byte)(i % 33 == 0 ? 0xD0 : 0))]);
        app.DropCall("mp3", "1794900002.2", [.. "ID3"u8, .. new byte[4096]]);
        // Raw GSM needs no ffprobe to be taken in, only ffmpeg to be played.
        var id = await app.RecordingIdAsync("1794900001.1");

        var page = await app.SignInAsync($"/recordings/{id}");
        await page.GetByTestId("player-play").ClickAsync();
        await Expect(page.GetByTestId("player-error")).ToHaveTextAsync(
            "Tego nagrania (GSM) nie można odtworzyć: na serwerze brakuje programu ffmpeg. Administrator może go doinstalować (apt-get install ffmpeg).");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = "/tmp/noffmpeg-player-gsm.png", FullPage = true });

        await page.GotoAsync("/admin/ingestion");
        var banner = page.GetByTestId("ingestion-ffmpeg-missing");
        await Expect(banner).ToBeVisibleAsync();
        await Expect(banner).ToContainTextAsync("Na serwerze brakuje: ffmpeg, ffprobe.");
        await Expect(banner).ToContainTextAsync("apt-get install ffmpeg");
        // The page refreshes by itself every 5 s; the MP3 is counted once its job has run.
        await Expect(page.GetByTestId("ingestion-waiting-ffmpeg")).ToContainTextAsync("czekających na ffmpeg: 1", new() { Timeout = 30_000 });
        await Expect(banner).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-alert-[a-z]+-error"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = "/tmp/noffmpeg-ingestion-banner.png", FullPage = true });
        await page.Context.CloseAsync();
    }

    public sealed class Instance : IAsyncLifetime
    {
        private readonly string root = Directory.CreateTempSubdirectory("nr-noffmpeg-").FullName;
        private AppInstance app = default!;
        private IPlaywright playwright = default!;
        private IBrowser browser = default!;

        private string Database => Path.Combine(root, "app.db");
        private string Spool => Path.Combine(root, "spool");

        public async Task InitializeAsync()
        {
            var bin = Directory.CreateDirectory(Path.Combine(root, "bin")).FullName;
            Directory.CreateDirectory(Spool);
            app = AppInstance.Start("no-ffmpeg", new Dictionary<string, string>
            {
                // Only a folder with nothing in it: neither ffmpeg nor ffprobe can be found, whatever this machine has.
                ["PATH"] = bin,
                ["ConnectionStrings__Default"] = $"Data Source={Database}",
                ["Storage__RootPath"] = Path.Combine(root, "store"),
                ["Ingestion__SpoolPath"] = Spool,
                ["Ingestion__SettleSeconds"] = "0",
                ["Ingestion__QuarantinePath"] = Path.Combine(root, "quarantine"),
                ["Ingestion__StagingPath"] = Path.Combine(root, "incoming"),
                ["Demo__Seed"] = "true",
                ["Demo__Recordings"] = "12",
                ["Demo__Days"] = "3",
            });
            await app.WaitUntilReadyAsync(TimeSpan.FromSeconds(120));
            var health = await app.Http.GetStringAsync("/health/ready");
            Assert.Contains("\"status\":\"degraded\"", health);
            await IngestionEventuallyAsync(async () => await CountAsync("SELECT COUNT(*) FROM Recordings") >= 12, "the demo seed has written its 12 calls");
            Assertions.SetDefaultExpectTimeout(15_000);
            playwright = await Playwright.CreateAsync();
            browser = await BrowserFixture.LaunchChromiumAsync(playwright);
        }

        public Task<IPage> SignInAsync(string path) => BrowserFixture.SignInAsync(browser, app.Url.ToString().TrimEnd('/'), "admin@demo.local", "Demo-2026!", path);

        /// <summary>A call the PBX leaves in today's spool folder, its facts in a sidecar (the name is not what is tested here).</summary>
        public string DropCall(string extension, string callId, byte[] audio)
        {
            var today = DateTime.UtcNow;
            var folder = Path.Combine(Spool, today.ToString("yyyy/MM/dd", System.Globalization.CultureInfo.InvariantCulture));
            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, $"call-{callId}.{extension}");
            File.WriteAllText(path + ".json", JsonSerializer.Serialize(new
            {
                callId, startedAt = today.AddMinutes(-5).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
                callerNumber = "48601234567", calleeNumber = "201", extension = "201", type = "Incoming",
            }));
            File.WriteAllBytes(path, audio);
            return path;
        }

        public async Task<long> RecordingIdAsync(string callId)
        {
            long id = 0;
            await IngestionEventuallyAsync(async () => (id = await CountAsync($"SELECT COALESCE(MAX(Id), 0) FROM Recordings WHERE CallId = '{callId}'")) > 0, $"call {callId} is in the panel");
            return id;
        }

        /// <summary>One demo call of each codec the seed wrote.</summary>
        public async Task<Dictionary<string, long>> DemoCallsByCodecAsync()
        {
            await using var connection = new SqliteConnection($"Data Source={Database};Mode=ReadOnly");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT Codec, MIN(Id) FROM Recordings WHERE OriginalFileName NOT LIKE 'call-%' GROUP BY Codec";
            await using var reader = await command.ExecuteReaderAsync();
            var calls = new Dictionary<string, long>();
            while (await reader.ReadAsync()) calls[reader.GetString(0)] = reader.GetInt64(1);
            return calls;
        }

        private async Task<long> CountAsync(string sql)
        {
            if (!File.Exists(Database)) return 0;
            await using var connection = new SqliteConnection($"Data Source={Database};Mode=ReadOnly");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            try
            {
                return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (SqliteException)
            {
                return 0; // not migrated yet
            }
        }

        private async Task IngestionEventuallyAsync(Func<Task<bool>> condition, string what)
        {
            try
            {
                await Features.Ingestion.IngestionApp.EventuallyAsync(condition, what);
            }
            catch (TimeoutException e)
            {
                throw new Xunit.Sdk.XunitException($"{e.Message}\n{app.Log}");
            }
        }

        public async Task DisposeAsync()
        {
            if (browser is not null) await browser.CloseAsync();
            playwright?.Dispose();
            if (app is not null) await app.DisposeAsync();
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }
}
