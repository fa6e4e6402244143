namespace NagrywanieRozmow.Shared.Media;

/// <summary>Where ffmpeg and ffprobe were found (full paths), or null for the one that is missing.</summary>
public sealed record FfmpegAvailability(string? Ffmpeg, string? Ffprobe)
{
    public bool Complete => Ffmpeg is not null && Ffprobe is not null;

    /// <summary>The missing programs by name ("ffmpeg", "ffprobe", or "ffmpeg, ffprobe"); null when both are there.</summary>
    public string? Missing => Complete ? null : string.Join(", ", new[] { Ffmpeg is null ? "ffmpeg" : null, Ffprobe is null ? "ffprobe" : null }.OfType<string>());

    /// <summary>For /health/ready and the logs: what is missing, what does not work without it, and the fix.</summary>
    public string? Problem => Complete ? null
        : Ffmpeg is null && Ffprobe is null
            ? "ffmpeg: not installed (apt-get install ffmpeg); GSM, MP3 and Ogg recordings cannot be played or taken in"
            : $"{Missing}: not found (apt-get install ffmpeg, or set Media:{(Ffmpeg is null ? "FfmpegPath" : "FfprobePath")}); " +
              (Ffmpeg is null ? "GSM recordings cannot be played" : "MP3 and Ogg recordings cannot be taken in");
}
