namespace NagrywanieRozmow.Shared.Media;

/// <summary>A WAV file's <c>fmt </c> chunk as written (the byte rate is the header's copy, which may be wrong).</summary>
public sealed record WavFormat(int Tag, int Channels, int SampleRate, int ByteRate, int BitsPerSample)
{
    /// <summary>The codec name ffmpeg uses for this format, or null for one the panel does not read.</summary>
    public string? Codec => Tag switch
    {
        1 => BitsPerSample switch { 8 => "pcm_u8", 16 => "pcm_s16le", 24 => "pcm_s24le", 32 => "pcm_s32le", _ => null },
        3 => "pcm_f32le",
        6 => "pcm_alaw",
        7 => "pcm_mulaw",
        0x31 => "gsm_ms",
        0x55 => "mp3",
        _ => null,
    };
}
