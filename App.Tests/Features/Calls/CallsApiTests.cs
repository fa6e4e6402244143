using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Features.Calls;
using NagrywanieRozmow.Features.Ingestion;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Features.Retention;
using static NagrywanieRozmow.Tests.Features.Calls.CallBuilderTests;

namespace NagrywanieRozmow.Tests.Features.Calls;

/// <summary>The call-history API on SQLite.</summary>
public sealed class CallsApiTests(CallsApiScenarios.History app) : CallsApiScenarios(app), IClassFixture<CallsApiScenarios.History>;

/// <summary>The same scenarios on PostgreSQL (a cluster of its own): LIKE through the GIN trigram indexes, its NULL order, its updates.</summary>
public sealed class PostgreSqlCallsApiTests(PostgreSqlCallsApiTests.OnPostgreSql app) : CallsApiScenarios(app), IClassFixture<PostgreSqlCallsApiTests.OnPostgreSql>
{
    public sealed class OnPostgreSql : History
    {
        private readonly NagrywanieRozmow.Tests.Fixtures.PostgreSqlServer cluster = new();
        private string connectionString = "";

        protected override (NagrywanieRozmow.Data.DatabaseProvider Provider, string ConnectionString) Database => (NagrywanieRozmow.Data.DatabaseProvider.PostgreSql, connectionString);

        public override async Task InitializeAsync()
        {
            await cluster.InitializeAsync();
            connectionString = await cluster.CreateDatabaseAsync();
            await base.InitializeAsync();
        }

        private bool stopped;

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            if (stopped) return;
            stopped = true;
            await cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_scenarios_run_on_PostgreSQL()
    {
        Assert.Equal("Npgsql.EntityFrameworkCore.PostgreSQL", await app.WithDbAsync(db => Task.FromResult(db.Database.ProviderName)));
        Assert.Equal(8, await app.WithDbAsync(db => db.Calls.CountAsync(c => c.LinkedId.StartsWith("10"))));
    }
}

/// <summary>A known CDR (recorded, unanswered, deleted by retention, quarantined, pending, not recorded), searched through GET /api/v1/calls.</summary>
public abstract class CallsApiScenarios(CallsApiScenarios.History app)
{
    public class History : AppFactory
    {
        public long RecordedId { get; private set; }
        public long QueueRecordingId { get; private set; }
        public DateTime DeletedAt { get; private set; }

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            var justNow = DateTime.UtcNow.AddMinutes(-2);
            await WithDbAsync(async db =>
            {
                db.Directory.AddRange(
                    new DirectoryEntry { Extension = "301", DisplayName = "Anna Kowalska", Team = "Reklamacje" },
                    new DirectoryEntry { Extension = "302", DisplayName = "Piotr Nowak", Team = "Sprzedaż" });
                db.CdrRecords.AddRange(
                    Row("100.1", "100.1", 0, "601234567", "221234500", "from-trunk", "PJSIP/301-00000001", "ANSWERED", 70, 58),
                    Row("101.1", "101.1", 600, "601234567", "221234500", "from-trunk", "PJSIP/301-00000002", "NO ANSWER", 30, 0),
                    Row("102.1", "102.1", 1200, "512345678", "221234500", "from-trunk", "PJSIP/301-00000003", "ANSWERED", 50, 40),
                    Row("103.1", "103.1", 1800, "301", "0587654321", "from-internal", "SIP/trunk-00000004", "ANSWERED", 20, 15),
                    Row("104.1", "104.1", 2400, "601234567", "221234500", "from-trunk", "PJSIP/301-00000005", "ANSWERED", 30, 25),
                    Row("106.1", "106.1", 3600, "227654321", "400", "ext-queues", "Local/302@from-queue-00000001;1", "ANSWERED", 90, 80),
                    Row("106.1", "106.2", 3602, "227654321", "302", "from-queue", "PJSIP/302-00000006", "ANSWERED", 85, 80),
                    Row("107.1", "107.1", 4200, "227654321", "400", "ext-queues", "", "ANSWERED", 40, 38),
                    Row("107.1", "107.2", 4201, "227654321", "302", "from-queue", "PJSIP/302-00000007", "NO ANSWER", 30, 0));
                var pending = Row("105.1", "105.1", 0, "601234567", "221234500", "from-trunk", "PJSIP/301-00000008", "ANSWERED", 30, 25);
                pending.StartedAt = justNow;
                db.CdrRecords.Add(pending);
                db.IngestedFiles.Add(new IngestedFile
                {
                    SourcePath = "/spool/2026/11/14/in-221234500-601234567-20261114-104000-104.1.wav", Outcome = IngestOutcome.Rejected,
                    Problem = RejectKind.Truncated, Reason = "truncated", ProcessedAt = new DateTime(2026, 11, 14, 9, 41, 0, DateTimeKind.Utc),
                });
                await db.SaveChangesAsync();
            });
            await Services.GetRequiredService<CallSummaries>().CatchUpAsync();

