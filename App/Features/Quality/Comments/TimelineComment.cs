namespace NagrywanieRozmow.Features.Quality;

/// <summary>A comment on a moment or a span of a call, by anyone allowed to listen to it.</summary>
public sealed class TimelineComment
{
    public int Id { get; set; }
    public long RecordingId { get; set; }
    public int StartMs { get; set; }
    public int? EndMs { get; set; }
    public required string Text { get; set; }
    public required string Author { get; set; }
    public DateTime CreatedAt { get; set; }
}
