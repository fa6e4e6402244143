using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Shared.Time;

namespace NagrywanieRozmow.Features.Quality;

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
        DateTime CallStartedAt, decimal? Score, decimal? RawScore, bool CriticalFailed, DateTime CreatedAt);

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
        if (f.CriticalOnly) q = q.Where(e => e.CriticalFailed);
        // A colleague's score of a call the reader is still evaluating blind would name its agent and time.
        if (AppDbContext.MayBeWithheldFrom(user)) q = q.Where(e => !db.WithheldFrom(user).Contains(e.RecordingId));
        return q;
    }

    private static async Task<(List<Row>? Rows, Problem? Problem)> RowsAsync(IQueryable<Evaluation> q, CancellationToken ct)
    {
        var rows = await q.OrderBy(e => e.Id)
            .Select(e => new Row(e.Id, e.RecordingId, e.Evaluator, e.AgentExtension, e.AgentName, e.Team, e.CallStartedAt, e.Score, e.RawScore, e.CriticalFailed, e.CreatedAt))
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

    /// <summary>One evaluation of the report's filter, as its CSV lists it: both scores and the critical questions it failed.</summary>
    public sealed record EvaluationLine(
        int Id, long RecordingId, DateTime CallStartedAt, string? AgentExtension, string? AgentName, string? Team, string Evaluator,
        decimal? Score, decimal? RawScore, bool CriticalFailed, IReadOnlyList<string> FailedQuestions);

    /// <summary>The evaluations a report counts, one by one (newest call first).</summary>
    public async Task<(IReadOnlyList<EvaluationLine>? Lines, IReadOnlyList<Problem> Problems)> EvaluationsAsync(ReportFilter filter, ClaimsPrincipal user, CancellationToken ct = default)
    {
        var (found, refused) = await CardAsync(filter, ct);
        if (found is null) return (null, refused);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var (rows, problem) = await RowsAsync(Counted(db, filter, user), ct);
        if (rows is null) return (null, [problem!]);
        var failed = await Evaluations.FailedCriticalAsync(db, rows.Where(r => r.CriticalFailed).Select(r => r.Id).ToList(), ct);
        return (rows.OrderByDescending(r => r.CallStartedAt).ThenBy(r => r.Id).Select(r => new EvaluationLine(r.Id, r.RecordingId, r.CallStartedAt, r.AgentExtension,
            r.AgentName, r.Team, r.Evaluator, r.Score, r.RawScore, r.CriticalFailed, failed.GetValueOrDefault(r.Id) ?? [])).ToList(), []);
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
            var weighted = of.Where(r => r.RawScore is not null).ToList();
            var stats = new ScoreStats(of.Count,
                scored.Count == 0 ? null : Math.Round(scored.Average(r => r.Score!.Value), 1, MidpointRounding.AwayFromZero),
                scored.Count == 0 ? null : scored.Min(r => r.Score), scored.Count == 0 ? null : scored.Max(r => r.Score), of.Count(r => r.CriticalFailed),
                weighted.Count == 0 ? null : Math.Round(weighted.Average(r => r.RawScore!.Value), 1, MidpointRounding.AwayFromZero));
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
        var failed = await Evaluations.FailedCriticalAsync(db, rows.Where(r => r.CriticalFailed).Select(r => r.Id).ToList(), ct);

        var calls = rows.GroupBy(r => r.RecordingId).Select(call =>
        {
            var latest = call.GroupBy(r => r.Evaluator, StringComparer.OrdinalIgnoreCase)
                .Select(g => g.MaxBy(r => (r.CreatedAt, r.Id))!).OrderBy(r => r.Evaluator, StringComparer.OrdinalIgnoreCase).ToList();
            var scores = latest.Select(r => new CalibrationScore(r.Id, r.Evaluator, r.Score, r.RawScore, r.CriticalFailed, failed.GetValueOrDefault(r.Id) ?? [],
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
