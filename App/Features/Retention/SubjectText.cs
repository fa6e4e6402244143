namespace NagrywanieRozmow.Features.Retention;

/// <summary>Marker for SubjectText.resx: the data-subject requests page and its receipts.</summary>
public sealed class SubjectText;
