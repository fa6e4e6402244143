// Measures GET /api/v1/recordings as a client sees it (real HTTP against a running panel, signed in through the real
// form) for a fixed query mix, and beside each figure the same query done the obvious way (LIKE '%…%', OFFSET, COUNT(*))
// straight on the same database (SQLite, or PostgreSQL with --pg), as a ratio.
// Usage: dotnet bench/SearchBench/bin/Release/net10.0/SearchBench.dll --url http://127.0.0.1:5090 --email E --password P
//        (--db /tmp/nr-bench/app.db | --pg "Host=…;Database=…;Username=…") [--iterations 30] [--naive-iterations 5]
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

var options = ParseArgs(args);
var baseUrl = new Uri(options.GetValueOrDefault("url", "http://127.0.0.1:5090"));
var iterations = int.Parse(options.GetValueOrDefault("iterations", "30"));
var naiveIterations = int.Parse(options.GetValueOrDefault("naive-iterations", "5"));
using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = baseUrl, Timeout = TimeSpan.FromMinutes(5) };
// The same SQL on both: quoted identifiers, @parameters; only times differ (SQLite: UTC ticks, PostgreSQL: timestamptz).
var postgres = options.ContainsKey("pg");
await using DbConnection db = postgres ? new NpgsqlConnection(options["pg"]) : new SqliteConnection($"Data Source={options["db"]};Mode=ReadOnly");
await db.OpenAsync();

await NagrywanieRozmow.Bench.PanelSignIn.SignInAsync(http, options["email"], options["password"]);

// The query's parameters come from the data itself, so the numbers measure what a user would really type.
var rows = Scalar<long>(db, "SELECT COUNT(*) FROM \"Recordings\"");
// SQLite: the app stores times as UTC ticks (see AppDbContext's DateTime converter).
var newest = postgres ? DateTime.SpecifyKind(Scalar<DateTime>(db, "SELECT MAX(\"StartedAt\") FROM \"Recordings\""), DateTimeKind.Utc)
    : new DateTime(Scalar<long>(db, "SELECT MAX(\"StartedAt\") FROM \"Recordings\""), DateTimeKind.Utc);
var extension = Scalar<string>(db, "SELECT \"Extension\" FROM \"Recordings\" WHERE \"Extension\" IS NOT NULL ORDER BY \"Id\" DESC LIMIT 1");
var callId = Scalar<string>(db, $"SELECT \"CallId\" FROM \"Recordings\" WHERE \"Id\" = {rows / 2}") ?? Scalar<string>(db, "SELECT \"CallId\" FROM \"Recordings\" LIMIT 1");
var fragments = PickFragments(db);

var cases = new List<Case> { new("no filter", new()) };
foreach (var (length, rare, common) in fragments)
{
    cases.Add(new($"number, {length} digits, rare ({rare})", new() { ["number"] = rare }));
    cases.Add(new($"number, {length} digits, common ({common})", new() { ["number"] = common }));
}
var from = newest.AddDays(-7);
cases.Add(new($"extension {extension} + last 7 days", new() { ["extension"] = extension, ["from"] = Iso(from), ["to"] = Iso(newest.AddSeconds(1)) }));
cases.Add(new("type Queue + at least 5 min", new() { ["type"] = "Queue", ["minDuration"] = "300" }));
cases.Add(new($"call id ({callId})", new() { ["callId"] = callId }));

var all = cases.SelectMany(c => new[] { c with { Sort = "-startedAt" }, c with { Sort = "-duration" } }).ToList();
all.Add(new("no filter, page 200 by cursor", new(), "-startedAt", 200));
all.Add(new("no filter, page 200 by cursor", new(), "-duration", 200));

