namespace NagrywanieRozmow.Features.Quality;

/// <summary>One answer. <see cref="Value"/>: 1/0 for yes/no, 0–5 on a scale, points; null with <see cref="NotApplicable"/>.</summary>
public sealed class EvaluationAnswer
{
    public int EvaluationId { get; set; }
    public required string QuestionKey { get; set; }
    public decimal? Value { get; set; }
    public bool NotApplicable { get; set; }

    /// <summary>The answer's own score 0–1 (null when not applicable), kept for per-question reports.</summary>
    public decimal? Fraction { get; set; }

    /// <summary>Pinned to a moment (start only) or a span of the call.</summary>
    public int? StartMs { get; set; }
    public int? EndMs { get; set; }
    public string? Note { get; set; }
}
