namespace NagrywanieRozmow.Features.Retention;

/// <summary>Marker for HoldsText.resx: the legal-hold texts.</summary>
public sealed class HoldsText;
