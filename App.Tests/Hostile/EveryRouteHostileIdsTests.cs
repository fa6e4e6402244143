using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Tests.Features.Access;
using Xunit.Abstractions;

namespace NagrywanieRozmow.Tests.Hostile;

/// <summary>
/// Every route the app maps with an id in it (found from the endpoint data source, so a new route is attacked the day it
/// is mapped), called with another team's recording, negative, zero, huge, overflowing and non-numeric ids by each kind of
/// caller; and the search with hostile query strings and tampered cursors. Never a 500, never another team's data, and an
/// API refusal is problem+json.
/// </summary>
public sealed partial class EveryRouteHostileIdsTests(EveryRouteHostileIdsTests.Teams app, ITestOutputHelper output) : IClassFixture<EveryRouteHostileIdsTests.Teams>
{
    public sealed class Teams : AppFactory
    {
        /// <summary>Team Reklamacje, extension 201: inside every team-scoped caller's scope.</summary>
        public Recording Mine { get; private set; } = default!;

        /// <summary>Team Sprzedaż, extension 209, with numbers no other row has: outside every team-scoped caller's scope.</summary>
        public Recording Other { get; private set; } = default!;

        public Dictionary<string, HttpClient> Clients { get; } = [];

        /// <summary>The callers limited to team Reklamacje or extension 201, for whom <see cref="Other"/> must not exist.</summary>
        public static readonly string[] Scoped = ["team quality manager", "team read key", "agent with own recordings"];

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            Mine = await TestData.AddWithAudioAsync(this, TestData.Recording(team: "Reklamacje", extension: "201", durationSeconds: 1));
            Other = await TestData.AddWithAudioAsync(this, TestData.Recording(team: "Sprzedaż", extension: "209", caller: "48229990417",
                callee: "209", userName: "Zofia Sprzedażowa", callId: "1794999999.417", durationSeconds: 1));
            Clients["team quality manager"] = ClientAs(Roles.QualityManager, team: "Reklamacje", email: "qm@example.com");
            Clients["team read key"] = await KeyClientAsync(ApiKeyScopes.Read, team: "Reklamacje");
            Clients["agent with own recordings"] = ClientAs(Roles.Agent, team: "Reklamacje", ownExtension: "201", email: "agent@example.com");
            Clients["administrator"] = ClientAs(Roles.Administrator, email: "admin@example.com");
            Clients["compliance"] = ClientAs(Roles.Compliance, email: "compliance@example.com");
            Clients["deleter"] = ClientAs(Roles.ComplaintHandler, email: "deleter@example.com", mayDelete: true);
        }
    }

    /// <summary>
    /// Ids no recording has, and ids that are not ids at all (overflowing a long, not numbers). Not "%00": Kestrel refuses a
    /// path with a NUL itself (400) before the app sees it, and the test server cannot even build such a request. Not "..":
    /// the path is normalised to another route.
    /// </summary>
    private static readonly string[] HostileIds =
        ["-1", "0", "-9223372036854775808", "9223372036854775807", "2147483648", "9223372036854775808", "99999999999999999999",
         "abc", "1e3", "0x10", "1.5", "%20", "١", "1%2F2", "null", "1;2"];

    /// <summary>An id that could exist but does not: what a team-scoped caller must get for another team's call.</summary>
    private const string Missing = "987654321";

    private static bool IsIdParameter(string parameter) =>
        parameter.Contains(":long") || parameter.Contains(":int") || parameter.Contains("id", StringComparison.OrdinalIgnoreCase);

    /// <summary>The path of <paramref name="pattern"/> with the <paramref name="which"/>-th id parameter set to <paramref name="id"/>, the others to harmless values.</summary>
    private static string PathOf(string pattern, int which, string id)
    {
        var index = 0;
        return Parameter().Replace(pattern, m =>
        {
            if (!IsIdParameter(m.Value)) return m.Value.StartsWith("{**") ? "REK-2026%2F0113" : "x";
            return index++ == which ? id : Missing;
        });
    }

    private static readonly HashSet<string> PagesWithNotFound = ["recording-not-found", "evaluation-not-found", "scorecard-not-found", "sample-not-found", "collection-not-found"];

    private async Task<string?> CheckAsync(string client, string method, string path, bool expectMissing)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT" or "DELETE")
            request.Content = new StringContent("""{"case":"REK-2026/0113","tag":"x","reason":"test","text":"x","atMs":0}""", Encoding.UTF8, "application/json");
        HttpResponseMessage response;
        try
        {
            response = await app.Clients[client].SendAsync(request);
        }
        catch (Exception ex)
        {
            return $"threw {ex.GetType().Name}: {ex.Message.Split('\n')[0]}";
        }
        using (response)
        {
            var status = (int)response.StatusCode;
            var body = await response.Content.ReadAsStringAsync();
            if (status >= 500) return $"answered {status}";
            if (body.Contains(app.Other.CallId) || body.Contains(app.Other.CallerDigits) || body.Contains(app.Other.UserName!))
                return $"answered {status} with the other team's call in the body";
            var isApi = path.StartsWith("/api/", StringComparison.Ordinal);
            if (isApi && status >= 400)
            {
                if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                    return $"answered {status} as '{response.Content.Headers.ContentType?.MediaType}', not problem+json";
                using var problem = JsonDocument.Parse(body);
                if (!problem.RootElement.TryGetProperty("status", out var s) || s.GetInt32() != status) return $"answered {status} with a problem of another status";
            }
            if (expectMissing)
            {
                if (isApi && status is >= 200 and < 300) return $"answered {status} for a recording that does not exist for this caller";
                if (!isApi && status == 200 && !PagesWithNotFound.Any(body.Contains)
                    && path.Contains("/recordings/", StringComparison.Ordinal))
                    return "showed a recording page for a recording that does not exist for this caller";
            }
            return null;
        }
    }

    [Fact]
    public async Task Every_route_with_an_id_refuses_hostile_ids_and_other_teams_calls_clearly_and_the_call_is_untouched()
    {
        var routes = EveryRouteTests.Routes(app)
            .Where(r => Parameter().Matches(r.Pattern).Any(m => IsIdParameter(m.Value)))
            .ToList();
        var failures = new List<string>();
        var requests = 0;
        foreach (var (method, pattern) in routes)
        {
            var ids = Parameter().Matches(pattern).Count(m => IsIdParameter(m.Value));
            var isPage = !pattern.StartsWith("/api/", StringComparison.Ordinal);
            var clients = isPage ? ["team quality manager", "administrator"] : app.Clients.Keys.ToArray();
            for (var which = 0; which < ids; which++)
            {
                foreach (var client in clients)
                {
                    foreach (var id in HostileIds)
                    {
                        requests++;
                        if (await CheckAsync(client, method, PathOf(pattern, which, id), expectMissing: true) is { } problem)
                            failures.Add($"{method} {pattern} [{id}] as {client}: {problem}");
                    }
                }
            }
            // Another team's recording, for the callers limited to a team or an extension: the same answer as no recording.
            if (!pattern.Contains("recordings/{id:long}", StringComparison.OrdinalIgnoreCase)) continue;
            foreach (var client in Teams.Scoped)
            {
                requests += 2;
                var otherPath = PathOf(pattern, 0, app.Other.Id.ToString());
                var missing = PathOf(pattern, 0, Missing);
                if (await CheckAsync(client, method, otherPath, expectMissing: true) is { } problem)
                    failures.Add($"{method} {pattern} [other team's {app.Other.Id}] as {client}: {problem}");
                var (a, b) = (await StatusAsync(client, method, otherPath), await StatusAsync(client, method, missing));
                if (a != b) failures.Add($"{method} {pattern} as {client}: another team's call answers {a}, a missing one {b}");
            }
        }
        output.WriteLine($"{routes.Count} routes with ids, {requests} requests, {failures.Count} failures");
        foreach (var failure in failures) output.WriteLine(failure);
        Assert.True(routes.Count >= 15, $"only {routes.Count} routes with ids found");

        var other = await app.WithDbAsync(db => db.Recordings.AsNoTracking().Include(r => r.Cases).SingleOrDefaultAsync(r => r.Id == app.Other.Id));
        Assert.True(other is not null, "the other team's call was deleted");
        Assert.Empty(other.Cases);
        Assert.True(failures.Count == 0, $"{failures.Count} failures:\n" + string.Join("\n", failures.Take(60)));
    }

    private async Task<HttpStatusCode> StatusAsync(string client, string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT" or "DELETE")
            request.Content = new StringContent("""{"case":"REK-2026/0113","tag":"x","reason":"test","text":"x","atMs":0}""", Encoding.UTF8, "application/json");
        using var response = await app.Clients[client].SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Cursors as an attacker or a broken client sends them, and query strings of any text.</summary>
    private IEnumerable<string> HostileSearches(string realCursor)
    {
        var random = new Random(Hostile.CorpusSeed);
        static string Url(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        yield return $"cursor={realCursor}";
        yield return $"cursor={realCursor[..(realCursor.Length / 2)]}";
        yield return $"cursor={realCursor}&sort=duration";
        yield return $"cursor={realCursor}AAAA";
        yield return $"cursor={realCursor.Replace(realCursor[5], realCursor[5] == 'A' ? 'B' : 'A')}";
        foreach (var (sort, value) in new[] { ("-startedAt", "-1"), ("-startedAt", "3155378976000000000"), ("startedAt", "9223372036854775807"),
                     ("-duration", "2147483648"), ("duration", "-2147483649"), ("size", "99999999999999999999"), ("caller", "'; DROP TABLE Recordings;--") })
        {
            yield return $"sort={sort}&cursor={Url($$"""{"S":"{{sort}}","V":"{{value}}","I":1}""")}";
        }
        yield return $"cursor={Url("""{"S":"-startedAt","V":"638000000000000000","I":-5}""")}";
        yield return $"cursor={Url("""{"S":"-startedAt","V":"638000000000000000","I":9223372036854775808}""")}";
        yield return $"cursor={Url("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[")}";
        yield return $"cursor={Url("null")}";
        yield return "cursor=%FF%FE";
        yield return "cursor=====";
        for (var i = 0; i < 20; i++)
        {
            var bytes = new byte[random.Next(1, 80)];
            random.NextBytes(bytes);
            yield return $"cursor={Uri.EscapeDataString(Convert.ToBase64String(bytes))}";
        }
        string[] fields = ["from", "to", "number", "extension", "type", "minDuration", "maxDuration", "callId", "case", "sort", "pageSize", "page", "preset", "junk"];
        string[] values = ["-1", "0", "99999999999999999999", "1e3", "9999-12-31", "0001-01-01T00:00:00%2B14:00", "2026-13-45", "%00", "%FF", "Incoming,,Bogus",
            "-", "--startedAt", "today", "day", "%27%22%3C%3E", "%E2%80%AE", "201", "2147483648"];
        for (var i = 0; i < 60; i++)
        {
            var parts = Enumerable.Range(0, random.Next(1, 4)).Select(_ => $"{fields[random.Next(fields.Length)]}={values[random.Next(values.Length)]}");
            yield return string.Join("&", parts);
        }
    }

    [Fact]
    public async Task Hostile_search_query_strings_and_cursors_give_a_page_or_a_problem_naming_the_field()
    {
        var client = app.Clients["team quality manager"];
        using var first = await client.GetAsync("/api/v1/recordings?pageSize=1&sort=-startedAt");
        first.EnsureSuccessStatusCode();
        using var page = JsonDocument.Parse(await first.Content.ReadAsStringAsync());
        var cursor = page.RootElement.GetProperty("nextCursor").GetString() ?? KeysetCursor.Encode(RecordingSort.Default, DateTime.UtcNow, 1);
        var failures = new List<string>();
        var count = 0;
        foreach (var query in HostileSearches(cursor))
        {
            count++;
            foreach (var path in new[] { $"/api/v1/recordings?{query}", $"/recordings?{query}" })
            {
                try
                {
                    using var response = await client.GetAsync(path);
                    var body = await response.Content.ReadAsStringAsync();
                    var status = (int)response.StatusCode;
                    if (body.Contains(app.Other.CallId)) failures.Add($"{path}: the other team's call in the answer");
                    if (path.StartsWith("/recordings", StringComparison.Ordinal))
                    {
                        if (status != 200) failures.Add($"{path}: the panel answered {status}");
                        continue;
                    }
                    if (status == 200) continue;
                    if (status != 400 || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                    {
                        failures.Add($"{path}: answered {status} {response.Content.Headers.ContentType?.MediaType}");
                        continue;
                    }
                    using var problem = JsonDocument.Parse(body);
                    var named = problem.RootElement.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
                    var asked = query.Split('&').Select(p => p.Split('=')[0]).ToList();
                    if (named.Count == 0 || named.Any(n => !asked.Contains(n, StringComparer.OrdinalIgnoreCase) && n is not ("from" or "to")))
                        failures.Add($"{path}: the problem names [{string.Join(",", named)}], not the fields asked [{string.Join(",", asked)}]");
                }
                catch (Exception ex)
                {
                    failures.Add($"{path}: threw {ex.GetType().Name}: {ex.Message.Split('\n')[0]}");
                }
            }
        }
        output.WriteLine($"{count} hostile searches (seed {Hostile.CorpusSeed}), {failures.Count} failures");
        Assert.True(failures.Count == 0, $"{failures.Count} failures:\n" + string.Join("\n", failures.Take(60)));
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();
}
