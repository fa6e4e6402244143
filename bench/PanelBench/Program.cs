// What one person's panel costs the server: (1) time to first audio byte of a long and a typical recording, from the start
// and after a seek (range request); (2) the server's resident memory with N open recordings grids, one Blazor circuit each,
// driven by Debian's Chromium. Real HTTP against a running panel, signed in through the real form.
// Usage: dotnet bench/PanelBench/bin/Release/net10.0/PanelBench.dll --url http://127.0.0.1:5093 --email E --password P --pid SERVER_PID
//        --long-call CALLID --short-call CALLID [--circuits 50] [--iterations 30] [--settle-seconds 10] [--hold-seconds 0]
//        [--path /]  (another page instead of the recordings grid, e.g. /forbidden: what a circuit costs without the grid)
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Playwright;

var options = ParseArgs(args);
var baseUrl = new Uri(options["url"]);
var serverPid = int.Parse(options["pid"]);
var circuits = int.Parse(options.GetValueOrDefault("circuits", "50"));
var iterations = int.Parse(options.GetValueOrDefault("iterations", "30"));
var settle = TimeSpan.FromSeconds(int.Parse(options.GetValueOrDefault("settle-seconds", "10")));
var hold = TimeSpan.FromSeconds(int.Parse(options.GetValueOrDefault("hold-seconds", "0")));
var path = options.GetValueOrDefault("path", "/");

// Memory first, on a server that has served nothing else yet.
var idle = Rss.Read(serverPid);
// A closed connection after every request (no drain): each timed request pays the same loopback connect.
using var http = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false, MaxResponseDrainSize = 0 })
    { BaseAddress = baseUrl };
await NagrywanieRozmow.Bench.PanelSignIn.SignInAsync(http, options["email"], options["password"]);
var longCall = await FindAsync(http, options["long-call"]);
var shortCall = await FindAsync(http, options["short-call"]);
var signedIn = Rss.Read(serverPid);

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
{
    ExecutablePath = "/usr/bin/chromium",
    Headless = true,
    Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--mute-audio"],
});
var state = await BrowserSignInAsync(browser, baseUrl, options["email"], options["password"]);

// One panel opened and closed first: code loaded and compiled once (JIT, Razor, MudBlazor) is not a circuit's cost.
var warm = await OpenPanelAsync(browser, baseUrl, state, path);
await ClosePanelAsync(warm);
await Task.Delay(settle);
var baseline = Rss.Read(serverPid);

var open = new List<IBrowserContext>();
var openWatch = Stopwatch.StartNew();
for (var i = 0; i < circuits; i++) open.Add(await OpenPanelAsync(browser, baseUrl, state, path));
var openSeconds = openWatch.Elapsed.TotalSeconds;
var withAll = Rss.Read(serverPid);
await Task.Delay(settle);
var withAllSettled = Rss.Read(serverPid);
if (hold > TimeSpan.Zero)
{
    Console.Error.WriteLine($"holding {circuits} circuits open for {hold.TotalSeconds:0} s (server pid {serverPid})");
    await Task.Delay(hold);
}
foreach (var context in open) await ClosePanelAsync(context);
var closed = Rss.Read(serverPid);
await Task.Delay(settle);
var closedSettled = Rss.Read(serverPid);

Console.WriteLine($"## server memory (VmRSS of pid {serverPid}; anon = RssAnon, mostly the GC heap), {circuits} circuits of {path}");
Console.WriteLine($"{"moment",-58} {"RSS MB",8} {"anon MB",8}");
void Row(string name, Rss r) => Console.WriteLine($"{name,-58} {r.TotalMb,8:0.0} {r.AnonMb,8:0.0}");
Row("idle after start", idle);
Row("after sign-in (HTTP form) and two API calls", signedIn);
Row($"after one panel opened and closed, +{settle.TotalSeconds:0} s (baseline)", baseline);
Row($"{circuits} panels open (grid rows shown), at once", withAll);
Row($"{circuits} panels open, +{settle.TotalSeconds:0} s", withAllSettled);
Row($"all closed, at once", closed);
Row($"all closed, +{settle.TotalSeconds:0} s", closedSettled);
Console.WriteLine($"opening {circuits} panels one after another took {openSeconds:0.0} s ({openSeconds / circuits * 1000:0} ms each)");
Console.WriteLine($"MB per idle circuit, (open − baseline) / {circuits}: {(withAll.TotalMb - baseline.TotalMb) / circuits:0.00} at once, " +
    $"{(withAllSettled.TotalMb - baseline.TotalMb) / circuits:0.00} after {settle.TotalSeconds:0} s");
Console.WriteLine($"MB per idle circuit, (open − after sign-in) / {circuits}: {(withAll.TotalMb - signedIn.TotalMb) / circuits:0.00} at once, " +
    $"{(withAllSettled.TotalMb - signedIn.TotalMb) / circuits:0.00} after {settle.TotalSeconds:0} s");
Console.WriteLine();

Console.WriteLine($"## time to first audio byte, GET /api/v1/recordings/{{id}}/audio, {iterations} runs after 3 warm-up runs (new connection each)");
Console.WriteLine($"{"request",-62} {"status",6} {"p50 ms",8} {"p95 ms",8} {"max ms",8}");
await MeasureAsync($"60-min recording ({longCall.Size / 1e6:0.0} MB), from the start", longCall.Id, null, HttpStatusCode.OK);
await MeasureAsync($"60-min recording, seek: Range bytes={longCall.Size / 2}-", longCall.Id, $"bytes={longCall.Size / 2}-", HttpStatusCode.PartialContent);
await MeasureAsync($"3-min recording ({shortCall.Size / 1e6:0.00} MB), from the start", shortCall.Id, null, HttpStatusCode.OK);
await MeasureAsync($"3-min recording, seek: Range bytes={shortCall.Size / 2}-", shortCall.Id, $"bytes={shortCall.Size / 2}-", HttpStatusCode.PartialContent);
Console.WriteLine($"RSS after the audio runs: {Rss.Read(serverPid).TotalMb:0.0} MB");
return 0;

