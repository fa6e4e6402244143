using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Tests.Features.Recordings;

/// <summary>One known set of calls, searched through GET /api/v1/recordings exactly as an integration would.</summary>
public sealed class SearchApiTests(SearchApiTests.Calls app) : IClassFixture<SearchApiTests.Calls>
{
    public sealed class Calls : AppFactory
    {
        public List<Recording> All { get; } = [];

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            var start = new DateTime(2026, 11, 1, 7, 0, 0, DateTimeKind.Utc);
            string[] callers = ["48601234567", "+48 22 765 43 21", "0048512345678", "601 999 888", "201", "anonymous"];
            for (var i = 0; i < 36; i++)
            {
                var type = (CallType)(i % 5);
                var r = TestData.Recording(
                    startedAt: start.AddHours(i * 7), caller: callers[i % callers.Length], callee: i % 3 == 0 ? "202" : "48587654321",
                    extension: i % 4 == 0 ? null : $"20{i % 4}", type: type, durationSeconds: 10 + (i * 37 % 400), sizeBytes: 1000 + (i * 7919 % 5000));
                if (i == 5) r.LinkedId = "1794000000.77";
                if (i == 7) r.Cases.Add(new RecordingCase { CaseNumber = "REK-2026/0113", AddedAt = start });
                if (type == CallType.Incoming) r.Did = i % 2 == 0 ? "221234500" : "+48 58 765 43 21";
                All.Add(r);
            }
            await WithDbAsync(async db => { db.Recordings.AddRange(All); await db.SaveChangesAsync(); });
        }
    }

    private readonly HttpClient client = app.ClientAs(Roles.ComplaintHandler);

    private async Task<JsonElement> SearchAsync(string query)
    {
        var response = await client.GetAsync("/api/v1/recordings?" + query);
        Assert.True(response.IsSuccessStatusCode, $"{query} → {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private async Task<List<long>> IdsAsync(string query) =>
        (await SearchAsync(query + "&pageSize=200")).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()).ToList();

    private List<long> Expected(Func<Recording, bool> where) =>
        app.All.Where(where).OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id).Select(r => r.Id).ToList();

    [Fact]
    public async Task The_number_the_caller_dialled_is_in_the_JSON_and_filters_the_search()
    {
        var ids = await IdsAsync("did=221234500");
        Assert.Equal(Expected(r => r.Did == "221234500"), ids);
        Assert.NotEmpty(ids);
        Assert.Equal(Expected(r => r.Did == "+48 58 765 43 21"), await IdsAsync("did=" + Uri.EscapeDataString("+48 58 765 43 21")));
        var items = (await SearchAsync("pageSize=200")).GetProperty("items").EnumerateArray().ToList();
        Assert.All(items, i => Assert.Equal(app.All.Single(r => r.Id == i.GetProperty("id").GetInt64()).Did,
            i.GetProperty("did").ValueKind == JsonValueKind.Null ? null : i.GetProperty("did").GetString()));
        Assert.Contains(items, i => i.GetProperty("did").ValueKind == JsonValueKind.Null);
    }

    [Theory]
    [InlineData("601234567")]
    [InlineData("+48 601-234-567")]
    [InlineData("0048601234567")]
    [InlineData("601 234 567")]
    [InlineData("(601) 234")]
    public async Task A_number_in_any_style_finds_the_same_calls(string typed)
    {
        var ids = await IdsAsync("number=" + Uri.EscapeDataString(typed));
        Assert.Equal(Expected(r => r.CallerDigits == "48601234567"), ids);
    }

    [Theory]
    [InlineData("76")]   // 2 digits: plain scan
    [InlineData("5")]    // 1 digit
    [InlineData("765")]  // 3 digits: trigram index
    [InlineData("9998")]
    public async Task Fragments_of_any_length_match_caller_or_callee(string fragment)
    {
        var ids = await IdsAsync("number=" + fragment);
        var expected = Expected(r => r.CallerDigits.Contains(fragment) || r.CalleeDigits.Contains(fragment));
        Assert.NotEmpty(expected);
        Assert.Equal(expected, ids);
    }

    [Fact]
    public async Task Each_filter_narrows_and_they_combine()
    {
        Assert.Equal(Expected(r => r.Extension == "201"), await IdsAsync("extension=201"));
        Assert.Equal(Expected(r => r.Type is CallType.Queue or CallType.Ivr), await IdsAsync("type=Queue&type=ivr"));
        Assert.Equal(Expected(r => r.Type is CallType.Queue or CallType.Ivr), await IdsAsync("type=Queue,Ivr"));
        Assert.Equal(Expected(r => r.DurationMs >= 100_000), await IdsAsync("minDuration=100"));
        Assert.Equal(Expected(r => r.DurationMs < 51_000), await IdsAsync("maxDuration=50"));
        Assert.Equal(Expected(r => r.Id == app.All[5].Id), await IdsAsync("callId=1794000000.77"));
        Assert.Equal(Expected(r => r.Id == app.All[9].Id), await IdsAsync("callId=" + app.All[9].CallId));
        Assert.Equal(Expected(r => r.Id == app.All[7].Id), await IdsAsync("case=" + Uri.EscapeDataString("REK-2026/0113")));

        var from = new DateTime(2026, 11, 3, 0, 0, 0, DateTimeKind.Utc);
        var to = new DateTime(2026, 11, 6, 12, 0, 0, DateTimeKind.Utc);
        Assert.Equal(Expected(r => r.StartedAt >= from && r.StartedAt < to), await IdsAsync("from=2026-11-03T00:00:00Z&to=2026-11-06T12:00:00Z"));
        Assert.Equal(Expected(r => r.StartedAt >= from && r.StartedAt < to && r.Extension == "202" && r.DurationMs >= 60_000),
            await IdsAsync("from=2026-11-03T00:00:00Z&to=2026-11-06T12:00:00Z&extension=202&minDuration=60"));
    }

    [Fact]
    public async Task Dates_without_an_offset_are_office_time_and_a_date_only_to_includes_its_day()
    {
        // 2026-11-03 in Warsaw (UTC+1) runs from 2026-11-02T23:00Z to 2026-11-03T23:00Z.
        var from = new DateTime(2026, 11, 2, 23, 0, 0, DateTimeKind.Utc);
        var to = new DateTime(2026, 11, 3, 23, 0, 0, DateTimeKind.Utc);
        var expected = Expected(r => r.StartedAt >= from && r.StartedAt < to);
        Assert.NotEmpty(expected);
        Assert.Equal(expected, await IdsAsync("from=2026-11-03&to=2026-11-03"));
        Assert.Equal(expected, await IdsAsync("from=2026-11-03T00:00:00&to=2026-11-04T00:00:00"));
    }

    [Theory]
    [InlineData("startedAt")]
    [InlineData("-startedAt")]
    [InlineData("duration")]
    [InlineData("-duration")]
    [InlineData("caller")]
    [InlineData("-caller")]
    [InlineData("callee")]
    [InlineData("-callee")]
    [InlineData("extension")]
    [InlineData("-extension")]
    [InlineData("size")]
    [InlineData("-size")]
    public async Task Every_sort_pages_through_all_calls_in_order_without_gaps_or_repeats(string sort)
    {
        var seen = new List<long>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await SearchAsync($"sort={sort}&pageSize=7" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            Assert.Equal(36, page.GetProperty("total").GetInt32());
            Assert.False(page.GetProperty("totalIsEstimate").GetBoolean());
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        } while (cursor is not null);

        Assert.Equal(6, pages);
        var descending = sort.StartsWith('-');
        Func<Recording, object?> key = sort.TrimStart('-') switch
        {
            "startedAt" => r => r.StartedAt, "duration" => r => r.DurationMs, "caller" => r => r.CallerDigits,
            "callee" => r => r.CalleeDigits, "extension" => r => r.Extension, _ => r => r.SizeBytes,
        };
        var comparer = Comparer<object?>.Create((a, b) => a is string || b is string ? string.CompareOrdinal((string?)a, (string?)b) : Comparer<object>.Default.Compare(a!, b!));
        var expected = (descending
            ? app.All.OrderByDescending(key, comparer).ThenByDescending(r => r.Id)
            : app.All.OrderBy(key, comparer).ThenBy(r => r.Id)).Select(r => r.Id).ToList();
        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task The_json_uses_the_contract_names()
    {
        var r = app.All[7];
        var item = (await SearchAsync("callId=" + r.CallId)).GetProperty("items")[0];
        var names = item.EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Equal(new HashSet<string> { "id", "callId", "startedAt", "durationSeconds", "callerNumber", "calleeNumber", "did", "extension", "userName",
            "team", "type", "sizeBytes", "format", "channels", "sha256", "caseNumbers", "tags", "legalHold", "retainUntil" }, names);
        Assert.EndsWith("Z", item.GetProperty("startedAt").GetString());
        Assert.Equal(r.StartedAt, item.GetProperty("startedAt").GetDateTime().ToUniversalTime());
        Assert.Equal(r.Type.ToString(), item.GetProperty("type").GetString());
        Assert.Equal(r.DurationMs / 1000.0, item.GetProperty("durationSeconds").GetDouble());
        Assert.Equal("REK-2026/0113", item.GetProperty("caseNumbers")[0].GetString());

        var one = await client.GetFromJsonAsync<JsonElement>($"/api/v1/recordings/{r.Id}");
        Assert.Equal(item.GetRawText(), one.GetRawText());
    }

    [Theory]
    [InlineData("from=yesterday", "from")]
    [InlineData("from=0001-01-01", "from")]
    [InlineData("to=9999-12-31", "to")]
    [InlineData("to=9999-12-31T23:59:59Z", "to")]
    [InlineData("preset=day&from=0001-01-01", "from")]
    [InlineData("preset=fortnight", "preset")]
    [InlineData("number=601&number=602", "number")]
    [InlineData("from=2026-11-05&to=2026-11-01", "to")]
    [InlineData("type=Fax", "type")]
    [InlineData("type=3", "type")]
    [InlineData("minDuration=-5", "minDuration")]
    [InlineData("minDuration=abc", "minDuration")]
    [InlineData("minDuration=60&maxDuration=30", "maxDuration")]
    [InlineData("sort=colour", "sort")]
    [InlineData("pageSize=500", "pageSize")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("number=abc", "number")]
    [InlineData("numbr=601", "numbr")]
    public async Task Bad_values_get_a_problem_naming_the_field(string query, string field)
    {
        var response = await client.GetAsync("/api/v1/recordings?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), problem.GetRawText());
        Assert.False(string.IsNullOrWhiteSpace(messages[0].GetString()));
    }

    [Fact]
    public async Task A_cursor_from_another_sort_is_refused()
    {
        var cursor = (await SearchAsync("sort=duration&pageSize=5")).GetProperty("nextCursor").GetString();
        var response = await client.GetAsync("/api/v1/recordings?sort=size&cursor=" + Uri.EscapeDataString(cursor!));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task An_unknown_recording_is_a_404_problem()
    {
        var response = await client.GetAsync("/api/v1/recordings/999999");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Counts_stop_at_ten_thousand_and_say_so()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NagrywanieRozmow.Data.AppDbContext>();
        // 10 050 rows (one call repeated): the cap is applied in SQL and reported as an estimate.
        var (total, estimate) = await RecordingSearch.CountAsync(
            db.Recordings.FromSqlRaw("WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 10050) SELECT r.* FROM Recordings r, c WHERE r.Id = (SELECT MIN(Id) FROM Recordings)"),
            CancellationToken.None);
        Assert.Equal((RecordingSearch.CountCap, true), (total, estimate));
    }
}
