using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Features.Quality;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Tests.Features.Quality;

public sealed class QualityReportTests : IAsyncLifetime
{
    private readonly QualityApp app = new();
    private int scorecardId;

    public async Task InitializeAsync()
    {
        await app.InitializeAsync();
        scorecardId = (await app.Scorecards.ListAsync()).Single().Id;
    }

    Task IAsyncLifetime.DisposeAsync() => ((IAsyncLifetime)app).DisposeAsync();

    private QualityReports Reports => app.Services.GetRequiredService<QualityReports>();

    /// <summary>Two weeks and a bit: periods start on Mondays 16, 23 and 30 November.</summary>
    private ReportFilter Filter(IReadOnlyList<string>? teams = null, IReadOnlyList<string>? agents = null) =>
        new(new DateOnly(2026, 11, 16), new DateOnly(2026, 11, 30), scorecardId, teams ?? [], agents ?? [], ReportPeriod.Week);

    private async Task<int> EvaluateAsync(Recording call, Dictionary<string, AnswerDraft> answers, string evaluator = QualityApp.Manager, bool submit = true)
    {
        var (id, problem) = await app.Evaluations.StartAsync(call.Id, app.ScorecardVersionId, QualityApp.Qm(evaluator));
        Assert.Null(problem);
        var (_, problems) = await app.Evaluations.SaveAsync(id!.Value, answers, null, submit, QualityApp.Qm(evaluator), new AuditActor(evaluator, null));
        Assert.Empty(problems);
        return id.Value;
    }

    [Fact]
    public async Task Scores_are_averaged_per_team_agent_question_and_week_counting_only_finished_evaluations_in_scope()
    {
        var reklamacje = await app.AddCallsAsync("201", 3);            // 30 Nov (Monday), 29 Nov (Sunday, the week before), 28 Nov
        var sprzedaz = await app.AddCallsAsync("305", 1, team: "Sprzedaż");
        await EvaluateAsync(reklamacje[0], QualityApp.GoodAnswers());            // 93.3
        await EvaluateAsync(reklamacje[1], QualityApp.GoodAnswers(verify: 0));   // critical failed: 0
        await EvaluateAsync(reklamacje[2], QualityApp.GoodAnswers(verify: 0), submit: false); // a draft does not count
        await EvaluateAsync(sprzedaz[0], QualityApp.GoodAnswers());              // 93.3

        var (report, problems) = await Reports.ScoresAsync(Filter(), QualityApp.Qm());
        Assert.Empty(problems);
        Assert.Equal([new DateOnly(2026, 11, 16), new DateOnly(2026, 11, 23), new DateOnly(2026, 11, 30)], report!.Periods);
        Assert.Equal(new ScoreStats(3, 62.2m, 0m, 93.3m, 1, 87.8m), report.Overall.Stats);
        Assert.Equal([null, 0m, 93.3m], report.Overall.ByPeriod);

        var teams = report.Teams.ToDictionary(t => t.Key);
        Assert.Equal(new ScoreStats(2, 46.7m, 0m, 93.3m, 1, 85.0m), teams["Reklamacje"].Stats);
        Assert.Equal([null, 0m, 93.3m], teams["Reklamacje"].ByPeriod);
        Assert.Equal(new ScoreStats(1, 93.3m, 93.3m, 93.3m, 0, 93.3m), teams["Sprzedaż"].Stats);
        var agent = Assert.Single(report.Agents, a => a.Key == "201");
        Assert.Equal(("Agent 201 (201)", "Reklamacje", 2), (agent.Label, agent.Team, agent.Stats.Evaluations));

        var questions = report.Questions.ToDictionary(q => q.Key);
        Assert.Equal(["przedstawienie", "weryfikacja", "potrzeba", "uprzejmosc", "kolejny-krok", "pozegnanie"], report.Questions.Select(q => q.Key));
        Assert.Equal((3, 0, 66.7m, 1, true), (questions["weryfikacja"].Answered, questions["weryfikacja"].NotApplicable, questions["weryfikacja"].Average,
            questions["weryfikacja"].Zero, questions["weryfikacja"].Critical));
        Assert.Equal([null, 0m, 100m], questions["weryfikacja"].ByPeriod);
        Assert.Equal(80m, questions["potrzeba"].Average);
        Assert.Equal((0, 3, (decimal?)null), (questions["pozegnanie"].Answered, questions["pozegnanie"].NotApplicable, questions["pozegnanie"].Average));

        // A quality manager of Reklamacje sees that team's evaluations only; filters narrow further.
        var (scoped, _) = await Reports.ScoresAsync(Filter(), QualityApp.Qm(QualityApp.TeamManager, "Reklamacje"));
        Assert.Equal(["Reklamacje"], scoped!.Teams.Select(t => t.Key));
        Assert.Equal(2, scoped.Overall.Stats.Evaluations);
        Assert.Equal(1, (await Reports.ScoresAsync(Filter(agents: ["305"]), QualityApp.Qm())).Report!.Overall.Stats.Evaluations);
        Assert.Equal(0, (await Reports.ScoresAsync(Filter(teams: ["Sprzedaż"]), QualityApp.Qm(QualityApp.TeamManager, "Reklamacje"))).Report!.Overall.Stats.Evaluations);
        // A period that ends before the calls holds none of them.
        var (earlier, _) = await Reports.ScoresAsync(Filter() with { To = new DateOnly(2026, 11, 27) }, QualityApp.Qm());
        Assert.Equal(0, earlier!.Overall.Stats.Evaluations);
        // Months: one bucket for November.
        var (months, _) = await Reports.ScoresAsync(Filter() with { Period = ReportPeriod.Month }, QualityApp.Qm());
        Assert.Equal([new DateOnly(2026, 11, 1)], months!.Periods);
        Assert.Equal([62.2m], months.Overall.ByPeriod);
    }

