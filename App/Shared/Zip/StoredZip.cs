using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace NagrywanieRozmow.Shared.Zip;

/// <summary>One file of a ZIP: its name in the archive, its exact size, its time (local wall clock), and how to read it.</summary>
public sealed record ZipItem(string Name, long Size, DateTime Modified, Func<CancellationToken, Task<Stream?>> Open)
{
    /// <summary>A text file as UTF-8 with a BOM, so a spreadsheet opens the Polish letters right.</summary>
    public static ZipItem Text(string name, string text, DateTime modified) => Bytes(name, Utf8WithBom(text), modified);

    public static ZipItem Bytes(string name, byte[] bytes, DateTime modified) =>
        new(name, bytes.Length, modified, _ => Task.FromResult<Stream?>(new MemoryStream(bytes, writable: false)));

    public static byte[] Utf8WithBom(string text) => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)];
}

/// <summary>A file changed size (or vanished) between listing it and sending it: the archive would not match its length.</summary>
public sealed class ZipItemChangedException(string name, string why) : IOException($"'{name}' {why} while the archive was being written.");

/// <summary>
/// Writes a ZIP of stored (not compressed) files straight to a stream, one read buffer at a time: memory stays flat however
/// large the archive, and its exact length is known before the first byte (<see cref="LengthOf(IReadOnlyList{ZipItem})"/>), so a browser can show
/// progress. Audio is already compressed or compresses poorly, so storing it costs little. Names are UTF-8 (flag bit 11);
/// CRC and sizes follow each file in a data descriptor (bit 3), so nothing is read twice. Archives of 4 GB or more, or of
/// 65,535 files or more, are written as ZIP64 throughout.
/// </summary>
public static class StoredZip
{
    private const uint LocalHeader = 0x04034b50, DataDescriptor = 0x08074b50, CentralHeader = 0x02014b50, EndOfCentral = 0x06054b50;
    private const uint Zip64EndOfCentral = 0x06064b50, Zip64Locator = 0x07064b50;
    private const ushort Flags = 0x0808; // bit 3: sizes in a data descriptor; bit 11: UTF-8 names
    private const int BufferSize = 128 * 1024;

    public static long LengthOf(IReadOnlyList<ZipItem> items) => LengthOf(items, UsesZip64(items));

    public static async Task WriteAsync(Stream output, IReadOnlyList<ZipItem> items, CancellationToken ct = default) =>
        await WriteAsync(output, items, UsesZip64(items), ct);

    /// <summary>For tests: the same archive, written as ZIP64 however small it is.</summary>
    internal static Task WriteZip64Async(Stream output, IReadOnlyList<ZipItem> items, CancellationToken ct = default) => WriteAsync(output, items, true, ct);

    internal static long LengthOfZip64(IReadOnlyList<ZipItem> items) => LengthOf(items, true);

    private static bool UsesZip64(IReadOnlyList<ZipItem> items) => items.Count >= 0xFFFF || LengthOf(items, false) >= uint.MaxValue;

    private static long LengthOf(IReadOnlyList<ZipItem> items, bool zip64)
    {
        long length = 0;
        foreach (var item in items)
        {
            var name = Encoding.UTF8.GetByteCount(item.Name);
            length += 30 + name + (zip64 ? 20 : 0) + item.Size + (zip64 ? 24 : 16); // local header, data, data descriptor
            length += 46 + name + (zip64 ? 28 : 0);                              // central directory entry
        }
        return length + (zip64 ? 56 + 20 : 0) + 22;
    }

    private sealed record Written(byte[] Name, uint Crc, long Size, long Offset, ushort Time, ushort Date);

