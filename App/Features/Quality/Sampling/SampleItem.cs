namespace NagrywanieRozmow.Features.Quality;

/// <summary>One call the sample picked, in the order picked.</summary>
public sealed class SampleItem
{
    public int Id { get; set; }
    public int SampleId { get; set; }
    public int Position { get; set; }
    public long RecordingId { get; set; }

    /// <summary>Copied when picked, so the sample still reads after the recording has gone.</summary>
    public string? AgentExtension { get; set; }
    public string? AgentName { get; set; }
    public string? Team { get; set; }
    public DateTime CallStartedAt { get; set; }
}
