using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Access;
using NagrywanieRozmow.Features.Audit;
using NagrywanieRozmow.Features.Retention;
using NagrywanieRozmow.Shared.Csv;
using NagrywanieRozmow.Shared.Time;

namespace NagrywanieRozmow.Features.Quality;

public enum ReportPeriod { Week, Month }

/// <summary>
/// Which evaluations a report counts: those of one scorecard (any of its versions: question keys are stable across versions,
/// and scores of different scorecards are not comparable) on calls in the period (whole days in App:TimeZone, both ends
/// included), of the teams and agents (extensions) given, empty meaning any.
/// </summary>
public sealed record ReportFilter(DateOnly From, DateOnly To, int ScorecardId, IReadOnlyList<string> Teams, IReadOnlyList<string> Agents, ReportPeriod Period)
{
    /// <summary>The default period: thirteen whole weeks, Monday to today.</summary>
    public static DateOnly DefaultFrom(DateOnly today) => StartOf(today, ReportPeriod.Week).AddDays(-7 * 12);

    public static DateOnly StartOf(DateOnly day, ReportPeriod period) => period == ReportPeriod.Month
        ? new DateOnly(day.Year, day.Month, 1)
        : day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    public static DateOnly Next(DateOnly start, ReportPeriod period) => period == ReportPeriod.Month ? start.AddMonths(1) : start.AddDays(7);

    public IReadOnlyList<Problem> Validate()
    {
        var problems = new List<Problem>();
        if (From > To) problems.Add(new("Sample_Period", "The period's start is after its end."));
        else if (To.DayNumber - From.DayNumber > 3 * 366) problems.Add(new("Report_PeriodLong", "A report covers at most three years."));
        if (ScorecardId <= 0) problems.Add(new("Report_Scorecard", "Choose a scorecard: scores of different scorecards cannot be compared."));
        return problems;
    }

    /// <summary>
    /// The filter from an export's query string: from, to (yyyy-MM-dd), scorecard, team (repeatable), agent (repeatable),
    /// period (week or month). Each bad value is named.
    /// </summary>
    public static (ReportFilter? Filter, IReadOnlyList<Problem> Problems) Parse(IQueryCollection query, DateOnly today)
    {
        var problems = new List<Problem>();
        DateOnly Date(string name, DateOnly fallback)
        {
            var text = query[name].ToString();
            if (text.Length == 0) return fallback;
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
            problems.Add(new("Report_Date", $"'{name}' must be a date as yyyy-MM-dd, not \"{text}\".", name, text));
            return fallback;
        }
        var to = Date("to", today);
        var from = Date("from", DefaultFrom(to));
        var scorecard = 0;
        var card = query["scorecard"].ToString();
        if (card.Length == 0) problems.Add(new("Report_Scorecard", "Choose a scorecard: scores of different scorecards cannot be compared."));
        else if (!int.TryParse(card, NumberStyles.None, CultureInfo.InvariantCulture, out scorecard) || scorecard <= 0)
            problems.Add(new("Report_ScorecardId", $"'scorecard' must be a scorecard's id, not \"{card}\".", card));
        var period = ReportPeriod.Week;
        var periodText = query["period"].ToString();
        if (periodText.Length > 0 && !Shared.EnumNames.TryParse(periodText, out period))
            problems.Add(new("Report_PeriodKind", $"'period' must be week or month, not \"{periodText}\".", periodText));
        static string[] Many(IEnumerable<string?> values) => values.SelectMany(v => (v ?? "").Split(',')).Select(v => v.Trim()).Where(v => v.Length > 0).Distinct().ToArray();
        var filter = new ReportFilter(from, to, scorecard, Many(query["team"]), Many(query["agent"]), period);
        if (problems.Count == 0) problems.AddRange(filter.Validate());
        return problems.Count == 0 ? (filter, []) : (null, problems);
    }
}

public sealed record ScoreStats(int Evaluations, decimal? Average, decimal? Min, decimal? Max, int CriticalFailed);

/// <summary>One agent, team or the whole: its scores in the period, and the average in each period bucket (null: none).</summary>
public sealed record ScoreGroup(string Key, string Label, string? Team, ScoreStats Stats, IReadOnlyList<decimal?> ByPeriod);