    private static async Task WriteAsync(Stream output, IReadOnlyList<ZipItem> items, bool zip64, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            var written = new List<Written>(items.Count);
            long offset = 0;
            foreach (var item in items)
            {
                var name = Encoding.UTF8.GetBytes(item.Name);
                var (time, date) = DosTime(item.Modified);
                var header = new byte[30 + name.Length + (zip64 ? 20 : 0)];
                var h = header.AsSpan();
                BinaryPrimitives.WriteUInt32LittleEndian(h, LocalHeader);
                BinaryPrimitives.WriteUInt16LittleEndian(h[4..], (ushort)(zip64 ? 45 : 20));
                BinaryPrimitives.WriteUInt16LittleEndian(h[6..], Flags);
                BinaryPrimitives.WriteUInt16LittleEndian(h[8..], 0); // stored
                BinaryPrimitives.WriteUInt16LittleEndian(h[10..], time);
                BinaryPrimitives.WriteUInt16LittleEndian(h[12..], date);
                // CRC and sizes are zero here (they follow in the data descriptor); ZIP64 marks the sizes as "see the extra field".
                if (zip64)
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(h[18..], uint.MaxValue);
                    BinaryPrimitives.WriteUInt32LittleEndian(h[22..], uint.MaxValue);
                }
                BinaryPrimitives.WriteUInt16LittleEndian(h[26..], (ushort)name.Length);
                BinaryPrimitives.WriteUInt16LittleEndian(h[28..], (ushort)(zip64 ? 20 : 0));
                name.CopyTo(h[30..]);
                if (zip64)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(h[(30 + name.Length)..], 0x0001);
                    BinaryPrimitives.WriteUInt16LittleEndian(h[(32 + name.Length)..], 16);
                }
                await output.WriteAsync(header, ct);

                var crc = new Crc32();
                long size = 0;
                await using (var source = await item.Open(ct) ?? throw new ZipItemChangedException(item.Name, "disappeared"))
                {
                    int read;
                    while ((read = await source.ReadAsync(buffer.AsMemory(0, BufferSize), ct)) > 0)
                    {
                        size += read;
                        if (size > item.Size) throw new ZipItemChangedException(item.Name, $"grew beyond its {item.Size} bytes");
                        crc.Append(buffer.AsSpan(0, read));
                        await output.WriteAsync(buffer.AsMemory(0, read), ct);
                    }
                }
                if (size != item.Size) throw new ZipItemChangedException(item.Name, $"had {size} bytes instead of {item.Size}");
                var crcValue = crc.GetCurrentHashAsUInt32();

