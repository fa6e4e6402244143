// Measures GET /api/v1/recordings as a client sees it: real HTTP against a running panel, signed in through the real form.
// Usage: dotnet run -c Release --project bench/SearchBench -- --url http://127.0.0.1:5090 --email E --password P [--iterations 30]
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

var options = ParseArgs(args);
var baseUrl = new Uri(options.GetValueOrDefault("url", "http://127.0.0.1:5090"));
var iterations = int.Parse(options.GetValueOrDefault("iterations", "30"));
using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = baseUrl };

await SignInAsync(http, options["email"], options["password"]);

// Fragments come from the data itself, so the numbers measure what a user would really type.
var newest = await GetAsync(http, "/api/v1/recordings?pageSize=1");
var sample = newest.RootElement.GetProperty("items")[0];
var digits = new string(sample.GetProperty("callerNumber").GetString()!.Where(char.IsAsciiDigit).ToArray());
if (digits.Length < 9) digits = new string(sample.GetProperty("calleeNumber").GetString()!.Where(char.IsAsciiDigit).ToArray());
var extension = sample.GetProperty("extension").GetString() ?? "201";
var to = sample.GetProperty("startedAt").GetDateTime();
var from = to.AddDays(-7);
var cursor = (await GetAsync(http, "/api/v1/recordings?pageSize=50")).RootElement.GetProperty("nextCursor").GetString();

var cases = new (string Name, string Path)[]
{
    ("first page, no filter", "/api/v1/recordings?pageSize=50"),
    ("second page (keyset cursor)", $"/api/v1/recordings?pageSize=50&cursor={Uri.EscapeDataString(cursor ?? "")}"),
    ($"number fragment, 2 digits ({digits[^2..]})", $"/api/v1/recordings?pageSize=50&number={digits[^2..]}"),
    ($"number fragment, 3 digits ({digits[^3..]})", $"/api/v1/recordings?pageSize=50&number={digits[^3..]}"),
    ($"number fragment, 7 digits ({digits[^7..]})", $"/api/v1/recordings?pageSize=50&number={digits[^7..]}"),
    ($"extension {extension} + 7-day range", $"/api/v1/recordings?pageSize=50&extension={extension}&from={from:yyyy-MM-ddTHH:mm:ssZ}&to={to:yyyy-MM-ddTHH:mm:ssZ}"),
    ("sorted by duration (longest first)", "/api/v1/recordings?pageSize=50&sort=-duration"),
    ("type Queue + min 5 min, sorted by size", "/api/v1/recordings?pageSize=50&type=Queue&minDuration=300&sort=-size"),
};

Console.WriteLine($"{"query",-45} {"p50 ms",8} {"p95 ms",8} {"max ms",8} {"items",6} {"total",8}");
foreach (var (name, path) in cases)
{
    for (var i = 0; i < 3; i++) await GetAsync(http, path);   // warm-up: JIT, SQLite page cache
    var times = new List<double>();
    JsonDocument? last = null;
    for (var i = 0; i < iterations; i++)
    {
        var watch = Stopwatch.StartNew();
        last = await GetAsync(http, path);
        times.Add(watch.Elapsed.TotalMilliseconds);
    }
    times.Sort();
    var root = last!.RootElement;
    var total = root.GetProperty("total").GetInt64() + (root.GetProperty("totalIsEstimate").GetBoolean() ? "+" : "");
    Console.WriteLine($"{name,-45} {times[times.Count / 2],8:0.0} {times[(int)(times.Count * 0.95)],8:0.0} {times[^1],8:0.0} {root.GetProperty("items").GetArrayLength(),6} {total,8}");
}

static async Task<JsonDocument> GetAsync(HttpClient http, string path)
{
    using var response = await http.GetAsync(path);
    var body = await response.Content.ReadAsStringAsync();
    if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{path} → {(int)response.StatusCode}: {body}");
    return JsonDocument.Parse(body);
}

static async Task SignInAsync(HttpClient http, string email, string password)
{
    var form = await http.GetStringAsync("/account/login");
    var fields = Regex.Matches(form, "<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")
        .ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
    fields["Input.Email"] = email;
    fields["Input.Password"] = password;
    using var response = await http.PostAsync("/account/login", new FormUrlEncodedContent(fields));
    if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.OriginalString.Contains("login") == true)
        throw new InvalidOperationException($"Sign-in as {email} failed ({(int)response.StatusCode}).");
}

static Dictionary<string, string> ParseArgs(string[] args)
{
    var result = new Dictionary<string, string>();
    for (var i = 0; i + 1 < args.Length; i += 2) result[args[i].TrimStart('-')] = args[i + 1];
    foreach (var required in new[] { "email", "password" })
        if (!result.ContainsKey(required)) throw new ArgumentException($"--{required} is required.");
    return result;
}