/// <summary>One question over the evaluations: how often answered, its average as a percentage of its maximum, how often 0.</summary>
public sealed record QuestionStats(
    string Key, string Text, string Section, bool Critical, int Answered, int NotApplicable, decimal? Average, int Zero, IReadOnlyList<decimal?> ByPeriod);

public sealed record QualityReport(
    ReportFilter Filter, string ScorecardName, IReadOnlyList<DateOnly> Periods, ScoreGroup Overall,
    IReadOnlyList<ScoreGroup> Teams, IReadOnlyList<ScoreGroup> Agents, IReadOnlyList<QuestionStats> Questions);

/// <summary>One evaluator's verdict on a calibration call.</summary>
public sealed record CalibrationScore(int EvaluationId, string Evaluator, decimal? Score, bool CriticalFailed, IReadOnlyDictionary<string, decimal?> Fractions);

/// <summary>A call that two or more evaluators scored: their scores side by side, the mean, the spread (max − min) and the
/// population standard deviation, in percentage points.</summary>
public sealed record CalibrationCall(
    long RecordingId, DateTime CallStartedAt, string? Agent, string? Team, IReadOnlyList<CalibrationScore> Scores, decimal? Mean, decimal? Spread, decimal? StdDev)
{
    /// <summary>The spread of one question's answers (as percentages of its maximum) among the evaluators who answered it.</summary>
    public decimal? SpreadOf(string key)
    {
        var values = Scores.Select(s => s.Fractions.GetValueOrDefault(key)).OfType<decimal>().ToList();
        return values.Count < 2 ? null : QualityReports.Percent(values.Max() - values.Min());
    }
}

/// <summary>How far an evaluator lands from the other evaluators of the same calls: the mean signed deviation from each
/// call's mean (positive: more lenient) and the mean absolute deviation.</summary>
public sealed record EvaluatorBias(string Evaluator, int Calls, decimal MeanDeviation, decimal MeanAbsoluteDeviation);

public sealed record CalibrationReport(
    ReportFilter Filter, IReadOnlyList<CalibrationCall> Calls, IReadOnlyList<EvaluatorBias> Evaluators,
    IReadOnlyList<(string Key, string Text)> Questions, decimal? AverageSpread, decimal? AverageStdDev);

/// <summary>
/// Scores per team, agent and question over time, and calibration (several evaluators on one call). Only finished
/// evaluations count: submitted or disputed (a dispute does not withdraw the score until it is resolved; a re-evaluation
/// supersedes it and the new one counts instead). A team-scoped quality manager sees their teams' evaluations only.
/// Evaluations carry their agent, team and call time, so reports outlive the recordings' retention.
/// </summary>
public sealed class QualityReports(IDbContextFactory<AppDbContext> dbs, Scorecards scorecards, DisplayTime display)
{
    /// <summary>Beyond this many evaluations a report asks for a narrower filter (they are aggregated in memory).</summary>
    public const int MaxEvaluations = 200_000;

    internal static decimal Percent(decimal fraction) => Math.Round(fraction * 100, 1, MidpointRounding.AwayFromZero);

    private sealed record Row(int Id, long RecordingId, string Evaluator, string? AgentExtension, string? AgentName, string? Team,
        DateTime CallStartedAt, decimal? Score, bool CriticalFailed, DateTime CreatedAt);

    private IQueryable<Evaluation> Counted(AppDbContext db, ReportFilter f, ClaimsPrincipal user)
    {
        var from = display.ToUtc(f.From.ToDateTime(TimeOnly.MinValue));
        var to = display.ToUtc(f.To.AddDays(1).ToDateTime(TimeOnly.MinValue));
        var q = db.Evaluations.AsNoTracking().Where(e =>
            (e.State == EvaluationState.Submitted || e.State == EvaluationState.Disputed)
            && e.ScorecardVersion!.ScorecardId == f.ScorecardId && e.CallStartedAt >= from && e.CallStartedAt < to);
        var scope = RecordingScope.TeamsOf(user);
        if (scope.Count > 0) q = q.Where(e => e.Team != null && scope.Contains(e.Team));
        if (f.Teams.Count > 0) q = q.Where(e => e.Team != null && f.Teams.Contains(e.Team));
        if (f.Agents.Count > 0) q = q.Where(e => e.AgentExtension != null && f.Agents.Contains(e.AgentExtension));
        return q;
    }

