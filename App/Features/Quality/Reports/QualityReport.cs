namespace NagrywanieRozmow.Features.Quality;

/// <summary>
/// Scores of a group: the final ones (0 where a critical question failed), the failures, and the average of the weighted
/// scores before the critical questions, so a group's one critical miss reads apart from its poor calls.
/// </summary>
public sealed record ScoreStats(int Evaluations, decimal? Average, decimal? Min, decimal? Max, int CriticalFailed, decimal? AverageWeighted);

/// <summary>One agent, team or the whole: its scores in the period, and the average in each period bucket (null: none).</summary>
public sealed record ScoreGroup(string Key, string Label, string? Team, ScoreStats Stats, IReadOnlyList<decimal?> ByPeriod);

/// <summary>One question over the evaluations: how often answered, its average as a percentage of its maximum, how often 0.</summary>
public sealed record QuestionStats(
    string Key, string Text, string Section, bool Critical, int Answered, int NotApplicable, decimal? Average, int Zero, IReadOnlyList<decimal?> ByPeriod);

public sealed record QualityReport(
    ReportFilter Filter, string ScorecardName, IReadOnlyList<DateOnly> Periods, ScoreGroup Overall,
    IReadOnlyList<ScoreGroup> Teams, IReadOnlyList<ScoreGroup> Agents, IReadOnlyList<QuestionStats> Questions);