                var descriptor = new byte[zip64 ? 24 : 16];
                BinaryPrimitives.WriteUInt32LittleEndian(descriptor, DataDescriptor);
                BinaryPrimitives.WriteUInt32LittleEndian(descriptor.AsSpan(4), crcValue);
                if (zip64)
                {
                    BinaryPrimitives.WriteInt64LittleEndian(descriptor.AsSpan(8), size);
                    BinaryPrimitives.WriteInt64LittleEndian(descriptor.AsSpan(16), size);
                }
                else
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(descriptor.AsSpan(8), (uint)size);
                    BinaryPrimitives.WriteUInt32LittleEndian(descriptor.AsSpan(12), (uint)size);
                }
                await output.WriteAsync(descriptor, ct);
                written.Add(new Written(name, crcValue, size, offset, time, date));
                offset += header.Length + size + descriptor.Length;
            }

            var directoryStart = offset;
            foreach (var w in written)
            {
                var entry = new byte[46 + w.Name.Length + (zip64 ? 28 : 0)];
                var e = entry.AsSpan();
                BinaryPrimitives.WriteUInt32LittleEndian(e, CentralHeader);
                BinaryPrimitives.WriteUInt16LittleEndian(e[4..], (ushort)(zip64 ? 45 : 20)); // made by: MS-DOS, spec version
                BinaryPrimitives.WriteUInt16LittleEndian(e[6..], (ushort)(zip64 ? 45 : 20));
                BinaryPrimitives.WriteUInt16LittleEndian(e[8..], Flags);
                BinaryPrimitives.WriteUInt16LittleEndian(e[10..], 0);
                BinaryPrimitives.WriteUInt16LittleEndian(e[12..], w.Time);
                BinaryPrimitives.WriteUInt16LittleEndian(e[14..], w.Date);
                BinaryPrimitives.WriteUInt32LittleEndian(e[16..], w.Crc);
                BinaryPrimitives.WriteUInt32LittleEndian(e[20..], zip64 ? uint.MaxValue : (uint)w.Size);
                BinaryPrimitives.WriteUInt32LittleEndian(e[24..], zip64 ? uint.MaxValue : (uint)w.Size);
                BinaryPrimitives.WriteUInt16LittleEndian(e[28..], (ushort)w.Name.Length);
                BinaryPrimitives.WriteUInt16LittleEndian(e[30..], (ushort)(zip64 ? 28 : 0));
                // comment length, disk number, internal and external attributes: zero
                BinaryPrimitives.WriteUInt32LittleEndian(e[42..], zip64 ? uint.MaxValue : (uint)w.Offset);
                w.Name.CopyTo(e[46..]);
                if (zip64)
                {
                    var x = e[(46 + w.Name.Length)..];
                    BinaryPrimitives.WriteUInt16LittleEndian(x, 0x0001);
                    BinaryPrimitives.WriteUInt16LittleEndian(x[2..], 24);
                    BinaryPrimitives.WriteInt64LittleEndian(x[4..], w.Size);
                    BinaryPrimitives.WriteInt64LittleEndian(x[12..], w.Size);
                    BinaryPrimitives.WriteInt64LittleEndian(x[20..], w.Offset);
                }
                await output.WriteAsync(entry, ct);
                offset += entry.Length;
            }
            var directorySize = offset - directoryStart;

            var end = new byte[(zip64 ? 56 + 20 : 0) + 22];
            var t = end.AsSpan();
            if (zip64)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(t, Zip64EndOfCentral);
                BinaryPrimitives.WriteInt64LittleEndian(t[4..], 44);
                BinaryPrimitives.WriteUInt16LittleEndian(t[12..], 45);
                BinaryPrimitives.WriteUInt16LittleEndian(t[14..], 45);
                BinaryPrimitives.WriteInt64LittleEndian(t[24..], written.Count);
                BinaryPrimitives.WriteInt64LittleEndian(t[32..], written.Count);
                BinaryPrimitives.WriteInt64LittleEndian(t[40..], directorySize);
                BinaryPrimitives.WriteInt64LittleEndian(t[48..], directoryStart);
                BinaryPrimitives.WriteUInt32LittleEndian(t[56..], Zip64Locator);
                BinaryPrimitives.WriteInt64LittleEndian(t[64..], offset);
                BinaryPrimitives.WriteUInt32LittleEndian(t[72..], 1);
                t = t[76..];
            }
            BinaryPrimitives.WriteUInt32LittleEndian(t, EndOfCentral);
            BinaryPrimitives.WriteUInt16LittleEndian(t[8..], (ushort)Math.Min(written.Count, 0xFFFF));
            BinaryPrimitives.WriteUInt16LittleEndian(t[10..], (ushort)Math.Min(written.Count, 0xFFFF));
            BinaryPrimitives.WriteUInt32LittleEndian(t[12..], zip64 ? uint.MaxValue : (uint)directorySize);
            BinaryPrimitives.WriteUInt32LittleEndian(t[16..], zip64 ? uint.MaxValue : (uint)directoryStart);
            await output.WriteAsync(end, ct);
            await output.FlushAsync(ct);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>MS-DOS time and date (2-second steps, 1980–2107), as ZIP stores them.</summary>
    private static (ushort Time, ushort Date) DosTime(DateTime local)
    {
        if (local.Year < 1980) local = new DateTime(1980, 1, 1);
        if (local.Year > 2107) local = new DateTime(2107, 12, 31, 23, 59, 58);
        return ((ushort)((local.Hour << 11) | (local.Minute << 5) | (local.Second / 2)), (ushort)(((local.Year - 1980) << 9) | (local.Month << 5) | local.Day));
    }
}

/// <summary>Sends a stored ZIP as a download, with its length up front so the browser shows progress.</summary>
public static class StoredZipResult
{
    public static async Task SendAsync(HttpContext http, IReadOnlyList<ZipItem> items, string fileName, CancellationToken ct)
    {
        http.Response.ContentType = "application/zip";
        http.Response.ContentLength = StoredZip.LengthOf(items);
        http.Response.Headers.ContentDisposition = NagrywanieRozmow.Shared.Security.SafeFileName.Attachment(fileName);
        http.Response.Headers.CacheControl = "no-store";
        await StoredZip.WriteAsync(http.Response.Body, items, ct);
    }
}
