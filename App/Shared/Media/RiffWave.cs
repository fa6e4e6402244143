using System.Buffers.Binary;

namespace NagrywanieRozmow.Shared.Media;

/// <summary>Reads the chunk layout of a RIFF/WAVE file without trusting the chunk sizes to be sane.</summary>
public static class RiffWave
{
    /// <summary>A RIFF file of more chunks than this is not a recording: the walk stops instead of seeking through millions.</summary>
    private const int MaxChunks = 10_000;

    public static bool IsRiffWave(ReadOnlySpan<byte> head) =>
        head.Length >= 12 && head.StartsWith("RIFF"u8) && head.Slice(8, 4).SequenceEqual("WAVE"u8);

    /// <summary>
    /// Walks the chunks from the start of <paramref name="wav"/> (positions are longs: a chunk size near 4 GB must neither
    /// overflow nor wrap), so LIST, bext or JUNK chunks of any size may stand before the audio. Leaves the stream at the first
    /// sample when a data chunk is found. A stream that cannot seek is read forward, and its length may be unknown (null).
    /// </summary>
    public static async Task<WavLayout> ReadLayoutAsync(Stream wav, long? length, CancellationToken ct)
    {
        var end = length ?? long.MaxValue;
        var header = new byte[12];
        var fmt = new byte[40];
        long at = 0;
        WavFormat? format = null;
        try
        {
            at += await ReadAtAsync(wav, at, 0, header, ct);
            if (!IsRiffWave(header)) return new WavLayout(null, null, 0);
            long pos = 12;
            for (var chunk = 0; chunk < MaxChunks && pos + 8 <= end; chunk++)
            {
                at = await ReadAtAsync(wav, at, pos, header.AsMemory(0, 8), ct) + pos;
                var size = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4, 4));
                var body = pos + 8;
                if (header.AsSpan(0, 4).SequenceEqual("fmt "u8) && size >= 16 && body + 16 <= end)
                {
                    var read = (int)Math.Min(Math.Min(fmt.Length, size), end - body);
                    at = await ReadAtAsync(wav, at, body, fmt.AsMemory(0, read), ct) + body;
                    format = ParseFormat(fmt.AsSpan(0, read), size);
                }
                else if (header.AsSpan(0, 4).SequenceEqual("data"u8))
                {
                    return new WavLayout(format, body, size);
                }
                pos = body + size + (size & 1);
            }
        }
        catch (EndOfStreamException)
        {
            // A stream of unknown length ended between chunks: there is no data chunk.
        }
        return new WavLayout(format, null, 0);
    }

    private static WavFormat ParseFormat(ReadOnlySpan<byte> span, uint size)
    {
        int tag = BinaryPrimitives.ReadUInt16LittleEndian(span);
        // WAVE_FORMAT_EXTENSIBLE: the real format is the first two bytes of the sub-format GUID.
        if (tag == 0xFFFE && size >= 40 && span.Length >= 26) tag = BinaryPrimitives.ReadUInt16LittleEndian(span[24..]);
        return new WavFormat(
            tag,
            BinaryPrimitives.ReadUInt16LittleEndian(span[2..]),
            (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(span[4..]), int.MaxValue),
            (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(span[8..]), int.MaxValue),
            BinaryPrimitives.ReadUInt16LittleEndian(span[14..]));
    }

    /// <summary>Reads <paramref name="buffer"/> at <paramref name="position"/>, from <paramref name="at"/> where the stream is now; returns the bytes read.</summary>
    private static async Task<int> ReadAtAsync(Stream stream, long at, long position, Memory<byte> buffer, CancellationToken ct)
    {
        if (stream.CanSeek) stream.Position = position;
        else await SkipForwardAsync(stream, position - at, ct);
        await stream.ReadExactlyAsync(buffer, ct);
        return buffer.Length;
    }

    /// <summary>Moves a stream <paramref name="count"/> bytes on, by seeking where it can and by reading where it cannot.</summary>
    public static async Task SkipForwardAsync(Stream stream, long count, CancellationToken ct)
    {
        if (count <= 0) return;
        if (stream.CanSeek)
        {
            stream.Position += count;
            return;
        }
        var discard = new byte[(int)Math.Min(count, 64 * 1024)];
        while (count > 0)
        {
            var read = await stream.ReadAsync(discard.AsMemory(0, (int)Math.Min(count, discard.Length)), ct);
            if (read == 0) throw new EndOfStreamException();
            count -= read;
        }
    }
}
