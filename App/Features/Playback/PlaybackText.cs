namespace NagrywanieRozmow.Features.Playback;

/// <summary>Marker for the player's texts (PlaybackText.resx: Polish; PlaybackText.en.resx: English).</summary>
public sealed class PlaybackText;

/// <summary>A moment (no end) or a span on the player's timeline. Kind becomes a CSS class: "comment", "answer", "clip".</summary>
public sealed record PlayerMark(string Id, int StartMs, int? EndMs, string Label, string Kind = "comment");
