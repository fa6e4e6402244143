namespace NagrywanieRozmow.Shared.Zip;

/// <summary>
/// Lets <see cref="System.IO.Compression.ZipArchive"/> write straight to a response body that allows only asynchronous
/// writes. The archive still writes some small records synchronously (an entry's data descriptor when its stream closes,
/// the central directory): those are held in a small buffer and sent, in order, before the next asynchronous write or at
/// <see cref="FlushAsync(CancellationToken)"/>. Large data (the audio) passes through without being buffered.
/// </summary>
public sealed class ZipResponseStream(Stream inner) : Stream
{
    private readonly MemoryStream pending = new();
    private long position;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => position; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        pending.Write(buffer);
        position += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) => WriteAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
    {
        await SendPendingAsync(ct);
        await inner.WriteAsync(buffer, ct);
        position += buffer.Length;
    }

    public override async Task FlushAsync(CancellationToken ct)
    {
        await SendPendingAsync(ct);
        await inner.FlushAsync(ct);
    }

    /// <summary>Nothing is sent synchronously: what is pending goes at the next asynchronous write or flush.</summary>
    public override void Flush() { }

    private async Task SendPendingAsync(CancellationToken ct)
    {
        if (pending.Length == 0) return;
        await inner.WriteAsync(pending.GetBuffer().AsMemory(0, (int)pending.Length), ct);
        pending.SetLength(0);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