async Task MeasureAsync(string name, long id, string? range, HttpStatusCode expected)
{
    for (var i = 0; i < 3; i++) await FirstByteAsync(http, id, range, expected);
    var times = new List<double>();
    for (var i = 0; i < iterations; i++) times.Add(await FirstByteAsync(http, id, range, expected));
    times.Sort();
    Console.WriteLine($"{name,-62} {(int)expected,6} {times[times.Count / 2],8:0.00} {times[(int)(times.Count * 0.95)],8:0.00} {times[^1],8:0.00}");
}

static async Task<double> FirstByteAsync(HttpClient http, long id, string? range, HttpStatusCode expected)
{
    using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/recordings/{id}/audio");
    if (range is not null) request.Headers.TryAddWithoutValidation("Range", range);
    var watch = Stopwatch.StartNew();
    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    await using var body = await response.Content.ReadAsStreamAsync();
    var first = new byte[1];
    var read = await body.ReadAsync(first);
    var elapsed = watch.Elapsed.TotalMilliseconds;
    if (response.StatusCode != expected || read != 1)
        throw new InvalidOperationException($"audio of {id} ({range ?? "no range"}) → {(int)response.StatusCode}, {read} byte(s); expected {(int)expected}");
    return elapsed;
}

static async Task<(long Id, long Size)> FindAsync(HttpClient http, string callId)
{
    var path = $"/api/v1/recordings?pageSize=1&callId={Uri.EscapeDataString(callId)}";
    using var response = await http.GetAsync(path);
    var body = await response.Content.ReadAsStringAsync();
    if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{path} → {(int)response.StatusCode}: {body}");
    var items = JsonDocument.Parse(body).RootElement.GetProperty("items");
    if (items.GetArrayLength() == 0) throw new InvalidOperationException($"No recording with call id {callId}: was it ingested?");
    return (items[0].GetProperty("id").GetInt64(), items[0].GetProperty("sizeBytes").GetInt64());
}

// Signs in through the form on a page that never becomes a panel (the form is static), and hands its cookies on.
static async Task<string> BrowserSignInAsync(IBrowser browser, Uri baseUrl, string email, string password)
{
    await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl.ToString() });
    var page = await context.NewPageAsync();
    // Stop at the redirect after the form: the panel itself is opened (and counted) later.
    await page.RouteAsync(url => !url.Contains("/account/"), route => route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "text/html", Body = "<p>signed in</p>" }));
    await page.GotoAsync("/account/login?returnUrl=%2F");
    await page.GetByTestId("login-email").FillAsync(email);
    await page.GetByTestId("login-password").FillAsync(password);
    await page.GetByTestId("login-submit").ClickAsync();
    await page.WaitForURLAsync(url => !url.Contains("/account/login"));
    var check = await context.APIRequest.GetAsync("/api/v1/recordings?pageSize=1");
    if (check.Status != 200) throw new InvalidOperationException($"The browser is not signed in: the API answers {check.Status}.");
    return await context.StorageStateAsync();
}

// Each panel gets its own browser context (own cookies copied from the sign-in) and so its own circuit.
static async Task<IBrowserContext> OpenPanelAsync(IBrowser browser, Uri baseUrl, string state, string path)
{
    var context = await browser.NewContextAsync(new BrowserNewContextOptions
    {
        BaseURL = baseUrl.ToString(), StorageState = state, ViewportSize = new ViewportSize { Width = 1366, Height = 850 },
        Locale = "pl-PL", TimezoneId = "Europe/Warsaw",
    });
    context.SetDefaultTimeout(60_000);
    var page = await context.NewPageAsync();
    await page.GotoAsync(path);
    if (page.Url.Contains("/account/login")) throw new InvalidOperationException("The panel sent the browser back to the sign-in page.");
    await page.Locator("[data-interactive=true]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
    if (path == "/") await page.Locator("[data-testid=recording-row]").First.WaitForAsync();
    return context;
}

// As a person closing the tab: unload handlers run, so Blazor tells the server the circuit is gone.
static async Task ClosePanelAsync(IBrowserContext context)
{
    foreach (var page in context.Pages.ToList()) await page.CloseAsync(new PageCloseOptions { RunBeforeUnload = true });
    await context.CloseAsync();
}

static Dictionary<string, string> ParseArgs(string[] args)
{
    var result = new Dictionary<string, string>();
    for (var i = 0; i + 1 < args.Length; i += 2) result[args[i].TrimStart('-')] = args[i + 1];
    foreach (var required in new[] { "url", "email", "password", "pid", "long-call", "short-call" })
        if (!result.ContainsKey(required)) throw new ArgumentException($"--{required} is required.");
    return result;
}

internal readonly record struct Rss(double TotalMb, double AnonMb)
{
    public static Rss Read(int pid)
    {
        double Field(string[] lines, string name) =>
            int.Parse(lines.First(l => l.StartsWith(name + ":", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
        var lines = File.ReadAllLines($"/proc/{pid}/status");
        return new Rss(Field(lines, "VmRSS"), Field(lines, "RssAnon"));
    }
}
