namespace NagrywanieRozmow.Features.Quality;

/// <summary>Marker for QualityText.resx: the texts of scorecards, samples, evaluations, comments, collections and reports.</summary>
public sealed class QualityText;