    [Fact]
    public async Task Calibration_puts_evaluators_of_the_same_call_side_by_side_with_spread_deviation_and_bias()
    {
        var calls = await app.AddCallsAsync("201", 2);
        var harsher = QualityApp.GoodAnswers();
        harsher["uprzejmosc"] = new(3);                                            // 86.7 instead of 93.3
        var first = await EvaluateAsync(calls[0], QualityApp.GoodAnswers());
        var second = await EvaluateAsync(calls[0], harsher, QualityApp.SecondManager);
        await EvaluateAsync(calls[1], QualityApp.GoodAnswers());                   // one evaluator only: not a calibration call

        var (report, problems) = await Reports.CalibrationAsync(Filter(), QualityApp.Qm());
        Assert.Empty(problems);
        var call = Assert.Single(report!.Calls);
        Assert.Equal(calls[0].Id, call.RecordingId);
        // Columns in the evaluators' order, the same on every call.
        Assert.Equal([(second, QualityApp.SecondManager, 86.7m), (first, QualityApp.Manager, 93.3m)], call.Scores.Select(s => (s.EvaluationId, s.Evaluator, s.Score!.Value)));
        Assert.Equal((90.0m, 6.6m, 3.3m), (call.Mean!.Value, call.Spread!.Value, call.StdDev!.Value));
        Assert.Equal(40m, call.SpreadOf("uprzejmosc"));
        Assert.Equal(0m, call.SpreadOf("potrzeba"));
        Assert.Null(call.SpreadOf("pozegnanie"));                                 // n.a. for both
        Assert.Equal((6.6m, 3.3m), (report.AverageSpread!.Value, report.AverageStdDev!.Value));
        var bias = report.Evaluators.ToDictionary(b => b.Evaluator);
        Assert.Equal(new EvaluatorBias(QualityApp.Manager, 1, 3.3m, 3.3m), bias[QualityApp.Manager]);
        Assert.Equal(new EvaluatorBias(QualityApp.SecondManager, 1, -3.3m, 3.3m), bias[QualityApp.SecondManager]);
    }

    [Fact]
    public void Population_standard_deviation_of_three_scores()
    {
        // Mean 80; squared deviations 100, 0, 100; over 3 → √66.67 = 8.165.
        Assert.Equal(8.165, (double)QualityReports.StdDev([70m, 80m, 90m]), 3);
    }

