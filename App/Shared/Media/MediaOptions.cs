using System.ComponentModel.DataAnnotations;

namespace NagrywanieRozmow.Shared.Media;

/// <summary>
/// Where ffmpeg and ffprobe are. A name is looked up on PATH; a path (with a slash) is taken as it is. Both are optional:
/// without them GSM recordings do not play and MP3/Ogg files wait in the spool, and the panel says so.
/// </summary>
public sealed class MediaOptions
{
    [Required] public string FfmpegPath { get; set; } = "ffmpeg";

    [Required] public string FfprobePath { get; set; } = "ffprobe";
}
