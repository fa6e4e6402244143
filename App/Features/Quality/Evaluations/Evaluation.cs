namespace NagrywanieRozmow.Features.Quality;

public enum EvaluationState { Assigned, Draft, Submitted, Disputed, Superseded }

/// <summary>
/// One evaluator's evaluation of one call against one scorecard version. Agent, team and call time are copied in, so reports
/// over time stay right after the recording is purged. A re-evaluation is a new row naming the one it replaces.
/// </summary>
public sealed class Evaluation
{
    public int Id { get; set; }
    public long RecordingId { get; set; }
    public int? SampleId { get; set; }
    public int? SampleItemId { get; set; }
    public int ScorecardVersionId { get; set; }
    public ScorecardVersion? ScorecardVersion { get; set; }
    public required string Evaluator { get; set; }
    public string? AgentExtension { get; set; }
    public string? AgentName { get; set; }
    public string? Team { get; set; }
    public DateTime CallStartedAt { get; set; }
    public bool Blind { get; set; }
    public EvaluationState State { get; set; }

    /// <summary>0–100 after critical questions: a failed critical question makes it 0.</summary>
    public decimal? Score { get; set; }

    /// <summary>0–100 from the weights alone, before critical questions.</summary>
    public decimal? RawScore { get; set; }
    public bool CriticalFailed { get; set; }
    public string? Notes { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? SubmittedAt { get; set; }

    /// <summary>When the agent first opened the submitted evaluation (null: not read yet).</summary>
    public DateTime? AgentReadAt { get; set; }

    /// <summary>When the agent confirmed they read it (a dispute is the other answer).</summary>
    public DateTime? AcknowledgedAt { get; set; }

    /// <summary>The evaluation this one re-does (after a dispute), which is then <see cref="EvaluationState.Superseded"/>.</summary>
    public int? ReplacesId { get; set; }
    public List<EvaluationAnswer> Answers { get; set; } = [];
    public List<EvaluationDispute> Disputes { get; set; } = [];
}
