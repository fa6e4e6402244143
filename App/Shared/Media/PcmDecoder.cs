using System.Buffers.Binary;

namespace NagrywanieRozmow.Shared.Media;

/// <summary>
/// Turns PCM and G.711 sample bytes into interleaved 16-bit samples as it reads them, so a 60-minute call never sits in memory
/// and needs no ffmpeg. Conversions are those ffmpeg makes (G.711 by the ITU tables, wider PCM by its top 16 bits), so a
/// rendition made here sounds the same as one made there.
/// </summary>
public sealed class PcmDecoder
{
    private const int ReadBytes = 64 * 1024;

    private readonly Stream samples;
    private readonly int sampleBytes;
    private readonly string codec;
    private long remainingBytes;
    private byte[] buffer = [];

    private PcmDecoder(Stream samples, string codec, int channels, int sampleRate, long? byteCount)
    {
        this.samples = samples;
        this.codec = codec;
        sampleBytes = SampleBytes(codec) ?? throw new ArgumentException($"{codec} is not a codec decoded here.", nameof(codec));
        Channels = channels;
        SampleRate = sampleRate;
        remainingBytes = byteCount ?? long.MaxValue;
        Frames = byteCount is { } bytes ? bytes / (sampleBytes * (long)channels) : null;
    }

    public int Channels { get; }

    public int SampleRate { get; }

    /// <summary>The whole frames the audio holds, when the stream's length is known.</summary>
    public long? Frames { get; }

    /// <summary>Bytes one sample of <paramref name="codec"/> takes, or null for a codec this does not decode (GSM, MP3, …).</summary>
    public static int? SampleBytes(string? codec) => codec switch
    {
        "pcm_u8" or "pcm_alaw" or "pcm_mulaw" => 1,
        "pcm_s16le" => 2,
        "pcm_s24le" => 3,
        "pcm_s32le" or "pcm_f32le" => 4,
        _ => null,
    };

    public static bool CanDecode(string? codec) => SampleBytes(codec) is not null;

    /// <summary>Header-less samples from the stream's current position to its end (or <paramref name="byteCount"/> bytes).</summary>
    public static PcmDecoder Raw(Stream samples, string codec, int channels, int sampleRate, long? byteCount) =>
        new(samples, codec, Math.Max(1, channels), sampleRate, byteCount);

    /// <summary>The WAV's samples, with the format its own header gives; null when the WAV holds a codec decoded elsewhere or no audio.</summary>
    public static async Task<PcmDecoder?> OpenWavAsync(Stream wav, CancellationToken ct)
    {
        long? length = wav.CanSeek ? wav.Length : null;
        var layout = await RiffWave.ReadLayoutAsync(wav, length, ct);
        if (layout is not { Format: { } format, DataStart: { } start } || !CanDecode(format.Codec) || format.Channels <= 0 || format.SampleRate <= 0)
            return null;
        // Asterisk fills the sizes in when it closes the file: 0 or all ones means the data runs to the end.
        long? bytes = layout.DataSize is 0 or uint.MaxValue ? null : layout.DataSize;
        if (length is { } total) bytes = Math.Min(bytes ?? long.MaxValue, total - start);
        return new PcmDecoder(wav, format.Codec!, format.Channels, format.SampleRate, bytes);
    }

    /// <summary>Fills <paramref name="destination"/> with whole frames; returns the samples written, 0 at the end of the audio.</summary>
    public async ValueTask<int> ReadAsync(Memory<short> destination, CancellationToken ct)
    {
        var frames = destination.Length / Channels;
        var wanted = (int)Math.Min(Math.Min((long)frames * Channels * sampleBytes, remainingBytes), ReadBytes);
        wanted -= wanted % (Channels * sampleBytes);
        if (wanted <= 0) return 0;
        if (buffer.Length < wanted) buffer = new byte[Math.Max(wanted, Channels * sampleBytes)];
        var read = await samples.ReadAtLeastAsync(buffer.AsMemory(0, wanted), wanted, throwOnEndOfStream: false, ct);
        // A last, partial frame (a file cut mid-sample) is dropped: half a frame has no sound of its own.
        read -= read % (Channels * sampleBytes);
        remainingBytes = read < wanted ? 0 : remainingBytes - read;
        var count = read / sampleBytes;
        Convert(buffer.AsSpan(0, read), destination.Span[..count]);
        return count;
    }

    /// <summary>Moves on <paramref name="frames"/> frames without decoding them (seeking where the stream can).</summary>
    public async Task SkipFramesAsync(long frames, CancellationToken ct)
    {
        var bytes = Math.Min(frames * Channels * sampleBytes, remainingBytes);
        if (bytes <= 0) return;
        if (samples.CanSeek && samples.Position + bytes > samples.Length) bytes = samples.Length - samples.Position;
        try
        {
            await RiffWave.SkipForwardAsync(samples, bytes, ct);
            remainingBytes -= bytes;
        }
        catch (EndOfStreamException)
        {
            remainingBytes = 0;
        }
    }

    private void Convert(ReadOnlySpan<byte> source, Span<short> target)
    {
        switch (codec)
        {
            case "pcm_mulaw":
                Expand(source, target, G711.MuLaw);
                break;
            case "pcm_alaw":
                Expand(source, target, G711.ALaw);
                break;
            case "pcm_u8":
                for (var i = 0; i < target.Length; i++) target[i] = (short)((source[i] - 128) << 8);
                break;
            case "pcm_s16le":
                for (var i = 0; i < target.Length; i++) target[i] = BinaryPrimitives.ReadInt16LittleEndian(source[(2 * i)..]);
                break;
            case "pcm_s24le":
                for (var i = 0; i < target.Length; i++) target[i] = (short)(source[3 * i + 1] | source[3 * i + 2] << 8);
                break;
            case "pcm_s32le":
                for (var i = 0; i < target.Length; i++) target[i] = BinaryPrimitives.ReadInt16LittleEndian(source[(4 * i + 2)..]);
                break;
            case "pcm_f32le":
                for (var i = 0; i < target.Length; i++)
                {
                    var value = BinaryPrimitives.ReadSingleLittleEndian(source[(4 * i)..]);
                    target[i] = float.IsNaN(value) ? (short)0 : (short)Math.Clamp(MathF.Round(value * 32768f, MidpointRounding.ToEven), short.MinValue, short.MaxValue);
                }
                break;
        }
    }

    private static void Expand(ReadOnlySpan<byte> source, Span<short> target, ReadOnlySpan<short> table)
    {
        for (var i = 0; i < target.Length; i++) target[i] = table[source[i]];
    }
}