    private static async Task<(List<Row>? Rows, Problem? Problem)> RowsAsync(IQueryable<Evaluation> q, CancellationToken ct)
    {
        var rows = await q.OrderBy(e => e.Id)
            .Select(e => new Row(e.Id, e.RecordingId, e.Evaluator, e.AgentExtension, e.AgentName, e.Team, e.CallStartedAt, e.Score, e.CriticalFailed, e.CreatedAt))
            .Take(MaxEvaluations + 1).ToListAsync(ct);
        return rows.Count > MaxEvaluations
            ? (null, new("Report_TooMany", $"More than {MaxEvaluations} evaluations match: narrow the period or the teams.", MaxEvaluations))
            : (rows, null);
    }

    /// <summary>The scorecard's questions, latest version first, then keys that only older versions had.</summary>
    private async Task<(string Name, List<(FormQuestion Question, string Section)> Questions)?> QuestionsAsync(int scorecardId, CancellationToken ct)
    {
        var versions = await scorecards.HistoryAsync(scorecardId, ct);
        if (versions.Count == 0) return null;
        var latest = await scorecards.LatestAsync(scorecardId, ct);
        var seen = new HashSet<string>();
        var questions = new List<(FormQuestion, string)>();
        foreach (var form in versions.Select(v => ScorecardForm.FromJson(v.Definition)))
            foreach (var section in form.Sections)
                foreach (var q in section.Questions)
                    if (seen.Add(q.Key)) questions.Add((q, section.Title));
        return (latest!.Scorecard.Name, questions);
    }

    /// <summary>The filter checked and its scorecard's questions, or what was wrong.</summary>
    private async Task<((string Name, List<(FormQuestion Question, string Section)> Questions)? Card, IReadOnlyList<Problem> Problems)> CardAsync(
        ReportFilter filter, CancellationToken ct)
    {
        if (filter.Validate() is { Count: > 0 } invalid) return (null, invalid);
        return await QuestionsAsync(filter.ScorecardId, ct) is { } card
            ? (card, [])
            : (null, [new("Report_NoScorecard", $"There is no scorecard {filter.ScorecardId}.", filter.ScorecardId)]);
    }

    public async Task<(QualityReport? Report, IReadOnlyList<Problem> Problems)> ScoresAsync(ReportFilter filter, ClaimsPrincipal user, CancellationToken ct = default)
    {
        var (found, refused) = await CardAsync(filter, ct);
        if (found is not { } card) return (null, refused);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var counted = Counted(db, filter, user);
        var (rows, problem) = await RowsAsync(counted, ct);
        if (rows is null) return (null, [problem!]);

        var periods = new List<DateOnly>();
        for (var p = ReportFilter.StartOf(filter.From, filter.Period); p <= filter.To; p = ReportFilter.Next(p, filter.Period)) periods.Add(p);
        int PeriodOf(DateTime utc) => periods.BinarySearch(ReportFilter.StartOf(DateOnly.FromDateTime(display.ToLocal(utc)), filter.Period));

        ScoreGroup Group(string key, string label, string? team, IReadOnlyList<Row> of)
        {
            var scored = of.Where(r => r.Score is not null).ToList();
            var byPeriod = new decimal?[periods.Count];
            foreach (var bucket in scored.GroupBy(r => PeriodOf(r.CallStartedAt)).Where(b => b.Key >= 0))
                byPeriod[bucket.Key] = Math.Round(bucket.Average(r => r.Score!.Value), 1, MidpointRounding.AwayFromZero);
            var stats = new ScoreStats(of.Count,
                scored.Count == 0 ? null : Math.Round(scored.Average(r => r.Score!.Value), 1, MidpointRounding.AwayFromZero),
                scored.Count == 0 ? null : scored.Min(r => r.Score), scored.Count == 0 ? null : scored.Max(r => r.Score), of.Count(r => r.CriticalFailed));
            return new ScoreGroup(key, label, team, stats, byPeriod);
        }

        var overall = Group("", "", null, rows);
        var teams = rows.GroupBy(r => r.Team ?? "").OrderBy(g => g.Key, StringComparer.CurrentCulture)
            .Select(g => Group(g.Key, g.Key, g.Key, g.ToList())).ToList();
        var agents = rows.GroupBy(r => r.AgentExtension ?? "")
            .Select(g =>
            {
                var last = g.MaxBy(r => r.CallStartedAt)!;
                var label = last.AgentName is { Length: > 0 } name ? g.Key.Length > 0 ? $"{name} ({g.Key})" : name : g.Key;
                return Group(g.Key, label, last.Team, g.ToList());
            })
            .OrderBy(g => g.Label, StringComparer.CurrentCulture).ToList();

        var answers = await (from a in db.EvaluationAnswers.AsNoTracking()
                             join e in counted on a.EvaluationId equals e.Id
                             select new { a.QuestionKey, a.Fraction, a.NotApplicable, e.CallStartedAt }).ToListAsync(ct);
        var byKey = answers.ToLookup(a => a.QuestionKey);
        var questions = card.Questions.Select(entry =>
        {
            var (q, section) = entry;
            var given = byKey[q.Key].ToList();
            var scored = given.Where(a => !a.NotApplicable && a.Fraction is not null).ToList();
            var byPeriod = new decimal?[periods.Count];
            foreach (var bucket in scored.GroupBy(a => PeriodOf(a.CallStartedAt)).Where(b => b.Key >= 0))
                byPeriod[bucket.Key] = Percent(bucket.Average(a => a.Fraction!.Value));
            return new QuestionStats(q.Key, q.Text, section, q.Critical, scored.Count, given.Count(a => a.NotApplicable),
                scored.Count == 0 ? null : Percent(scored.Average(a => a.Fraction!.Value)), scored.Count(a => a.Fraction == 0), byPeriod);
        }).ToList();
        return (new QualityReport(filter, card.Name, periods, overall, teams, agents, questions), []);
    }

