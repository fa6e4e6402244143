namespace NagrywanieRozmow.Features.Quality;

/// <summary>Someone (by e-mail) the collection is shared with.</summary>
public sealed class CollectionShare
{
    public int CollectionId { get; set; }
    public required string Email { get; set; }
}
