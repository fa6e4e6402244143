namespace NagrywanieRozmow.Features.Quality;

/// <summary>One frozen form of a scorecard. <see cref="Definition"/> is <see cref="ScorecardForm"/> as JSON.</summary>
public sealed class ScorecardVersion
{
    public int Id { get; set; }
    public int ScorecardId { get; set; }
    public Scorecard? Scorecard { get; set; }
    public int Number { get; set; }
    public required string Definition { get; set; }
    public DateTime CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
}