var report = new StringBuilder();
report.AppendLine($"| query | sort | p50 ms | p95 ms | max ms | matches | obvious way p50 ms | obvious p95 ms | ratio (p50) |");
report.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
Console.WriteLine($"# {rows} recordings; fragments picked from the data: {string.Join(", ", fragments.Select(f => $"{f.Length}: rare {f.Rare} / common {f.Common}"))}");
foreach (var c in all)
{
    var path = await PathAsync(http, c);
    for (var i = 0; i < 3; i++) await GetAsync(http, path);   // warm-up: JIT, SQLite page cache
    var times = new List<double>();
    JsonDocument? last = null;
    for (var i = 0; i < iterations; i++)
    {
        var watch = Stopwatch.StartNew();
        last = await GetAsync(http, path);
        times.Add(watch.Elapsed.TotalMilliseconds);
    }
    var root = last!.RootElement;
    var total = root.GetProperty("total").GetInt64() + (root.GetProperty("totalIsEstimate").GetBoolean() ? "+" : "");
    var naive = Naive(db, postgres, c, naiveIterations);
    var (p50, p95, max) = Stats(times);
    var line = $"| {c.Name} | {(c.Sort == "-duration" ? "duration" : "date")} | {p50:0.0} | {p95:0.0} | {max:0.0} | {total} | {naive.P50:0.0} | {naive.P95:0.0} | {naive.P50 / p50:0.0}× |";
    Console.WriteLine(line);
    report.AppendLine(line);
}
Console.WriteLine();
Console.WriteLine(report);

// ---------------------------------------------------------------------------------------------------------------------

// The API's path for a case: page 1 directly; page N by walking N-1 cursors first (not timed), as a user paging would.
static async Task<string> PathAsync(HttpClient http, Case c)
{
    var query = string.Join("&", c.Filter.Select(f => $"{f.Key}={Uri.EscapeDataString(f.Value)}").Append("pageSize=50").Append($"sort={c.Sort}"));
    var path = "/api/v1/recordings?" + query;
    for (var page = 1; page < c.Page; page++)
    {
        var cursor = (await GetAsync(http, path)).RootElement.GetProperty("nextCursor").GetString()
            ?? throw new InvalidOperationException($"{c.Name}: fewer than {c.Page} pages.");
        path = $"/api/v1/recordings?{query}&cursor={Uri.EscapeDataString(cursor)}";
    }
    return path;
}

// The obvious way: substring LIKE on both numbers, ORDER BY … LIMIT 50 OFFSET (page-1)*50, and a COUNT(*) of all matches
// for "page N of M", as a panel written without the trigram index, keyset cursors and capped counts would do.
static (double P50, double P95) Naive(DbConnection db, bool postgres, Case c, int iterations)
{
    var where = new List<string>();
    var parameters = new Dictionary<string, object>();
    foreach (var (key, value) in c.Filter)
    {
        switch (key)
        {
            case "number": where.Add("(\"CallerDigits\" LIKE '%' || @number || '%' OR \"CalleeDigits\" LIKE '%' || @number || '%')"); parameters["number"] = value; break;
            case "extension": where.Add("\"Extension\" = @extension"); parameters["extension"] = value; break;
            case "from": where.Add("\"StartedAt\" >= @from"); parameters["from"] = Time(value, postgres); break;
            case "to": where.Add("\"StartedAt\" < @to"); parameters["to"] = Time(value, postgres); break;
            // The queue calls' type as the database stores it (the benchmark filters type=Queue).
            case "type": where.Add("\"Type\" = (SELECT \"Type\" FROM \"Recordings\" WHERE \"Queue\" IS NOT NULL LIMIT 1)"); break;
            case "minDuration": where.Add("\"DurationMs\" >= @min"); parameters["min"] = int.Parse(value) * 1000; break;
            case "callId": where.Add("(\"CallId\" = @callId OR \"LinkedId\" = @callId)"); parameters["callId"] = value; break;
        }
    }
    var clause = where.Count == 0 ? "" : " WHERE " + string.Join(" AND ", where);
    var order = c.Sort == "-duration" ? "\"DurationMs\" DESC, \"Id\" DESC" : "\"StartedAt\" DESC, \"Id\" DESC";
    var page = $"SELECT * FROM \"Recordings\"{clause} ORDER BY {order} LIMIT 50 OFFSET {(c.Page - 1) * 50}";
    var count = $"SELECT COUNT(*) FROM \"Recordings\"{clause}";
    var times = new List<double>();
    for (var i = 0; i < iterations + 1; i++)
    {
        var watch = Stopwatch.StartNew();
        foreach (var sql in new[] { page, count })
        {
            using var command = db.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = value;
                command.Parameters.Add(parameter);
            }
            using var reader = command.ExecuteReader();
            while (reader.Read()) { }
        }
        if (i > 0) times.Add(watch.Elapsed.TotalMilliseconds);   // the first run warms the page cache
    }
    var (p50, p95, _) = Stats(times);
    return (p50, p95);
}

