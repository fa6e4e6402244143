namespace NagrywanieRozmow.Features.Access;

/// <summary>Marker for the administration screens' texts (AdminText.resx: Polish; AdminText.en.resx: English).</summary>
public sealed class AdminText;
