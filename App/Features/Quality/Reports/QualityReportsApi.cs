using System.Globalization;
using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Shared.Api;
using NagrywanieRozmow.Shared.Csv;
using NagrywanieRozmow.Shared.Time;

namespace NagrywanieRozmow.Features.Quality;

/// <summary>
/// <c>GET /api/v1/quality/reports/{view}.csv</c> with view teams, agents, questions or calibration, and the filter of
/// <see cref="ReportFilter.Parse"/>. Agents' scores are their personal data: every export is written to the audit log.
/// </summary>
public static class QualityReportsApi
{
    public static readonly string[] Views = ["teams", "agents", "questions", "calibration", "evaluations"];

    public static IEndpointRouteBuilder MapQualityReportsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/quality/reports/{view}.csv", ExportAsync).RequireAuthorization(Policies.RunQualityAudits).WithTags("Quality")
            .WithSummary("Export a quality report (teams, agents, questions, calibration or evaluations) as CSV").WithQueryParameters(ReportFilter.Known)
            .Produces<Stream>(StatusCodes.Status200OK, "text/csv");
        return app;
    }

    private static async Task<IResult> ExportAsync(
        string view, HttpContext http, QualityReports reports, DisplayTime display, TimeProvider clock, AuditLog audit)
    {
        if (!Views.Contains(view))
            return TypedResults.Problem($"There is no report \"{view}\"; the reports are {string.Join(", ", Views)}.", statusCode: StatusCodes.Status404NotFound);
        var today = DateOnly.FromDateTime(display.ToLocal(clock.GetUtcNow().UtcDateTime));
        var (filter, problems) = ReportFilter.Parse(http.Request.Query, today);
        if (filter is null) return Invalid(problems);
        string csv;
        if (view == "calibration")
        {
            var (report, refused) = await reports.CalibrationAsync(filter, http.User, http.RequestAborted);
            if (report is null) return Invalid(refused);
            csv = Csv(report);
        }
        else if (view == "evaluations")
        {
            var (lines, refused) = await reports.EvaluationsAsync(filter, http.User, http.RequestAborted);
            if (lines is null) return Invalid(refused);
            csv = Csv(lines);
        }
        else
        {
            var (report, refused) = await reports.ScoresAsync(filter, http.User, http.RequestAborted);
            if (report is null) return Invalid(refused);
            csv = view == "questions" ? CsvOfQuestions(report) : CsvOfGroups(report, view == "teams" ? report.Teams : report.Agents, view == "agents");
        }
        var describe = $"view={view} scorecard={filter.ScorecardId} from={filter.From:yyyy-MM-dd} to={filter.To:yyyy-MM-dd} period={filter.Period.ToString().ToLowerInvariant()}"
            + (filter.Teams.Count > 0 ? $" teams={string.Join('|', filter.Teams)}" : "") + (filter.Agents.Count > 0 ? $" agents={string.Join('|', filter.Agents)}" : "")
            + (filter.CriticalOnly ? " critical=only" : "");
        await audit.AppendAsync(http, AuditActions.QualityReportExport, AuditOutcomes.Success, details: describe);
        return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8",
            $"quality-{view}-{filter.From:yyyyMMdd}-{filter.To:yyyyMMdd}.csv");
    }

    private static IResult Invalid(IReadOnlyList<Problem> problems) => TypedResults.Problem(
        string.Join(" ", problems.Select(p => p.Message)), statusCode: StatusCodes.Status400BadRequest, title: "The report's filter has invalid values.");

    private static string Pct(decimal? value) => value?.ToString("0.0", CultureInfo.InvariantCulture) ?? "";

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string CsvOfGroups(QualityReport report, IReadOnlyList<ScoreGroup> groups, bool agents)
    {
        string[] head = agents ? ["agent_extension", "agent", "team"] : ["team"];
        var csv = new CsvText([.. head, "evaluations", "average", "average_weighted", "min", "max", "critical_failed", .. report.Periods.Select(Day)]);
        foreach (var g in groups)
        {
            string?[] key = agents ? [g.Key, g.Label, g.Team] : [g.Key];
            csv.Row([.. key, CsvText.Number(g.Stats.Evaluations), Pct(g.Stats.Average), Pct(g.Stats.AverageWeighted), Pct(g.Stats.Min), Pct(g.Stats.Max),
                CsvText.Number(g.Stats.CriticalFailed), .. g.ByPeriod.Select(Pct)]);
        }
        return csv.ToString();
    }

    public static string CsvOfQuestions(QualityReport report)
    {
        var csv = new CsvText(["question_key", "section", "question", "critical", "answered", "not_applicable", "average", "zero", .. report.Periods.Select(Day)]);
        foreach (var q in report.Questions)
            csv.Row([q.Key, q.Section, q.Text, q.Critical ? "true" : "false", CsvText.Number(q.Answered), CsvText.Number(q.NotApplicable),
                Pct(q.Average), CsvText.Number(q.Zero), .. q.ByPeriod.Select(Pct)]);
        return csv.ToString();
    }

    public static string Csv(IReadOnlyList<QualityReports.EvaluationLine> lines)
    {
        var csv = new CsvText("evaluation_id", "recording_id", "call_started_at", "agent_extension", "agent", "team", "evaluator", "score", "weighted_score",
            "critical_failed", "failed_critical_questions");
        foreach (var e in lines)
            csv.Row(CsvText.Number(e.Id), CsvText.Number(e.RecordingId), CsvText.Iso(e.CallStartedAt), e.AgentExtension, e.AgentName, e.Team, e.Evaluator,
                Pct(e.Score), Pct(e.RawScore), e.CriticalFailed ? "true" : "false", string.Join("; ", e.FailedQuestions));
        return csv.ToString();
    }

    public static string Csv(CalibrationReport report)
    {
        var csv = new CsvText("recording_id", "call_started_at", "agent", "team", "evaluator", "evaluation_id", "score", "weighted_score", "critical_failed",
            "failed_critical_questions", "call_mean", "call_spread", "call_stddev");
        foreach (var c in report.Calls)
            foreach (var s in c.Scores)
                csv.Row(CsvText.Number(c.RecordingId), CsvText.Iso(c.CallStartedAt), c.Agent, c.Team, s.Evaluator, CsvText.Number(s.EvaluationId),
                    Pct(s.Score), Pct(s.RawScore), s.CriticalFailed ? "true" : "false", string.Join("; ", s.FailedQuestions), Pct(c.Mean), Pct(c.Spread), Pct(c.StdDev));
        return csv.ToString();
    }
}