            var recorded = await TestData.AddAsync(this, TestData.Recording(startedAt: new DateTime(2026, 11, 14, 9, 0, 0, DateTimeKind.Utc), callId: "100.1"));
            var queue = await TestData.AddAsync(this, TestData.Recording(startedAt: new DateTime(2026, 11, 14, 10, 0, 0, DateTimeKind.Utc), callId: "106.2",
                extension: "302", team: "Sprzedaż", type: CallType.Queue));
            await WithDbAsync(async db => { await db.Recordings.Where(r => r.Id == queue.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.LinkedId, "106.1")); });
            var doomed = await TestData.AddAsync(this, TestData.Recording(startedAt: new DateTime(2026, 11, 14, 9, 20, 0, DateTimeKind.Utc), callId: "102.1"));
            var erased = await Services.GetRequiredService<RecordingEraser>().EraseAsync([new Erasure(doomed.Id, "domyślna: 90 dni")], ErasureCause.Retention, RetentionPurgeJob.Actor);
            (RecordedId, QueueRecordingId, DeletedAt) = (recorded.Id, queue.Id, erased.Erased.Single().DeletedAt);

            // As the ingestion does: each recording's arrival is in the audit log, which the call history follows.
            var audit = Services.GetRequiredService<AuditLog>();
            foreach (var id in new[] { recorded.Id, queue.Id })
                await audit.AppendAsync("system (ingestion)", AuditActions.Ingest, AuditOutcomes.Success, id);
            await WaitForAsync(async () => await WithDbAsync(db => db.Calls.CountAsync(c => c.HasRecording)) == 2);
        }