// For 2, 3, 5 and 9 digits: a fragment found in few recordings and one found in many, from the numbers of a sample of
// rows. Common: the most frequent fragment among the sample's; rare: one that occurs once in the sample.
static List<(int Length, string Rare, string Common)> PickFragments(DbConnection db)
{
    var numbers = new List<string>();
    using (var command = db.CreateCommand())
    {
        command.CommandText = "SELECT \"CallerDigits\", \"CalleeDigits\" FROM \"Recordings\" WHERE \"Id\" % 97 = 0 ORDER BY \"Id\" LIMIT 5000";
        using var reader = command.ExecuteReader();
        while (reader.Read())
            foreach (var i in new[] { 0, 1 })
                if (!reader.IsDBNull(i) && reader.GetString(i).Length >= 9) numbers.Add(reader.GetString(i));
    }
    var result = new List<(int, string, string)>();
    foreach (var length in new[] { 2, 3, 5, 9 })
    {
        var counts = numbers.SelectMany(n => Enumerable.Range(0, n.Length - length + 1).Select(i => n.Substring(i, length)).Distinct())
            .GroupBy(f => f).Select(g => (Fragment: g.Key, Count: g.Count())).OrderBy(g => g.Count).ThenBy(g => g.Fragment, StringComparer.Ordinal).ToList();
        // Rare: the least frequent fragment of the sample that is still in the data more than once in a while
        // (a 2-digit fragment is never rare in phone numbers; it is the least common one).
        result.Add((length, counts[counts.Count / 20].Fragment, counts[^1].Fragment));
    }
    return result;
}

static (double P50, double P95, double Max) Stats(List<double> times)
{
    times.Sort();
    return (times[times.Count / 2], times[Math.Min(times.Count - 1, (int)Math.Ceiling(times.Count * 0.95) - 1)], times[^1]);
}

static T Scalar<T>(DbConnection db, string sql)
{
    using var command = db.CreateCommand();
    command.CommandText = sql;
    var value = command.ExecuteScalar()!;
    // SQLite keeps a value's own type (a numeric-looking call id may be stored as an integer).
    if (value is DBNull) return default!;
    return typeof(T) == typeof(string) ? (T)(object)Convert.ToString(value, CultureInfo.InvariantCulture)! : (T)Convert.ChangeType(value, typeof(T), CultureInfo.InvariantCulture);
}

static object Time(string iso, bool postgres)
{
    var utc = DateTime.SpecifyKind(DateTime.Parse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal), DateTimeKind.Utc);
    return postgres ? utc : utc.Ticks;
}

static string Iso(DateTime utc) => utc.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

static async Task<JsonDocument> GetAsync(HttpClient http, string path)
{
    using var response = await http.GetAsync(path);
    var body = await response.Content.ReadAsStringAsync();
    if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{path} → {(int)response.StatusCode}: {body}");
    return JsonDocument.Parse(body);
}

static Dictionary<string, string> ParseArgs(string[] args)
{
    var result = new Dictionary<string, string>();
    for (var i = 0; i + 1 < args.Length; i += 2) result[args[i].TrimStart('-')] = args[i + 1];
    foreach (var required in new[] { "email", "password" })
        if (!result.ContainsKey(required)) throw new ArgumentException($"--{required} is required.");
    if (result.ContainsKey("db") == result.ContainsKey("pg")) throw new ArgumentException("Give either --db (SQLite file) or --pg (PostgreSQL connection string).");
    return result;
}

internal sealed record Case(string Name, Dictionary<string, string> Filter, string Sort = "-startedAt", int Page = 1);
