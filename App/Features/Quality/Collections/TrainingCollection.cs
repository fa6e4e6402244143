namespace NagrywanieRozmow.Features.Quality;

/// <summary>A named list of calls or clips for training, shared with chosen people. It never keeps a recording alive.</summary>
public sealed class TrainingCollection
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public required string Owner { get; set; }
    public DateTime CreatedAt { get; set; }
    public List<CollectionItem> Items { get; set; } = [];
    public List<CollectionShare> Shares { get; set; } = [];
}
