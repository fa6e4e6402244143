namespace NagrywanieRozmow.Features.Playback;

/// <summary>Marker for the player's texts (PlaybackText.resx: Polish; PlaybackText.en.resx: English).</summary>
public sealed class PlaybackText;
