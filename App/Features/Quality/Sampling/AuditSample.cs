namespace NagrywanieRozmow.Features.Quality;

/// <summary>A random but reproducible pick of calls to audit: the criteria and the seed make the same calls again.</summary>
public sealed class AuditSample
{
    public int Id { get; set; }
    public required string Name { get; set; }

    /// <summary><see cref="SampleCriteria"/> as JSON, exactly as chosen.</summary>
    public required string Criteria { get; set; }
    public int Seed { get; set; }

    /// <summary>Evaluators do not see whose call it is until they submit.</summary>
    public bool Blind { get; set; }
    /// <summary>The evaluators as chosen, in order (one a line): round robin hands the calls out in this order.</summary>
    public string? Evaluators { get; set; }

    /// <summary>Every evaluator scores every call (a calibration), rather than the calls shared out in turn.</summary>
    public bool Calibration { get; set; }

    public int ScorecardVersionId { get; set; }
    public DateTime CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public List<SampleItem> Items { get; set; } = [];
}