    [Fact]
    public async Task The_csv_export_writes_the_figures_audits_the_export_and_names_every_bad_value()
    {
        var calls = await app.AddCallsAsync("201", 1);
        await EvaluateAsync(calls[0], QualityApp.GoodAnswers());
        var qm = app.ClientAs(Roles.QualityManager, email: QualityApp.Manager);
        var query = $"?from=2026-11-16&to=2026-11-30&scorecard={scorecardId}";

        var teams = await qm.GetAsync("/api/v1/quality/reports/teams.csv" + query);
        Assert.Equal(HttpStatusCode.OK, teams.StatusCode);
        Assert.Equal("text/csv", teams.Content.Headers.ContentType!.MediaType);
        var lines = (await teams.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("team,evaluations,average,average_weighted,min,max,critical_failed,2026-11-16,2026-11-23,2026-11-30", lines[0]);
        Assert.Equal("Reklamacje,1,93.3,93.3,93.3,93.3,0,,,93.3", lines[1]);
        var questions = await (await qm.GetAsync("/api/v1/quality/reports/questions.csv" + query)).Content.ReadAsStringAsync();
        Assert.Contains("\r\nweryfikacja,", questions);
        var audit = Assert.Single(await app.AuditAsync(AuditActions.QualityReportExport), a => a.Details!.Contains("view=teams"));
        Assert.Equal(QualityApp.Manager, audit.Actor);
        Assert.Contains($"scorecard={scorecardId} from=2026-11-16 to=2026-11-30", audit.Details);

        var bad = await qm.GetAsync("/api/v1/quality/reports/agents.csv?from=2026-13-01&period=year");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var text = (await bad.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>())!.Detail!;
        Assert.Contains("'from' must be a date as yyyy-MM-dd, not \"2026-13-01\"", text);
        Assert.Contains("'period' must be week or month", text);
        Assert.Contains("Choose a scorecard", text);
        Assert.Equal(HttpStatusCode.NotFound, (await qm.GetAsync("/api/v1/quality/reports/salaries.csv" + query)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await qm.GetAsync("/api/v1/quality/reports/teams.csv?scorecard=999")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientAs(Roles.ComplaintHandler).GetAsync("/api/v1/quality/reports/teams.csv" + query)).StatusCode);
        // Refusals export nothing, so they leave no export entry.
        Assert.Equal(2, (await app.AuditAsync(AuditActions.QualityReportExport)).Count);
    }

    [Fact]
    public async Task A_critical_miss_shows_both_scores_and_the_question_and_critical_failures_only_narrows_the_report_and_its_csv()
    {
        var calls = await app.AddCallsAsync("201", 2);
        var good = await EvaluateAsync(calls[0], QualityApp.GoodAnswers());
        var missed = await EvaluateAsync(calls[1], QualityApp.GoodAnswers(verify: 0));

        var listed = (await app.Evaluations.TeamAsync(QualityApp.Qm())).ToDictionary(e => e.Id);
        Assert.Equal((0m, 76.7m, true), (listed[missed].Score, listed[missed].RawScore, listed[missed].CriticalFailed));
        Assert.Equal(["Zweryfikował tożsamość klienta"], listed[missed].FailedQuestions);
        Assert.Empty(listed[good].FailedQuestions);

        var (critical, _) = await Reports.ScoresAsync(Filter() with { CriticalOnly = true }, QualityApp.Qm());
        Assert.Equal(new ScoreStats(1, 0m, 0m, 0m, 1, 76.7m), critical!.Overall.Stats);

        var qm = app.ClientAs(Roles.QualityManager, email: QualityApp.Manager);
        var csv = await (await qm.GetAsync($"/api/v1/quality/reports/evaluations.csv?from=2026-11-16&to=2026-11-30&scorecard={scorecardId}&critical=only"))
            .Content.ReadAsStringAsync();
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("evaluation_id,recording_id,call_started_at,agent_extension,agent,team,evaluator,score,weighted_score,critical_failed,failed_critical_questions",
            lines[0]);
        var row = Assert.Single(lines.Skip(1));
        Assert.StartsWith($"{missed},{calls[1].Id},", row);
        Assert.EndsWith(",0.0,76.7,true,Zweryfikował tożsamość klienta", row);
        Assert.Contains(await app.AuditAsync(AuditActions.QualityReportExport), a => a.Details!.Contains("view=evaluations") && a.Details.Contains("critical=only"));
        var wrong = await qm.GetAsync($"/api/v1/quality/reports/teams.csv?scorecard={scorecardId}&critical=yes");
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("'critical' may only be \"only\"", (await wrong.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>())!.Detail);
    }
}