    public async Task<(CalibrationReport? Report, IReadOnlyList<Problem> Problems)> CalibrationAsync(ReportFilter filter, ClaimsPrincipal user, CancellationToken ct = default)
    {
        var (found, refused) = await CardAsync(filter, ct);
        if (found is not { } card) return (null, refused);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var counted = Counted(db, filter, user);
        // Calls that at least two evaluators finished: only those are fetched, with every evaluator's latest evaluation.
        var shared = counted.GroupBy(e => e.RecordingId).Where(g => g.Select(e => e.Evaluator).Distinct().Count() >= 2).Select(g => g.Key);
        var (rows, problem) = await RowsAsync(counted.Where(e => shared.Contains(e.RecordingId)), ct);
        if (rows is null) return (null, [problem!]);
        var answers = (await (from a in db.EvaluationAnswers.AsNoTracking()
                              join e in counted.Where(e => shared.Contains(e.RecordingId)) on a.EvaluationId equals e.Id
                              select new { a.EvaluationId, a.QuestionKey, a.Fraction, a.NotApplicable }).ToListAsync(ct))
            .ToLookup(a => a.EvaluationId);

        var calls = rows.GroupBy(r => r.RecordingId).Select(call =>
        {
            var latest = call.GroupBy(r => r.Evaluator, StringComparer.OrdinalIgnoreCase)
                .Select(g => g.MaxBy(r => (r.CreatedAt, r.Id))!).OrderBy(r => r.Evaluator, StringComparer.OrdinalIgnoreCase).ToList();
            var scores = latest.Select(r => new CalibrationScore(r.Id, r.Evaluator, r.Score, r.CriticalFailed,
                answers[r.Id].ToDictionary(a => a.QuestionKey, a => a.NotApplicable ? null : a.Fraction))).ToList();
            var values = scores.Select(s => s.Score).OfType<decimal>().ToList();
            var first = latest[0];
            var agent = first.AgentName is { Length: > 0 } name ? first.AgentExtension is { } ext ? $"{name} ({ext})" : name : first.AgentExtension;
            return values.Count < 2
                ? new CalibrationCall(call.Key, first.CallStartedAt, agent, first.Team, scores, values.Count == 1 ? values[0] : null, null, null)
                : new CalibrationCall(call.Key, first.CallStartedAt, agent, first.Team, scores, Round(values.Average()), values.Max() - values.Min(), Round(StdDev(values)));
        }).OrderByDescending(c => c.CallStartedAt).ThenBy(c => c.RecordingId).ToList();

        var deviations = calls.Where(c => c.Spread is not null)
            .SelectMany(c => c.Scores.Where(s => s.Score is not null).Select(s => (s.Evaluator, Deviation: s.Score!.Value - c.Scores.Where(x => x.Score is not null).Average(x => x.Score!.Value))));
        var evaluators = deviations.GroupBy(d => d.Evaluator, StringComparer.OrdinalIgnoreCase)
            .Select(g => new EvaluatorBias(g.Key, g.Count(), Round(g.Average(d => d.Deviation)), Round(g.Average(d => Math.Abs(d.Deviation)))))
            .OrderByDescending(b => b.MeanAbsoluteDeviation).ToList();
        var measured = calls.Where(c => c.Spread is not null).ToList();
        return (new CalibrationReport(filter, calls, evaluators, card.Questions.Select(q => (q.Question.Key, q.Question.Text)).ToList(),
            measured.Count == 0 ? null : Round(measured.Average(c => c.Spread!.Value)),
            measured.Count == 0 ? null : Round(measured.Average(c => c.StdDev!.Value))), []);
    }

