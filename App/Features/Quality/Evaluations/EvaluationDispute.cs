namespace NagrywanieRozmow.Features.Quality;

public enum DisputeOutcome { Upheld, Reevaluated }

/// <summary>An agent or their manager disagrees with a submitted evaluation; a quality manager upholds it or re-evaluates.</summary>
public sealed class EvaluationDispute
{
    public int Id { get; set; }
    public int EvaluationId { get; set; }
    public required string RaisedBy { get; set; }
    public DateTime RaisedAt { get; set; }
    public required string Reason { get; set; }
    public string? ResolvedBy { get; set; }
    public DateTime? ResolvedAt { get; set; }
    public DisputeOutcome? Outcome { get; set; }
    public string? ResolutionNote { get; set; }
}
