using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace NagrywanieRozmow.Shared.Media;

/// <summary>Writes canonical 16-bit PCM WAV files (a 44-byte header, then the samples), which every browser plays.</summary>
public static class WavWriter
{
    public const int HeaderBytes = 44;

    public static void WriteHeader(Span<byte> header, int sampleRate, int channels, long dataBytes)
    {
        // A RIFF size field is 32 bits: a longer file says "as much as fits", as ffmpeg does for its streamed WAVs.
        var data = (uint)Math.Min(dataBytes, uint.MaxValue - 36);
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], data + 36);
        "WAVEfmt "u8.CopyTo(header[8..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(header[20..], 1);
        BinaryPrimitives.WriteUInt16LittleEndian(header[22..], (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(header[24..], (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(header[28..], (uint)(sampleRate * channels * 2));
        BinaryPrimitives.WriteUInt16LittleEndian(header[32..], (ushort)(channels * 2));
        BinaryPrimitives.WriteUInt16LittleEndian(header[34..], 16);
        "data"u8.CopyTo(header[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[40..], data);
    }

    /// <summary>
    /// Writes up to <paramref name="maxFrames"/> frames (all, when null) of <paramref name="pcm"/> as a WAV file; returns the
    /// frames written. The header announces what the decoder expects; when fewer frames came (a file shorter than its header
    /// said) a seekable output gets its sizes corrected.
    /// </summary>
    public static async Task<long> WriteAsync(Stream output, PcmDecoder pcm, long? maxFrames, CancellationToken ct)
    {
        var frameBytes = pcm.Channels * 2;
        var expected = Math.Min(pcm.Frames ?? long.MaxValue, maxFrames ?? long.MaxValue);
        var start = output.CanSeek ? output.Position : 0;
        var header = new byte[HeaderBytes];
        WriteHeader(header, pcm.SampleRate, pcm.Channels, expected == long.MaxValue ? 0 : expected * frameBytes);
        await output.WriteAsync(header, ct);

        var samples = new short[16 * 1024 * pcm.Channels];
        var bytes = new byte[samples.Length * 2];
        long written = 0;
        int count;
        while (written < expected && (count = await pcm.ReadAsync(samples.AsMemory(0, (int)Math.Min(samples.Length, (expected - written) * pcm.Channels)), ct)) > 0)
        {
            var chunk = bytes.AsSpan(0, count * 2);
            if (BitConverter.IsLittleEndian) MemoryMarshal.AsBytes(samples.AsSpan(0, count)).CopyTo(chunk);
            else for (var i = 0; i < count; i++) BinaryPrimitives.WriteInt16LittleEndian(chunk[(2 * i)..], samples[i]);
            await output.WriteAsync(bytes.AsMemory(0, count * 2), ct);
            written += count / pcm.Channels;
        }

        if (written != expected && output.CanSeek)
        {
            var end = output.Position;
            WriteHeader(header, pcm.SampleRate, pcm.Channels, written * frameBytes);
            output.Position = start;
            await output.WriteAsync(header, ct);
            output.Position = end;
        }
        return written;
    }
}
