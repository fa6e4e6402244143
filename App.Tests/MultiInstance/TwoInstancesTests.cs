using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.Playwright;
using NagrywanieRozmow.Features.Retention;
using NagrywanieRozmow.Shared.Jobs;
using NagrywanieRozmow.Tests.Features.Ingestion;
using NagrywanieRozmow.Tests.Fixtures;
using Npgsql;
using Xunit.Abstractions;

namespace NagrywanieRozmow.Tests.MultiInstance;

/// <summary>
/// The acceptance run for running several instances: two real app processes on two ports, one PostgreSQL database, one
/// Azurite blob store. What one instance takes in, the other shows (API and panel, with a sign-in cookie from the first);
/// a purge started on both at once deletes and audits every expired recording once; an instance killed in the middle of a
/// purge leaves the rest to the other, through Hangfire's shared queue; a stopped instance drains and exits in time.
/// </summary>
public sealed class TwoInstancesTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string AdminEmail = "admin@multi.test";
    private const string Password = "Multi-Instance-1!";

    private readonly PostgreSqlServer postgres = new();
    private readonly AzuriteFixture azurite = new();
    private readonly string root = Path.Combine(Path.GetTempPath(), "nr-multi-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly string container = "t" + Guid.NewGuid().ToString("N");
    private readonly List<AppInstance> instances = [];
    private string database = "";

    public async Task InitializeAsync()
    {
        await postgres.InitializeAsync();
        await azurite.InitializeAsync();
        database = await postgres.CreateDatabaseAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var instance in instances) await instance.DisposeAsync();
        await azurite.DisposeAsync();
        await postgres.DisposeAsync();
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task Two_instances_share_database_store_and_sign_ins_purge_once_and_lose_nothing_when_one_is_killed()
    {
        var total = Stopwatch.StartNew();
        // Accounts and keys made with the command line against the shared database (its first run migrates it).
        Succeeded(await CliAsync("A", "users", "add", "--email", AdminEmail, "--password", Password, "--role", "Administrator"));
        var ingestKey = LastLine(Succeeded(await CliAsync("A", "apikeys", "create", "--name", "pbx", "--scope", "ingest")));
        var readKey = LastLine(Succeeded(await CliAsync("A", "apikeys", "create", "--name", "crm", "--scope", "read")));
        output.WriteLine($"{total.Elapsed.TotalSeconds:0.0} s: account and keys made");

        // 1. Both start at the same moment on the shared database and store, and become ready (asked anonymously).
        var a = Start("A");
        var b = Start("B");
        await Task.WhenAll(a.WaitUntilReadyAsync(TimeSpan.FromSeconds(120)), b.WaitUntilReadyAsync(TimeSpan.FromSeconds(120)));
        output.WriteLine($"{total.Elapsed.TotalSeconds:0.0} s: both ready");

        // 2. An upload through A is in B's API, B's audio endpoint and B's panel, the last two with a cookie A issued.
        var audio = SpoolFiles.Wav(2, seed: 1);
        var shared = await UploadAsync(a, ingestKey, "1796300000.1", DateTime.UtcNow.AddHours(-1), audio);
        await SharedThroughBAsync(a, b, readKey, shared, audio);
        output.WriteLine($"{total.Elapsed.TotalSeconds:0.0} s: upload through A seen through B");

        // 2b. Both instances append to the audit log at the same moment (40 listens through each at once): it stays one
        // hash chain, each entry chained onto the one before it, whichever instance wrote it.
        await Task.WhenAll(Enumerable.Range(0, 80).Select(i => ListenAsync(i % 2 == 0 ? a : b, readKey, shared)));
        Succeeded(await CliAsync("A", "audit", "verify"));
        output.WriteLine($"{total.Elapsed.TotalSeconds:0.0} s: 80 concurrent listens through both, audit chain verified");

        // 3. `retention run` on both instances at the same moment: every expired recording deleted and audited once.
        var expired = new List<long>();
        var kept = new List<long> { shared };
        for (var i = 0; i < 24; i++)
            expired.Add(await UploadAsync(i % 2 == 0 ? a : b, ingestKey, $"1788000000.{i}", DateTime.UtcNow.AddDays(-100).AddMinutes(i), SpoolFiles.Wav(0.3, seed: 100 + i)));
        for (var i = 0; i < 4; i++)
            kept.Add(await UploadAsync(i % 2 == 0 ? b : a, ingestKey, $"1796200000.{i}", DateTime.UtcNow.AddDays(-1 - i), SpoolFiles.Wav(0.3, seed: 200 + i)));
        output.WriteLine($"{total.Elapsed.TotalSeconds:0.0} s: {expired.Count + kept.Count - 1} more uploads");
        var keys = await StorageKeysAsync();
        var blobs = await BlobNamesAsync();
        Assert.All(expired.Concat(kept), id => Assert.Contains(keys[id], blobs));

        // Small batches with pauses, so the two runs overlap over many batches and reach for the same rows.
        var purges = await Task.WhenAll(
            CliAsync("A", ["retention", "run"], new() { ["Retention__BatchSize"] = "2", ["Retention__BatchPauseMs"] = "250" }),
            CliAsync("B", ["retention", "run"], new() { ["Retention__BatchSize"] = "2", ["Retention__BatchPauseMs"] = "250" }));
        var deletedBy = purges.Select(DeletedCount).ToList();
        output.WriteLine($"{total.Elapsed.TotalSeconds:0.0} s: the purge on A deleted {deletedBy[0]}, the one on B {deletedBy[1]}");
        Assert.Equal(expired.Count, deletedBy.Sum());
        Assert.True(deletedBy.All(d => d > 0), $"The two purges did not overlap (A deleted {deletedBy[0]}, B {deletedBy[1]}): the race was not exercised.");
        await DeletedExactlyOnceAsync(expired, kept, keys);

        // 4a. SIGTERM: B says "stopping" to the balancer while it drains, and exits by itself within the shutdown timeout.
        await StopsGracefullyAsync(b);
        output.WriteLine($"{total.Elapsed.TotalSeconds:0.0} s: B stopped");

        // 4b. A alone runs the daily purge (triggered in the shared queue) and is killed with SIGKILL in the middle of it.
        var doomed = new List<long>();
        for (var i = 0; i < 30; i++)
            doomed.Add(await UploadAsync(a, ingestKey, $"1780000000.{i}", DateTime.UtcNow.AddDays(-200).AddMinutes(i), SpoolFiles.Wav(0.3, seed: 300 + i)));
        foreach (var (id, key) in await StorageKeysAsync()) keys[id] = key;
        var job = TriggerPurge();
        await WaitForAsync(async () => await CountAsync("""SELECT COUNT(*) FROM "RecordingTombstones" WHERE "Id" = ANY(@ids)""", doomed) >= 6,
            TimeSpan.FromSeconds(60), "A erasing the first batches of the purge", a);
        await a.KillAsync();
        var erasedBeforeKill = await CountAsync("""SELECT COUNT(*) FROM "RecordingTombstones" WHERE "Id" = ANY(@ids)""", doomed);
        output.WriteLine($"{total.Elapsed.TotalSeconds:0.0} s: A killed after erasing {erasedBeforeKill} of {doomed.Count}");
        Assert.True(erasedBeforeKill < doomed.Count, "A finished the whole purge before it was killed: the kill did not land in the job.");

        // B, started again, takes over the job A held once A's claim on it lapses, and finishes it.
        var b2 = Start("B");
        await b2.WaitUntilReadyAsync(TimeSpan.FromSeconds(120));
        await WaitForAsync(async () => await JobStateAsync(job) == "Succeeded", TimeSpan.FromSeconds(90), $"the purge job {job} to be finished by B", b2);
        output.WriteLine($"{total.Elapsed.TotalSeconds:0.0} s: B finished the purge");
        var servers = await ProcessingServersAsync(job);
        Assert.True(servers.Count == 2 && servers[0].Contains($":{a.Pid}:", StringComparison.Ordinal) && servers[1].Contains($":{b2.Pid}:", StringComparison.Ordinal),
            $"The purge job should have been processed by A (pid {a.Pid}) and then B (pid {b2.Pid}); its Processing states name: {string.Join(", ", servers)}");
        await DeletedExactlyOnceAsync([.. expired, .. doomed], kept, keys);
        Succeeded(await CliAsync("A", "audit", "verify"));

        output.WriteLine($"{total.Elapsed.TotalSeconds:0.0} s in all");
    }

    private async Task SharedThroughBAsync(AppInstance a, AppInstance b, string readKey, long id, byte[] audio)
    {
        // B's API, with a read key.
        using var api = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/recordings/{id}");
        api.Headers.Add("X-Api-Key", readKey);
        using var found = await b.Http.SendAsync(api);
        var json = await found.Content.ReadAsStringAsync();
        Assert.True(found.StatusCode == HttpStatusCode.OK, $"B's API on the upload through A: {(int)found.StatusCode} {json}");
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(audio)), JsonDocument.Parse(json).RootElement.GetProperty("sha256").GetString());

        // A sign-in through A's real form; the cookie it sets is good on B only if B reads the same Data Protection keys.
        var cookies = await SignInAsync(a);
        using var withCookie = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = b.Url };
        withCookie.DefaultRequestHeaders.Add("Cookie", string.Join("; ", cookies.Select(c => $"{c.Name}={c.Value}")));
        using (var page = await withCookie.GetAsync($"/recordings/{id}"))
            Assert.True(page.StatusCode == HttpStatusCode.OK, $"B refused A's sign-in cookie on /recordings/{id}: {(int)page.StatusCode} {page.Headers.Location}");
        using (var played = await withCookie.GetAsync($"/api/v1/recordings/{id}/audio"))
        {
            Assert.Equal(HttpStatusCode.OK, played.StatusCode);
            Assert.Equal(audio, await played.Content.ReadAsByteArrayAsync());
        }
        using (var anonymous = await b.Http.GetAsync($"/api/v1/recordings/{id}/audio"))
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        // B's interactive panel in Chromium, with A's cookie: the recordings grid lists the upload.
        if (!File.Exists(BrowserFixture.ChromiumPath))
            throw new InvalidOperationException($"Chromium is not installed at {BrowserFixture.ChromiumPath}: run ./test.sh as root or apt-get install chromium.");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserFixture.ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = b.Url.ToString().TrimEnd('/'), Locale = "pl-PL" });
        context.SetDefaultTimeout(30_000);
        await context.AddCookiesAsync(cookies.Select(c => new Microsoft.Playwright.Cookie { Name = c.Name, Value = c.Value, Url = b.Url.ToString() }));
        var panel = await context.NewPageAsync();
        await panel.GotoAsync("/recordings");
        Assert.DoesNotContain("/account/login", panel.Url, StringComparison.Ordinal);
        await BrowserFixture.WaitInteractiveAsync(panel);
        await panel.Locator($"[data-testid=recording-row][data-recording-id='{id}']").WaitForAsync();
    }

    private static async Task<IReadOnlyList<System.Net.Cookie>> SignInAsync(AppInstance on)
    {
        var jar = new CookieContainer();
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = jar, AllowAutoRedirect = false }) { BaseAddress = on.Url };
        var form = await http.GetStringAsync("/account/login");
        var fields = Regex.Matches(form, "<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")
            .ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
        fields["Input.Email"] = AdminEmail;
        fields["Input.Password"] = Password;
        using var response = await http.PostAsync("/account/login", new FormUrlEncodedContent(fields));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString.Contains("login", StringComparison.Ordinal) != true,
            $"Sign-in on {on.Name} failed: {(int)response.StatusCode} {response.Headers.Location}");
        return jar.GetCookies(on.Url).ToList();
    }

    private async Task StopsGracefullyAsync(AppInstance instance)
    {
        var watch = Stopwatch.StartNew();
        instance.Terminate();
        var answers = new List<string>();
        while (!instance.HasExited && watch.Elapsed < JobsFeature.ShutdownTimeout + TimeSpan.FromSeconds(10))
        {
            try
            {
                using var ready = await instance.Http.GetAsync("/health/ready");
                answers.Add($"{(int)ready.StatusCode} {await ready.Content.ReadAsStringAsync()}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                answers.Add("no answer");
            }
            await Task.Delay(10);
        }
        var exited = await instance.WaitForExitAsync(TimeSpan.FromSeconds(1));
        output.WriteLine($"{instance.Name} after SIGTERM, in {watch.Elapsed.TotalSeconds:0.0} s: {string.Join(" | ", answers.Distinct())}");
        Assert.True(exited && watch.Elapsed < JobsFeature.ShutdownTimeout,
            $"{instance.Name} did not exit within the shutdown timeout ({JobsFeature.ShutdownTimeout.TotalSeconds} s) of a SIGTERM:\n{instance.Log}");
        Assert.True(instance.ExitCode == 0, $"{instance.Name} exited with {instance.ExitCode} after SIGTERM:\n{instance.Log}");
        // While it drains (its jobs stop before Kestrel does) it tells the balancer "stopping", and once it has stopped
        // being ready it never says "ready" again. An idle instance drains in a few hundred milliseconds or less, so the
        // "stopping" answer itself is seen most times, not every time: it is not required here.
        var notReady = answers.FindIndex(x => !x.StartsWith("200 ", StringComparison.Ordinal));
        Assert.All(answers.Skip(notReady < 0 ? answers.Count : notReady), x => Assert.True(
            x == "no answer" || x.StartsWith("503 ", StringComparison.Ordinal) && x.Contains("\"status\":\"stopping\"", StringComparison.Ordinal),
            $"after SIGTERM, once not ready, {instance.Name} answered: {x}"));
    }

    /// <summary>The expected recordings are tombstones with their files gone, each named by exactly one deletion audit entry; the kept ones are untouched.</summary>
    private async Task DeletedExactlyOnceAsync(IReadOnlyCollection<long> deleted, IReadOnlyCollection<long> kept, IReadOnlyDictionary<long, string> keys)
    {
        var remaining = await QueryAsync("""SELECT "Id" FROM "Recordings" """, r => r.GetInt64(0));
        Assert.Equal(kept.Order(), remaining.Order());

        var tombstones = await QueryAsync("""SELECT "Id", "FilesRemovedAt" IS NOT NULL FROM "RecordingTombstones" """, r => (Id: r.GetInt64(0), FilesRemoved: r.GetBoolean(1)));
        Assert.Equal(deleted.Order(), tombstones.Select(t => t.Id).Order());
        Assert.All(tombstones, t => Assert.True(t.FilesRemoved, $"recording {t.Id}: its files are still pending"));

        var audited = (await QueryAsync($"""SELECT "Details" FROM "AuditLog" WHERE "Action" = '{AuditActions.RecordingDeleted}'""", r => r.GetString(0)))
            .SelectMany(d => JsonDocument.Parse(d).RootElement.GetProperty("recordings").EnumerateArray().Select(e => e.GetInt64()))
            .ToList();
        var twice = audited.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(twice.Count == 0, $"audited as deleted more than once: {string.Join(", ", twice)}");
        Assert.Equal(deleted.Order(), audited.Order());

        var blobs = await BlobNamesAsync();
        Assert.All(deleted, id => Assert.DoesNotContain(keys[id], blobs));
        Assert.All(kept, id => Assert.Contains(keys[id], blobs));
    }

    private Dictionary<string, string> Settings(string instance)
    {
        var folder = Path.Combine(root, instance);
        foreach (var sub in new[] { "spool", "incoming", "quarantine" }) Directory.CreateDirectory(Path.Combine(folder, sub));
        var warsaw = TimeZoneInfo.FindSystemTimeZoneById("Europe/Warsaw");
        return new Dictionary<string, string>
        {
            ["Demo__Seed"] = "false",
            ["Database__Provider"] = "PostgreSql",
            ["ConnectionStrings__Default"] = database,
            ["Storage__Provider"] = "AzureBlob",
            ["Storage__AzureBlob__ConnectionString"] = azurite.ConnectionString,
            ["Storage__AzureBlob__Container"] = container,
            ["Ingestion__SpoolPath"] = Path.Combine(folder, "spool"),
            ["Ingestion__StagingPath"] = Path.Combine(folder, "incoming"),
            ["Ingestion__QuarantinePath"] = Path.Combine(folder, "quarantine"),
            ["Retention__DefaultDays"] = "30",
            // The daily run half a day away: the only purges are the ones this test starts.
            ["Retention__PurgeTime"] = TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow.AddHours(12), warsaw).ToString("HH:mm", CultureInfo.InvariantCulture),
            ["Retention__BatchSize"] = "3",
            ["Retention__BatchPauseMs"] = "700",
            // A dead instance's job and its concurrency lock come back within seconds, and idle workers look every second.
            ["Jobs__InvisibilityTimeoutSeconds"] = "4",
            ["Jobs__LockTimeoutSeconds"] = "6",
            ["Jobs__PollIntervalSeconds"] = "1",
        };
    }

    private AppInstance Start(string name)
    {
        var instance = AppInstance.Start(name, Settings(name));
        instances.Add(instance);
        return instance;
    }

    private Task<(int Exit, string Output, string Errors)> CliAsync(string instance, params string[] args) => CliAsync(instance, args, []);

    private Task<(int Exit, string Output, string Errors)> CliAsync(string instance, string[] args, Dictionary<string, string> overrides)
    {
        var settings = Settings(instance);
        foreach (var (key, value) in overrides) settings[key] = value;
        return AppInstance.RunCliAsync(settings, args);
    }

    private static string Succeeded((int Exit, string Output, string Errors) run)
    {
        Assert.True(run.Exit == 0, $"exit {run.Exit}:\n{run.Output}\n{run.Errors}");
        return run.Output;
    }

    /// <summary>"Total: deleted N, kept …" of `retention run`.</summary>
    private static int DeletedCount((int Exit, string Output, string Errors) run)
    {
        var total = Regex.Match(Succeeded(run), @"Total: deleted (\d+)");
        Assert.True(total.Success, $"`retention run` printed no total:\n{run.Output}");
        return int.Parse(total.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static string LastLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];

    private static async Task ListenAsync(AppInstance via, string key, long id)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/recordings/{id}/audio");
        request.Headers.Add("X-Api-Key", key);
        using var response = await via.Http.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"A listen through {via.Name}: {(int)response.StatusCode}");
    }

    private static async Task<long> UploadAsync(AppInstance via, string key, string callId, DateTime startedAtUtc, byte[] audio)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(JsonSerializer.Serialize(new
        {
            callId, startedAt = startedAtUtc.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            callerNumber = "48601234567", calleeNumber = "201", extension = "201", type = "Incoming",
        }), Encoding.UTF8, "application/json"), "metadata");
        var part = new ByteArrayContent(audio);
        part.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        form.Add(part, "audio", $"in-201-48601234567-{callId}.wav");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/recordings") { Content = form };
        request.Headers.Add("X-Api-Key", key);
        using var response = await via.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"upload of {callId} through {via.Name}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetInt64();
    }

    /// <summary>What an administrator's "Trigger now" on the dashboard does: the recurring purge queued once in the shared queue.</summary>
    private string TriggerPurge()
    {
        // Hangfire's logging is process-wide and may still point at the logger factory of a test host disposed earlier.
        Hangfire.Logging.LogProvider.SetCurrentLogProvider(null);
        var options = new PostgreSqlStorageOptions { PrepareSchemaIfNecessary = false };
        var storage = new PostgreSqlStorage(new NpgsqlConnectionFactory(database, options), options);
        return new RecurringJobManager(storage).TriggerJob(RetentionPurgeJob.Id)
            ?? throw new InvalidOperationException($"The recurring job '{RetentionPurgeJob.Id}' is not registered.");
    }

    private async Task<string?> JobStateAsync(string job) =>
        (await QueryAsync($"SELECT statename FROM hangfire.job WHERE id = {long.Parse(job, CultureInfo.InvariantCulture)}", r => r.IsDBNull(0) ? null : r.GetString(0))).SingleOrDefault();

    /// <summary>The Hangfire server ids ("machine:pid:guid") that started processing the job, in order.</summary>
    private async Task<List<string>> ProcessingServersAsync(string job) =>
        (await QueryAsync($"SELECT data::text FROM hangfire.state WHERE jobid = {long.Parse(job, CultureInfo.InvariantCulture)} AND name = 'Processing' ORDER BY id", r => r.GetString(0)))
        .Select(d => JsonDocument.Parse(d).RootElement.GetProperty("ServerId").GetString()!).ToList();

    private async Task<Dictionary<long, string>> StorageKeysAsync() =>
        (await QueryAsync("""SELECT "Id", "StorageKey" FROM "Recordings" """, r => (r.GetInt64(0), r.GetString(1)))).ToDictionary(x => x.Item1, x => x.Item2);

    private async Task<HashSet<string>> BlobNamesAsync()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var blob in azurite.NewContainerClient(container).GetBlobsAsync()) names.Add(blob.Name);
        return names;
    }

    private async Task<long> CountAsync(string sql, IReadOnlyCollection<long> ids) =>
        (await QueryAsync(sql, r => r.GetInt64(0), ids)).Single();

    private async Task<List<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> read, IReadOnlyCollection<long>? ids = null)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        if (ids is not null) command.Parameters.AddWithValue("ids", ids.ToArray());
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync()) rows.Add(read(reader));
        return rows;
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, AppInstance watched)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watched.HasExited) throw new Xunit.Sdk.XunitException($"Instance {watched.Name} exited ({watched.ExitCode}) while waiting for {what}:\n{watched.Log}");
            if (watch.Elapsed > timeout) throw new Xunit.Sdk.XunitException($"Waited {timeout.TotalSeconds} s for {what}, in vain. Instance {watched.Name}:\n{watched.Log}");
            await Task.Delay(20);
        }
    }
}
