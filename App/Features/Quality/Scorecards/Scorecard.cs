namespace NagrywanieRozmow.Features.Quality;

/// <summary>A named scorecard. Its questions live in versions: editing makes a new version, old evaluations keep theirs.</summary>
public sealed class Scorecard
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public bool Archived { get; set; }
    public DateTime CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public List<ScorecardVersion> Versions { get; set; } = [];
}
