using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Features.Access;
using NagrywanieRozmow.Features.Calls;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Tests.Features.Access;

namespace NagrywanieRozmow.Tests.Features.Quality;

/// <summary>
/// Blind holds until the evaluator submits. A calibration of one call goes blind to a team manager and a second manager;
/// the team manager then tries every route the app maps that takes a recording's id (read from the route table, so a new
/// route is tried the day it is mapped), every search and list that could show the call, and the evaluation's own pages.
/// Each answer must be the one a manager of another team gets, the attempts are audited, and an administrator sees the
/// call as before. The second manager's submission must not tell the first one anything; their own does.
/// </summary>
public sealed partial class BlindEvaluatorTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private readonly QualityApp app = new();
    private const string Evaluator = QualityApp.TeamManager;   // QualityManager of team Reklamacje
    private const string Agent = "Zofia Ślepa", Case = "REK-2026/0999";
    private static readonly DateTime CallTime = new(2026, 11, 28, 9, 47, 13, DateTimeKind.Utc);   // 10:47 in Warsaw
    private Recording blind = default!, open = default!;
    private int evaluationId, secondEvaluationId;
    private HttpClient evaluator = default!, outsider = default!, administrator = default!;

    public async Task InitializeAsync()
    {
        await app.InitializeAsync();
        blind = await TestData.AddWithAudioAsync(app, TestData.Recording(startedAt: CallTime, caller: "48601555777", callee: "207", extension: "207",
            userName: Agent, team: "Reklamacje", durationSeconds: 20, callId: "1764323233.17"));
        open = await TestData.AddWithAudioAsync(app, TestData.Recording(startedAt: CallTime.AddDays(-1), caller: "48601555888", callee: "202", extension: "202",
            userName: "Jan Jawny", team: "Reklamacje", durationSeconds: 2, callId: "1764236833.18"));
        await app.WithDbAsync(async db =>
        {
            db.RecordingCases.Add(new RecordingCase { RecordingId = blind.Id, CaseNumber = Case, AddedAt = CallTime });
            foreach (var r in new[] { blind, open })
                db.Calls.Add(new CallSummary
                {
                    LinkedId = r.CallId, StartedAt = r.StartedAt, CallerNumber = r.CallerNumber, CallerDigits = r.CallerDigits, CalleeNumber = r.CalleeNumber,
                    CalleeDigits = r.CalleeDigits, Extension = r.Extension, UserName = r.UserName, Team = r.Team, Type = CallType.Incoming,
                    Disposition = CallDisposition.Answered, TalkSeconds = 2, Legs = 1, HasRecording = true,
                });
            await db.SaveChangesAsync();
        });
        var (sample, problems) = await app.Samples.CreateAsync("Kalibracja", QualityApp.Week(total: 1, agents: ["207"], excludeEvaluated: false), 7,
            app.ScorecardVersionId, [Evaluator.ToUpperInvariant(), QualityApp.SecondManager], blind: true, calibration: true, QualityApp.Qm(), QualityApp.ManagerActor);
        Assert.Empty(problems);
        var evaluations = await app.WithDbAsync(db => db.Evaluations.Where(e => e.SampleId == sample!.Id).ToListAsync());
        Assert.All(evaluations, e => Assert.Equal(blind.Id, e.RecordingId));
        // Stored as the account spells it, however the manager typed it: the withholding matches the person exactly.
        evaluationId = evaluations.Single(e => e.Evaluator == Evaluator).Id;
        secondEvaluationId = evaluations.Single(e => e.Evaluator == QualityApp.SecondManager).Id;

        evaluator = app.ClientAs(Roles.QualityManager, team: "Reklamacje", email: Evaluator);
        outsider = app.ClientAs(Roles.QualityManager, team: "Sprzedaż", email: "sprzedaz@example.com");
        administrator = app.ClientAs(Roles.Administrator, email: "admin@example.com");
    }

    Task IAsyncLifetime.DisposeAsync() => ((IAsyncLifetime)app).DisposeAsync();

    /// <summary>Every mapped route with a recording's id in it, as the route table has it.</summary>
    private List<(string Method, string Pattern)> RecordingRoutes() =>
        EveryRouteTests.Routes(app).Where(r => r.Pattern.Contains("{id:long}") || r.Pattern.Contains("{Id:long}")).OrderBy(r => r.Pattern).ThenBy(r => r.Method).ToList();

    private static string PathOf(string pattern, long id) => Parameter().Replace(pattern, m => m.Value switch
    {
        "{id:long}" or "{Id:long}" => id.ToString(),
        "{**value}" => Case,
        _ => "1",
    });

    private static HttpRequestMessage Request(string method, string path)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT" or "DELETE")
            request.Content = new StringContent("""{"case":"REK-X","tag":"x","reason":"test","text":"x","startMs":0}""", System.Text.Encoding.UTF8, "application/json");
        return request;
    }

    private static void AssertNamesNoAgent(string body, string where)
    {
        Assert.False(body.Contains(Agent, StringComparison.Ordinal), $"{where} named the agent");
        Assert.False(body.Contains("\"extension\":\"207\"", StringComparison.Ordinal), $"{where} named the agent's extension");
        Assert.False(body.Contains("10:47", StringComparison.Ordinal), $"{where} showed the call's exact time");
    }

    [Fact]
    public async Task Every_route_by_the_recordings_id_answers_the_blind_evaluator_as_it_answers_a_manager_of_another_team()
    {
        var routes = RecordingRoutes();
        Assert.True(routes.Count >= 12, string.Join(", ", routes));
        var tried = new List<string>();
        var refusedPaths = new List<string>();
        foreach (var (method, pattern) in routes)
        {
            var path = PathOf(pattern, blind.Id);
            var asOutsider = await outsider.SendAsync(Request(method, path));
            var asEvaluator = await evaluator.SendAsync(Request(method, path));
            var body = await asEvaluator.Content.ReadAsStringAsync();
            tried.Add($"{method} {path} → {(int)asEvaluator.StatusCode}");
            Assert.True(asOutsider.StatusCode == asEvaluator.StatusCode,
                $"{method} {path}: the blind evaluator got {(int)asEvaluator.StatusCode}, a manager of another team {(int)asOutsider.StatusCode}");
            // The page answers 200 with "not found" in it, as it does for another team's call; every API route refuses.
            if (pattern.StartsWith("/api/", StringComparison.Ordinal)) Assert.True(asEvaluator.StatusCode != HttpStatusCode.OK, $"{method} {path} answered 200");
            else if (method == "GET") Assert.Contains("recording-not-found", body);
            AssertNamesNoAgent(body, $"{method} {path}");
            if (asEvaluator.StatusCode == HttpStatusCode.NotFound && pattern.StartsWith("/api/", StringComparison.Ordinal)) refusedPaths.Add(path);
        }
        output.WriteLine(string.Join("\n", tried));
        // The page, the JSON, the audio, the waveform, the download and the comments at least: each a 404, each written down as withheld.
        Assert.True(refusedPaths.Count >= 5, string.Join("\n", tried));
        var attempts = await app.WithDbAsync(db => db.AuditLog.Where(a => a.Actor == Evaluator && a.Action == AuditActions.RecordingAccess && a.RecordingId == blind.Id).ToListAsync());
        foreach (var path in refusedPaths.Distinct())
            Assert.Contains(attempts, a => a.Outcome == AuditOutcomes.Denied && a.Reason == AuditLog.WithheldReason && a.Details!.Contains(path));
        Assert.DoesNotContain(await app.WithDbAsync(db => db.AuditLog.Where(a => a.Actor == "sprzedaz@example.com").Select(a => a.Reason).ToListAsync()),
            r => r == AuditLog.WithheldReason);
        // Nothing the refused writes carried was stored.
        Assert.Equal([Case], await app.WithDbAsync(db => db.RecordingCases.Where(c => c.RecordingId == blind.Id).Select(c => c.CaseNumber).ToListAsync()));

        // An administrator's view is unchanged, and so is the evaluator's view of the other call of the team.
        var json = await administrator.GetStringAsync($"/api/v1/recordings/{blind.Id}");
        Assert.Contains(Agent, json);
        Assert.Equal(HttpStatusCode.OK, (await administrator.GetAsync($"/api/v1/recordings/{blind.Id}/audio")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await evaluator.GetAsync($"/api/v1/recordings/{open.Id}")).StatusCode);
    }

    [Fact]
    public async Task Searches_and_lists_leave_the_call_out_even_by_its_exact_time_number_case_or_call_id()
    {
        var minute = CallTime.AddSeconds(-13);
        string[] searches =
        [
            "", $"from={minute:yyyy-MM-ddTHH:mm:ssZ}&to={minute.AddMinutes(1):yyyy-MM-ddTHH:mm:ssZ}", "number=555777", "number=77", "extension=207",
            $"callId={blind.CallId}", $"case={Uri.EscapeDataString(Case)}", "sort=-duration",
        ];
        foreach (var query in searches)
        {
            foreach (var route in new[] { "/api/v1/recordings", "/api/v1/calls" })
            {
                if (route == "/api/v1/calls" && query.StartsWith("case=", StringComparison.Ordinal)) continue;   // calls carry no case numbers
                var evaluatorIds = await IdsAsync(evaluator, route, query);
                var administratorIds = await IdsAsync(administrator, route, query);
                Assert.True(administratorIds.Contains(blind.Id.ToString()) || administratorIds.Contains(blind.CallId), $"{route}?{query}: the administrator did not find the call");
                Assert.False(evaluatorIds.Contains(blind.Id.ToString()) || evaluatorIds.Contains(blind.CallId), $"{route}?{query}: the blind evaluator found the call");
            }
        }
        Assert.Contains(open.Id.ToString(), await IdsAsync(evaluator, "/api/v1/recordings", ""));
        // The count says so too: the evaluator's total is one call short of the administrator's.
        var totalOf = async (HttpClient c) => (await c.GetFromJsonAsync<JsonElement>("/api/v1/recordings")).GetProperty("total").GetInt32();
        Assert.Equal(await totalOf(administrator) - 1, await totalOf(evaluator));

        // One call by its linkedid; the ZIP of chosen files; the evidence package of its case: as for another team.
        foreach (var (method, path, body) in new (string, string, object?)[]
        {
            ("GET", $"/api/v1/calls/{blind.CallId}", null), ("POST", "/api/v1/downloads", new { ids = new[] { blind.Id } }),
            ("GET", $"/api/v1/evidence?case={Uri.EscapeDataString(Case)}", null),
        })
        {
            async Task<HttpResponseMessage> Send(HttpClient c) => method == "GET" ? await c.GetAsync(path) : await c.PostAsJsonAsync(path, body);
            var asEvaluator = await Send(evaluator);
            Assert.Equal((await Send(outsider)).StatusCode, asEvaluator.StatusCode);
            Assert.NotEqual(HttpStatusCode.OK, asEvaluator.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await Send(administrator)).StatusCode);
        }
    }

    private static async Task<List<string>> IdsAsync(HttpClient client, string route, string query)
    {
        var response = await client.GetAsync($"{route}?pageSize=200&{query}");
        Assert.True(response.IsSuccessStatusCode, $"{route}?{query}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var body = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(body).RootElement.GetProperty("items").EnumerateArray()
            .Select(i => i.TryGetProperty("linkedid", out var l) ? l.GetString()! : i.GetProperty("id").GetInt64().ToString()).ToList();
    }

    [Fact]
    public async Task The_evaluation_plays_the_call_by_its_own_id_and_shows_the_day_only_until_the_evaluator_submits()
    {
        var page = await evaluator.GetStringAsync($"/quality/evaluations/{evaluationId}");
        Assert.Contains("evaluation-agent", page);
        AssertNamesNoAgent(page, "the evaluation page");
        Assert.Contains("28.11.2026", page);
        Assert.DoesNotContain($"/recordings/{blind.Id}", page);
        var lists = await evaluator.GetStringAsync("/quality/evaluations");
        AssertNamesNoAgent(lists, "the evaluations list");

        var audio = await evaluator.GetAsync($"/api/v1/evaluations/{evaluationId}/audio?session=s1");
        Assert.Equal(HttpStatusCode.OK, audio.StatusCode);
        Assert.Equal("audio/wav", audio.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await evaluator.GetAsync($"/api/v1/evaluations/{evaluationId}/waveform")).StatusCode);
        var listen = Assert.Single(await app.WithDbAsync(db => db.AuditLog.Where(a => a.Action == AuditActions.Listen && a.Actor == Evaluator).ToListAsync()));
        Assert.Equal(blind.Id, listen.RecordingId);
        Assert.Contains($"\"evaluation\":{evaluationId}", listen.Details);
        // Someone who may not read the evaluation is told it does not exist.
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/api/v1/evaluations/{evaluationId}/audio")).StatusCode);

        // The second evaluator submits: their score must not tell the first one whose call it is, in a list, a report or a CSV.
        Assert.Empty((await app.Evaluations.SaveAsync(secondEvaluationId, QualityApp.GoodAnswers(), null, true,
            QualityApp.Qm(QualityApp.SecondManager), new AuditActor(QualityApp.SecondManager, null))).Problems);
        var scorecard = (await app.Scorecards.ListAsync()).Single().Id;
        var report = $"?from=2026-11-20&to=2026-11-30&scorecard={scorecard}";
        var second = app.ClientAs(Roles.QualityManager, email: QualityApp.SecondManager);
        Assert.Contains(Agent, await second.GetStringAsync("/api/v1/quality/reports/evaluations.csv" + report));
        foreach (var view in new[] { "evaluations", "agents", "calibration" })
            AssertNamesNoAgent(await evaluator.GetStringAsync($"/api/v1/quality/reports/{view}.csv" + report), $"{view}.csv");
        AssertNamesNoAgent(await evaluator.GetStringAsync($"/quality/evaluations/{secondEvaluationId}"), "the colleague's evaluation");
        Assert.Equal(HttpStatusCode.NotFound, (await evaluator.GetAsync($"/api/v1/recordings/{blind.Id}")).StatusCode);

        // Submitting lifts it: the call is theirs again everywhere.
        Assert.Empty((await app.Evaluations.SaveAsync(evaluationId, QualityApp.GoodAnswers(), null, true,
            QualityApp.Qm(Evaluator, "Reklamacje"), new AuditActor(Evaluator, null))).Problems);
        Assert.Contains(Agent, await evaluator.GetStringAsync($"/api/v1/recordings/{blind.Id}"));
        Assert.Contains(blind.Id.ToString(), await IdsAsync(evaluator, "/api/v1/recordings", "number=555777"));
        Assert.Contains(blind.CallId, await IdsAsync(evaluator, "/api/v1/calls", "number=555777"));
        Assert.Contains("10:47", await evaluator.GetStringAsync($"/quality/evaluations/{evaluationId}"));
    }

    [Fact]
    public async Task An_administrator_evaluating_blind_reads_no_audit_entry_of_the_call_while_another_administrator_reads_them_all()
    {
        const string adminEvaluator = "admin-ocena@example.com";
        await using (var scope = app.Services.CreateAsyncScope())
            Assert.Empty(await scope.ServiceProvider.GetRequiredService<UserAccounts>().CreateAsync(adminEvaluator, "Quality-Test-1!", Roles.Administrator, team: null, extension: null));
        var (sample, problems) = await app.Samples.CreateAsync("Admin", QualityApp.Week(total: 1, agents: ["207"], excludeEvaluated: false), 7,
            app.ScorecardVersionId, [adminEvaluator], blind: true, calibration: false, QualityApp.Qm(), QualityApp.ManagerActor);
        Assert.Empty(problems);
        var adminEvaluatorClient = app.ClientAs(Roles.Administrator, email: adminEvaluator);
        // Entries about the call: the administrator's own listen, and the blind evaluator's refused attempt.
        Assert.Equal(HttpStatusCode.OK, (await administrator.GetAsync($"/api/v1/recordings/{blind.Id}/audio")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await adminEvaluatorClient.GetAsync($"/api/v1/recordings/{blind.Id}")).StatusCode);

        var theirs = await adminEvaluatorClient.GetFromJsonAsync<JsonElement>($"/api/v1/audit?recording={blind.Id}");
        Assert.Equal(0, theirs.GetProperty("total").GetInt32());
        var all = await adminEvaluatorClient.GetFromJsonAsync<JsonElement>("/api/v1/audit?pageSize=200");
        Assert.DoesNotContain(all.GetProperty("items").EnumerateArray(), e => e.GetProperty("recordingId").ValueKind == JsonValueKind.Number
            && e.GetProperty("recordingId").GetInt64() == blind.Id);
        Assert.DoesNotContain(blind.Id.ToString(), RecordingIdsOf(await adminEvaluatorClient.GetStringAsync("/api/v1/audit/export")));
        var others = await administrator.GetFromJsonAsync<JsonElement>($"/api/v1/audit?recording={blind.Id}");
        Assert.True(others.GetProperty("total").GetInt32() >= 2);
        Assert.Contains(blind.Id.ToString(), RecordingIdsOf(await administrator.GetStringAsync("/api/v1/audit/export")));
        Assert.NotNull(sample);
    }

    /// <summary>The recording_id column of the audit export (the fields before it hold no comma).</summary>
    private static List<string> RecordingIdsOf(string csv) =>
        csv.Split('\n').Skip(1).Select(line => line.Split(',')).Where(f => f.Length > 5).Select(f => f[5].Trim('"')).ToList();

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();
}
