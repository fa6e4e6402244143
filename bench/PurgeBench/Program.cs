// The retention purge at scale, as the panel's users feel it: search latency through the real API before and while
// `retention run` erases the expired recordings of a large database.
// Usage: dotnet PurgeBench.dll --url http://127.0.0.1:5091 --email E --password P --app /path/App.dll [--iterations 40]
using System.Diagnostics;
using System.Net;
using System.Text.Json;

var options = new Dictionary<string, string>();
for (var i = 0; i + 1 < args.Length; i += 2) options[args[i].TrimStart('-')] = args[i + 1];
var iterations = int.Parse(options.GetValueOrDefault("iterations", "40"));
using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
{
    BaseAddress = new Uri(options.GetValueOrDefault("url", "http://127.0.0.1:5091")),
};
await NagrywanieRozmow.Bench.PanelSignIn.SignInAsync(http, options["email"], options["password"]);

static string DigitsOf(JsonElement r, string field) => new(r.GetProperty(field).GetString()!.Where(char.IsAsciiDigit).ToArray());
static string LongestOf(JsonElement r) => new[] { DigitsOf(r, "callerNumber"), DigitsOf(r, "calleeNumber") }.MaxBy(d => d.Length)!;
// The newest call with an outside number (an internal call's numbers are extensions, too short for a 7-digit fragment).
var sample = (await GetAsync(http, "/api/v1/recordings?pageSize=50")).RootElement.GetProperty("items").EnumerateArray().First(r => LongestOf(r).Length >= 7);
var digits = LongestOf(sample);
var to = sample.GetProperty("startedAt").GetDateTime();
var cases = new (string Name, string Path)[]
{
    ("first page, no filter", "/api/v1/recordings?pageSize=50"),
    ($"number fragment, 7 digits", $"/api/v1/recordings?pageSize=50&number={digits[^7..]}"),
    ("extension + 7-day range", $"/api/v1/recordings?pageSize=50&extension={sample.GetProperty("extension").GetString()}&from={to.AddDays(-7):yyyy-MM-ddTHH:mm:ssZ}&to={to:yyyy-MM-ddTHH:mm:ssZ}"),
};

Console.WriteLine("## search latency before the purge");
Print(await MeasureAsync(() => false, iterations));

var purge = Process.Start(new ProcessStartInfo("dotnet", [options["app"], "retention", "run"])
{
    RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(options["app"])!,
})!;
var output = purge.StandardOutput.ReadToEndAsync();
var errors = purge.StandardError.ReadToEndAsync();
var watch = Stopwatch.StartNew();
Console.WriteLine("## search latency while `retention run` runs (searches repeat until it ends)");
Print(await MeasureAsync(() => purge.HasExited, int.MaxValue));
await purge.WaitForExitAsync();
Console.WriteLine($"## retention run: exit {purge.ExitCode}, wall time {watch.Elapsed.TotalSeconds:0.0} s (process start included)");
Console.WriteLine((await output).TrimEnd());
if ((await errors).Length > 0) Console.WriteLine((await errors).TrimEnd());

Console.WriteLine("## search latency after the purge");
Print(await MeasureAsync(() => false, iterations));

async Task<List<(string Name, List<double> Times)>> MeasureAsync(Func<bool> stop, int rounds)
{
    var results = cases.Select(c => (c.Name, Times: new List<double>())).ToList();
    for (var round = 0; round < rounds && !stop(); round++)
        for (var i = 0; i < cases.Length; i++)
        {
            var w = Stopwatch.StartNew();
            await GetAsync(http, cases[i].Path);
            results[i].Times.Add(w.Elapsed.TotalMilliseconds);
        }
    return results;
}

static void Print(List<(string Name, List<double> Times)> results)
{
    Console.WriteLine($"{"query",-32} {"n",5} {"p50 ms",8} {"p95 ms",8} {"max ms",8}");
    foreach (var (name, times) in results)
    {
        if (times.Count == 0) continue;
        times.Sort();
        Console.WriteLine($"{name,-32} {times.Count,5} {times[times.Count / 2],8:0.0} {times[(int)(times.Count * 0.95)],8:0.0} {times[^1],8:0.0}");
    }
}

static async Task<JsonDocument> GetAsync(HttpClient http, string path)
{
    using var response = await http.GetAsync(path);
    var body = await response.Content.ReadAsStringAsync();
    if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{path} → {(int)response.StatusCode}: {body}");
    return JsonDocument.Parse(body);
}