    private static decimal Round(decimal value) => Math.Round(value, 1, MidpointRounding.AwayFromZero);

    /// <summary>Population standard deviation: the evaluators of a call are all of them, not a sample of some larger set.</summary>
    internal static decimal StdDev(IReadOnlyCollection<decimal> values)
    {
        var mean = values.Average();
        return (decimal)Math.Sqrt((double)values.Sum(v => (v - mean) * (v - mean)) / values.Count);
    }
}

/// <summary>
/// <c>GET /api/v1/quality/reports/{view}.csv</c> with view teams, agents, questions or calibration, and the filter of
/// <see cref="ReportFilter.Parse"/>. Agents' scores are their personal data: every export is written to the audit log.
/// </summary>
public static class QualityReportsApi
{
    public static readonly string[] Views = ["teams", "agents", "questions", "calibration"];

    public static IEndpointRouteBuilder MapQualityReportsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/quality/reports/{view}.csv", ExportAsync).RequireAuthorization(Policies.RunQualityAudits).WithTags("Quality");
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
        else
        {
            var (report, refused) = await reports.ScoresAsync(filter, http.User, http.RequestAborted);
            if (report is null) return Invalid(refused);
            csv = view == "questions" ? CsvOfQuestions(report) : CsvOfGroups(report, view == "teams" ? report.Teams : report.Agents, view == "agents");
        }
        var describe = $"view={view} scorecard={filter.ScorecardId} from={filter.From:yyyy-MM-dd} to={filter.To:yyyy-MM-dd} period={filter.Period.ToString().ToLowerInvariant()}"
            + (filter.Teams.Count > 0 ? $" teams={string.Join('|', filter.Teams)}" : "") + (filter.Agents.Count > 0 ? $" agents={string.Join('|', filter.Agents)}" : "");
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
        var csv = new CsvText([.. head, "evaluations", "average", "min", "max", "critical_failed", .. report.Periods.Select(Day)]);
        foreach (var g in groups)
        {
            string?[] key = agents ? [g.Key, g.Label, g.Team] : [g.Key];
            csv.Row([.. key, CsvText.Number(g.Stats.Evaluations), Pct(g.Stats.Average), Pct(g.Stats.Min), Pct(g.Stats.Max),
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

    public static string Csv(CalibrationReport report)
    {
        var csv = new CsvText("recording_id", "call_started_at", "agent", "team", "evaluator", "evaluation_id", "score", "critical_failed", "call_mean", "call_spread", "call_stddev");
        foreach (var c in report.Calls)
            foreach (var s in c.Scores)
                csv.Row(CsvText.Number(c.RecordingId), CsvText.Iso(c.CallStartedAt), c.Agent, c.Team, s.Evaluator, CsvText.Number(s.EvaluationId),
                    Pct(s.Score), s.CriticalFailed ? "true" : "false", Pct(c.Mean), Pct(c.Spread), Pct(c.StdDev));
        return csv.ToString();
    }
}
