namespace NagrywanieRozmow.Features.Evidence;

/// <summary>Marker for EvidenceText.resx: the evidence signing page (public keys, rotation).</summary>
public sealed class EvidenceText;
