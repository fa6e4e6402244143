namespace NagrywanieRozmow.Shared.Media;

/// <summary>
/// A header-less recording as Asterisk writes it: only the file's extension says what it holds (formats/format_pcm.c,
/// format_sln.c, format_gsm.c), and it is always mono. <paramref name="Format"/> is the value a recording's Format gets.
/// </summary>
public sealed record RawFormat(string Format, string Codec, int SampleRate, int FrameBytes, int FrameSamples)
{
    private static readonly RawFormat MuLaw = new("ulaw", "pcm_mulaw", 8000, 1, 1);
    private static readonly RawFormat ALaw = new("alaw", "pcm_alaw", 8000, 1, 1);
    private static readonly RawFormat Gsm = new("gsm", "gsm", 8000, 33, 160);

    private static RawFormat Sln(int sampleRate) => new("sln", "pcm_s16le", sampleRate, 2, 1);

    private static readonly Dictionary<string, RawFormat> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ulaw"] = MuLaw, ["ul"] = MuLaw, ["mu"] = MuLaw, ["ulw"] = MuLaw, ["pcm"] = MuLaw,
        ["alaw"] = ALaw, ["al"] = ALaw, ["alw"] = ALaw,
        ["sln"] = Sln(8000), ["raw"] = Sln(8000),
        ["sln12"] = Sln(12000), ["sln16"] = Sln(16000), ["sln24"] = Sln(24000), ["sln32"] = Sln(32000),
        ["sln44"] = Sln(44100), ["sln48"] = Sln(48000), ["sln96"] = Sln(96000), ["sln192"] = Sln(192000),
        ["gsm"] = Gsm,
    };

    /// <summary>The raw format a file name's extension stands for, or null for any other file.</summary>
    public static RawFormat? OfFileName(string path) =>
        ByExtension.GetValueOrDefault(Path.GetExtension(path).TrimStart('.'));

    /// <summary>True for a recording Format that names a header-less file (its samples start at byte 0).</summary>
    public static bool IsRawContainer(string? format) => format is "ulaw" or "alaw" or "sln" or "gsm";

    /// <summary>Whole frames in <paramref name="bytes"/>, and the bytes left over that make no frame.</summary>
    public (long Frames, long Leftover) FramesIn(long bytes) => (bytes / FrameBytes, bytes % FrameBytes);

    public int DurationMs(long frames) => (int)Math.Min(Math.Round(frames * FrameSamples * 1000.0 / SampleRate), int.MaxValue);
}
