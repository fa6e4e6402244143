namespace NagrywanieRozmow.Features.Recordings;

/// <summary>Where a re-normalisation is: the last recording id walked, rows walked and rewritten by this run, and whether it has finished.</summary>
public sealed record RenormalizationProgress(long LastId, long Walked, long Changed, bool Done);
