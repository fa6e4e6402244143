namespace NagrywanieRozmow.Shared.Media;

/// <summary>
/// Where a WAV file's audio is: the format read before the <c>data</c> chunk (null when none was), and the data chunk's start and
/// declared size (null start when there is no data chunk).
/// </summary>
public sealed record WavLayout(WavFormat? Format, long? DataStart, uint DataSize);
