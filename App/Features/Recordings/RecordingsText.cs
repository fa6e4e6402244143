namespace NagrywanieRozmow.Features.Recordings;

/// <summary>Marker for the recordings screens' texts (RecordingsText.resx: Polish; RecordingsText.en.resx: English).</summary>
public sealed class RecordingsText;
