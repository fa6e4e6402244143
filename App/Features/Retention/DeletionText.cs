namespace NagrywanieRozmow.Features.Retention;

/// <summary>Marker for DeletionText.resx: manual deletion on a recording's page and the deletion requests page.</summary>
public sealed class DeletionText;
