namespace NagrywanieRozmow.Features.Quality;

/// <summary>One evaluator's verdict on a calibration call.</summary>
public sealed record CalibrationScore(
    int EvaluationId, string Evaluator, decimal? Score, decimal? RawScore, bool CriticalFailed, IReadOnlyList<string> FailedQuestions,
    IReadOnlyDictionary<string, decimal?> Fractions);

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
