using System.Buffers.Binary;
using NagrywanieRozmow.Shared.Media;

namespace NagrywanieRozmow.Tests.Shared.Media;

public sealed class PcmDecoderTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("pcm-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Theory]
    [InlineData("pcm_u8")]
    [InlineData("pcm_s16le")]
    [InlineData("pcm_s24le")]
    [InlineData("pcm_s32le")]
    [InlineData("pcm_f32le")]
    public async Task Every_PCM_WAV_codec_decodes_to_the_16_bit_samples_ffmpeg_makes_of_it(string codec)
    {
        var wav = Path.Combine(dir, $"{codec}.wav");
        // Stereo, so that interleaving is held to ffmpeg's too.
        await FfmpegReference.RunAsync("-i", PcmSamples.Spool(PcmSamples.PcmWav), "-ac", "2", "-c:a", codec, "-y", wav);
        await using var file = File.OpenRead(wav);
        var pcm = await PcmDecoder.OpenWavAsync(file, CancellationToken.None);
        Assert.NotNull(pcm);
        Assert.Equal(2, pcm.Channels);

        PcmSamples.AssertSame(await FfmpegReference.DecodeAsync(wav), await PcmSamples.ReadAllAsync(pcm));
    }

    [Fact]
    public async Task A_WAV_written_here_is_one_ffmpeg_reads_back_with_the_same_samples()
    {
        var written = Path.Combine(dir, "rendition.wav");
        short[] decoded;
        await using (var source = File.OpenRead(PcmSamples.Spool(PcmSamples.MuLawWav)))
            decoded = await PcmSamples.ReadAllAsync((await PcmDecoder.OpenWavAsync(source, CancellationToken.None))!);
        await using (var source = File.OpenRead(PcmSamples.Spool(PcmSamples.MuLawWav)))
        await using (var output = new NonSeekable(File.Create(written)))
            Assert.Equal(decoded.Length, await WavWriter.WriteAsync(output, (await PcmDecoder.OpenWavAsync(source, CancellationToken.None))!, null, CancellationToken.None));

        var bytes = await File.ReadAllBytesAsync(written);
        Assert.Equal(WavWriter.HeaderBytes + decoded.Length * 2, bytes.Length);
        Assert.Equal((uint)decoded.Length * 2, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(40)));
        PcmSamples.AssertSame(decoded, await FfmpegReference.DecodeAsync(written));
    }

    [Fact]
    public async Task A_file_shorter_than_announced_gets_the_sizes_of_what_was_there()
    {
        // 1000 bytes of a raw file that a copy still in progress claims to be 2000 long.
        var samples = new MemoryStream(Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray());
        var pcm = PcmDecoder.Raw(samples, "pcm_mulaw", 1, 8000, 2000);
        using var output = new MemoryStream();

        var frames = await WavWriter.WriteAsync(output, pcm, null, CancellationToken.None);

        Assert.Equal(1000, frames);
        var bytes = output.ToArray();
        Assert.Equal(2000u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(40)));
        Assert.Equal(2036u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(WavWriter.HeaderBytes + 2000, bytes.Length);
    }

    [Fact]
    public async Task Skipping_and_a_frame_limit_cut_exactly_the_frames_asked_for()
    {
        var raw = new byte[8000 * 2 * 3];
        for (var i = 0; i < raw.Length / 2; i++) BinaryPrimitives.WriteInt16LittleEndian(raw.AsSpan(2 * i), (short)(i % 30000));
        var pcm = PcmDecoder.Raw(new NonSeekable(new MemoryStream(raw)), "pcm_s16le", 1, 8000, null);
        using var output = new MemoryStream();

        await pcm.SkipFramesAsync(8000, CancellationToken.None);
        Assert.Equal(4000, await WavWriter.WriteAsync(output, pcm, 4000, CancellationToken.None));

        var clip = output.ToArray();
        Assert.Equal(WavWriter.HeaderBytes + 8000, clip.Length);
        Assert.Equal(8000, BinaryPrimitives.ReadInt16LittleEndian(clip.AsSpan(WavWriter.HeaderBytes)));
        Assert.Equal(11999, BinaryPrimitives.ReadInt16LittleEndian(clip.AsSpan(clip.Length - 2)));
    }

    /// <summary>A stream that only goes forward, like a network read: nothing may rely on seeking it.</summary>
    private sealed class NonSeekable(Stream inner) : Stream
    {
        public override bool CanRead => inner.CanRead;
        public override bool CanSeek => false;
        public override bool CanWrite => inner.CanWrite;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
