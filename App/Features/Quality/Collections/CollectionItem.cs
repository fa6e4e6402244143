namespace NagrywanieRozmow.Features.Quality;

/// <summary>A whole call (no span) or a clip of it, with a note. The recording may have gone since: see the tombstone.</summary>
public sealed class CollectionItem
{
    public int Id { get; set; }
    public int CollectionId { get; set; }
    public int Position { get; set; }
    public long RecordingId { get; set; }
    public int? StartMs { get; set; }
    public int? EndMs { get; set; }
    public string? Note { get; set; }
    public required string AddedBy { get; set; }
    public DateTime AddedAt { get; set; }
}