        private static async Task WaitForAsync(Func<Task<bool>> condition)
        {
            var until = DateTime.UtcNow.AddSeconds(15);
            while (!await condition())
            {
                if (DateTime.UtcNow > until) throw new TimeoutException("the calls' recording flags were not set from the audit log");
                await Task.Delay(50);
            }
        }
    }

    private readonly HttpClient handler = app.ClientAs(Roles.ComplaintHandler);

    private static async Task<JsonElement> GetAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.True(response.IsSuccessStatusCode, $"{url} → {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<Dictionary<string, JsonElement>> CallsAsync(string query = "", HttpClient? client = null) =>
        (await GetAsync(client ?? handler, "/api/v1/calls?pageSize=200&" + query)).GetProperty("items").EnumerateArray()
            .ToDictionary(i => i.GetProperty("linkedid").GetString()!);

    private static string? Text(JsonElement e, string name) => e.GetProperty(name).ValueKind == JsonValueKind.Null ? null : e.GetProperty(name).GetString();

    [Fact]
    public async Task Every_call_of_the_CDR_is_one_row_recorded_or_not_with_why_a_recording_is_missing()
    {
        var calls = await CallsAsync();
        Assert.Equal(["105.1", "107.1", "106.1", "104.1", "103.1", "102.1", "101.1", "100.1"], calls.Keys.Where(k => k != "900.1" && k != "950.1"));

        Assert.Equal(app.RecordedId, calls["100.1"].GetProperty("recordingId").GetInt64());
        Assert.Null(Text(calls["100.1"], "noRecordingReason"));
        Assert.Equal(("Answered", "301", "Anna Kowalska", "Reklamacje"),
            (Text(calls["100.1"], "disposition"), Text(calls["100.1"], "extension"), Text(calls["100.1"], "userName"), Text(calls["100.1"], "team")));
        Assert.Equal((12, 58), (calls["100.1"].GetProperty("ringSeconds").GetInt32(), calls["100.1"].GetProperty("talkSeconds").GetInt32()));
        Assert.Equal("221234500", Text(calls["100.1"], "did"));

        Assert.Equal(("NoAnswer", "NotAnswered"), (Text(calls["101.1"], "disposition"), Text(calls["101.1"], "noRecordingReason")));
        Assert.Equal("DeletedByRetention", Text(calls["102.1"], "noRecordingReason"));
        Assert.Equal("domyślna: 90 dni", Text(calls["102.1"], "deletedRule"));
        Assert.Equal(app.DeletedAt, calls["102.1"].GetProperty("deletedAt").GetDateTime(), TimeSpan.FromSeconds(1));
        Assert.Equal(("Outgoing", "NotRecorded"), (Text(calls["103.1"], "type"), Text(calls["103.1"], "noRecordingReason")));
        Assert.Equal("Quarantined", Text(calls["104.1"], "noRecordingReason"));
        Assert.Equal("Pending", Text(calls["105.1"], "noRecordingReason"));
        // A queued call's recording is linked through its leg (uniqueid 106.2, linkedid 106.1).
        Assert.Equal(app.QueueRecordingId, calls["106.1"].GetProperty("recordingId").GetInt64());
        Assert.Equal(("Queue", "Answered", "302"), (Text(calls["106.1"], "type"), Text(calls["106.1"], "disposition"), Text(calls["106.1"], "extension")));
        Assert.Equal(("Queue", "NoAnswer", "NotAnswered"), (Text(calls["107.1"], "type"), Text(calls["107.1"], "disposition"), Text(calls["107.1"], "noRecordingReason")));
        Assert.False(calls["100.1"].TryGetProperty("legs", out _));
    }

    [Fact]
    public async Task Disposition_recorded_and_the_recordings_filters_narrow_the_history()
    {
        Assert.Equal(["107.1", "101.1"], (await CallsAsync("disposition=NoAnswer")).Keys.Where(k => k != "900.1"));
        Assert.Equal(["107.1", "101.1"], (await CallsAsync("disposition=missed")).Keys.Where(k => k != "900.1" && k != "950.1"));
        Assert.Equal(["106.1", "100.1"], (await CallsAsync("recorded=true")).Keys);
        Assert.DoesNotContain("100.1", (await CallsAsync("recorded=false")).Keys);
        Assert.Contains("101.1", (await CallsAsync("recorded=false")).Keys);
        Assert.Equal(["107.1", "106.1"], (await CallsAsync("type=Queue")).Keys);
        Assert.Equal(["104.1", "101.1", "100.1"], (await CallsAsync("number=601234&from=2026-11-14&to=2026-11-14")).Keys);
        // Another order than the date's: the trigram index answers instead of the walk down the date index.
        Assert.Equal(["100.1", "104.1", "101.1"], (await CallsAsync("number=601234&from=2026-11-14&to=2026-11-14&sort=-talk")).Keys);
        Assert.Equal(["107.1", "106.1", "103.1"], (await CallsAsync("number=7654&sort=-ring")).Keys);
        Assert.Equal(["100.1"], (await CallsAsync("callId=100.1")).Keys);
        Assert.Equal(["103.1"], (await CallsAsync("extension=301&type=Outgoing")).Keys);
        Assert.Equal(["106.1", "100.1"], (await CallsAsync("minDuration=50&from=2026-11-01")).Keys);
    }

    [Fact]
    public async Task Bad_values_are_a_validation_problem_naming_the_field()
    {
        var response = await handler.GetAsync("/api/v1/calls?disposition=Maybe&recorded=perhaps&sort=size&colour=red");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "disposition", "recorded", "sort", "colour" }) Assert.True(errors.TryGetProperty(field, out _), field);
    }

    [Theory]
    [InlineData("-startedAt")]
    [InlineData("startedAt")]
    [InlineData("talk")]
    [InlineData("-ring")]
    [InlineData("caller")]
    [InlineData("-callee")]
    [InlineData("extension")]
    [InlineData("-did")]
    [InlineData("disposition")]
    [InlineData("type")]
    public async Task A_cursor_walks_every_call_once_in_any_sort(string sort)
    {
        var all = (await GetAsync(handler, $"/api/v1/calls?pageSize=200&sort={sort}&to=2026-12-01")).GetProperty("items").EnumerateArray()
            .Select(i => i.GetProperty("linkedid").GetString()).ToList();
        var walked = new List<string?>();
        string? cursor = null;
        do
        {
            var page = await GetAsync(handler, $"/api/v1/calls?pageSize=3&sort={sort}&to=2026-12-01" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            walked.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("linkedid").GetString()));
            cursor = page.GetProperty("nextCursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("nextCursor").GetString();
        } while (cursor is not null);
        Assert.True(all.Count >= 7);
        Assert.Equal(all, walked);
    }

    [Fact]
    public async Task One_call_shows_its_legs_and_an_unknown_one_is_404()
    {
        var call = await GetAsync(handler, "/api/v1/calls/106.1");
        var legs = call.GetProperty("legs").EnumerateArray().ToList();
        Assert.Equal(["106.1", "106.2"], legs.Select(l => l.GetProperty("uniqueid").GetString()));
        Assert.Equal("302", Text(legs[1], "answeredBy"));
        Assert.Equal(HttpStatusCode.NotFound, (await handler.GetAsync("/api/v1/calls/999.9")).StatusCode);
    }

    [Fact]
    public async Task Scope_follows_the_recordings_rules()
    {
        var manager = await CallsAsync(client: app.ClientAs(Roles.QualityManager, team: "Sprzedaż"));
        Assert.Equal(["106.1"], manager.Keys);
        var agent = await CallsAsync(client: app.ClientAs(Roles.Agent, ownExtension: "301"));
        Assert.Equal(["105.1", "104.1", "103.1", "102.1", "100.1"], agent.Keys.Where(k => k != "950.1"));
        Assert.Equal(HttpStatusCode.NotFound, (await app.ClientAs(Roles.QualityManager, team: "Sprzedaż").GetAsync("/api/v1/calls/100.1")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientAs(Roles.Agent).GetAsync("/api/v1/calls")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.AnonymousClient().GetAsync("/api/v1/calls")).StatusCode);
        var key = await app.KeyClientAsync(ApiKeyScopes.Read, team: "Reklamacje");
        Assert.DoesNotContain("106.1", (await CallsAsync(client: key)).Keys);
        Assert.Contains("100.1", (await CallsAsync(client: key)).Keys);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.KeyClientAsync(ApiKeyScopes.Ingest)).GetAsync("/api/v1/calls")).StatusCode);
    }

    [Fact]
    public async Task A_search_is_audited_once_with_its_filters_and_paging_is_not()
    {
        var client = app.ClientAs(Roles.ComplaintHandler, email: "audit-calls@example.com");
        var first = await GetAsync(client, "/api/v1/calls?pageSize=1&disposition=missed&number=2");
        await GetAsync(client, "/api/v1/calls?pageSize=1&disposition=missed&number=2&cursor=" + Uri.EscapeDataString(first.GetProperty("nextCursor").GetString()!));
        var entries = await app.WithDbAsync(db => db.AuditLog.AsNoTracking().Where(a => a.Actor == "audit-calls@example.com").ToListAsync());
        var entry = Assert.Single(entries);
        Assert.Equal(AuditActions.CallSearch, entry.Action);
        Assert.Contains("\"number\":\"2\"", entry.Details);
        Assert.Contains("NoAnswer", entry.Details);
    }

    [Fact]
    public async Task The_retention_purge_deletes_call_records_older_than_CallRecordDays()
    {
        var old = DateTime.UtcNow.AddDays(-400);
        await app.WithDbAsync(async db =>
        {
            var row = Row("900.1", "900.1", 0, "48111222333", "221234500", "from-trunk", "", "NO ANSWER", 10, 0);
            row.StartedAt = old;
            db.CdrRecords.Add(row);
            await db.SaveChangesAsync();
        });
        await app.Services.GetRequiredService<CallSummaries>().CatchUpAsync();
        Assert.Contains("900.1", (await CallsAsync()).Keys);

        var report = await app.Services.GetRequiredService<RetentionPurgeJob>().PurgeAsync(dryRun: false);

        Assert.Contains(report.Others, o => o.Name == "call records" && o.Deleted >= 1);
        Assert.DoesNotContain("900.1", (await CallsAsync()).Keys);
        Assert.False(await app.WithDbAsync(db => db.CdrRecords.AnyAsync(c => c.LinkedId == "900.1")));
        Assert.True(await app.WithDbAsync(db => db.CdrRecords.AnyAsync(c => c.LinkedId == "101.1")));
    }

    [Fact]
    public async Task A_data_subject_erasure_masks_the_number_in_the_call_history()
    {
        await app.WithDbAsync(async db =>
        {
            db.CdrRecords.Add(Row("950.1", "950.1", 5000, "700800900", "221234500", "from-trunk", "PJSIP/301-00000099", "ANSWERED", 20, 15));
            await db.SaveChangesAsync();
        });
        await app.Services.GetRequiredService<CallSummaries>().CatchUpAsync();
        Assert.Contains("950.1", (await CallsAsync("number=700800900")).Keys);

        var requests = app.Services.GetRequiredService<SubjectRequests>();
        await requests.EraseAsync(await requests.FindAsync("700800900"), "RODO/1", new AuditActor("compliance@example.com", null));

        Assert.Empty(await CallsAsync("number=700800900"));
        var call = (await CallsAsync("callId=950.1"))["950.1"];
        Assert.DoesNotContain("700800900", Text(call, "callerNumber"));
        Assert.Equal("Erased", Text(call, "noRecordingReason"));
    }
}
