using System.Buffers.Binary;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NagrywanieRozmow.Features.Ingestion;
using Xunit.Abstractions;

namespace NagrywanieRozmow.Tests.Hostile;

/// <summary>
/// An upload or a spool file can be any bytes. The probe must say what a file holds or refuse it with a reason: never throw,
/// never hang, never report what the bytes do not hold.
/// </summary>
public sealed class AudioProbeFuzzTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string Spool = Path.Combine(AppContext.BaseDirectory, "Fixtures/freepbx-spool/monitor/2026/11");
    private static readonly TimeSpan PerCase = TimeSpan.FromSeconds(20);
    private readonly string folder = Directory.CreateTempSubdirectory("nr-probe-fuzz-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private sealed record Codec(string Name, ushort Tag, ushort Bits);

    private static readonly Codec[] PcmCodecs =
    [
        new("pcm_u8", 1, 8), new("pcm_s16le", 1, 16), new("pcm_s24le", 1, 24), new("pcm_s32le", 1, 32), new("pcm_f32le", 3, 32),
        new("pcm_alaw", 6, 8), new("pcm_mulaw", 7, 8),
    ];

    public sealed record WavSpec(int SampleRate, int Channels, string Codec, int Frames, bool Extensible, int[] ChunksBeforeFmt, int[] ChunksBeforeData)
    {
        public override string ToString() =>
            $"{Codec} {SampleRate} Hz x{Channels}, {Frames} frames{(Extensible ? ", extensible" : "")}, chunks [{string.Join(",", ChunksBeforeFmt)}] [{string.Join(",", ChunksBeforeData)}]";
    }

    /// <summary>
    /// A WAV as a recorder may write it: any rate and channel count, any PCM-family codec, WAVE_FORMAT_EXTENSIBLE or not,
    /// LIST/JUNK chunks of any (also odd, so padded) size before "fmt " and before "data".
    /// </summary>
    public static byte[] Wav(WavSpec spec)
    {
        var codec = PcmCodecs.Single(c => c.Name == spec.Codec);
        var blockAlign = spec.Channels * codec.Bits / 8;
        using var ms = new MemoryStream();
        using var w = new BinaryWriter(ms);
        void Chunk(string id, int size)
        {
            w.Write(Encoding.ASCII.GetBytes(id)); w.Write(size);
            for (var i = 0; i < size; i++) w.Write((byte)(i * 31));
            if (size % 2 == 1) w.Write((byte)0);
        }
        w.Write("RIFF"u8); w.Write(0); w.Write("WAVE"u8);
        foreach (var size in spec.ChunksBeforeFmt) Chunk("JUNK", size);
        w.Write("fmt "u8); w.Write(spec.Extensible ? 40 : 16);
        w.Write(spec.Extensible ? (ushort)0xFFFE : codec.Tag); w.Write((ushort)spec.Channels); w.Write(spec.SampleRate);
        w.Write(spec.SampleRate * blockAlign); w.Write((ushort)blockAlign); w.Write(codec.Bits);
        if (spec.Extensible)
        {
            w.Write((ushort)22); w.Write(codec.Bits); w.Write(0);
            w.Write(codec.Tag); w.Write(new byte[] { 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71 });
        }
        foreach (var size in spec.ChunksBeforeData) Chunk("LIST", size);
        var dataSize = spec.Frames * blockAlign;
        w.Write("data"u8); w.Write(dataSize);
        var random = new Random(spec.Frames);
        var audio = new byte[dataSize];
        random.NextBytes(audio);
        w.Write(audio);
        if (dataSize % 2 == 1) w.Write((byte)0);
        w.Flush();
        var bytes = ms.ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), bytes.Length - 8);
        return bytes;
    }

    private static readonly Gen<WavSpec> WavSpecs =
        from rate in Gen.OneOf(Gen.Elements(8000, 11025, 16000, 22050, 44100, 48000, 96000, 192000), Gen.Choose(1, 384_000))
        from channels in Gen.OneOf(Gen.Elements(1, 2), Gen.Choose(1, 16))
        from codec in Gen.Elements(PcmCodecs.Select(c => c.Name).ToArray())
        from frames in Gen.Choose(1, 5000)
        from extensible in ArbMap.Default.GeneratorFor<bool>()
        from beforeFmt in Gen.Choose(0, 300).ArrayOf().Select(a => a.Take(2).ToArray())
        from beforeData in Gen.OneOf(Gen.Choose(0, 300), Gen.Choose(3000, 9000)).ArrayOf().Select(a => a.Take(3).ToArray())
        select new WavSpec(rate, channels, codec, frames, extensible, beforeFmt, beforeData);

    private async Task<ProbeResult> ProbeAsync(byte[] head, long length, string extension, string what)
    {
        var path = Path.Combine(folder, $"case{extension}");
        await using (var file = new FileStream(path, FileMode.Create, FileAccess.Write))
        {
            await file.WriteAsync(head.AsMemory(0, (int)Math.Min(head.Length, length)));
            // Past the mutated head the file is zeros (sparse, so a 2 GB "file" costs nothing): the probe reads the head and the length.
            if (length > head.Length) file.SetLength(length);
        }
        return await Hostile.WithinAsync(PerCase, what, ct => AudioProbe.ProbeAsync(path, ct));
    }

    [Property(MaxTest = 300, Replay = Hostile.Seed)]
    public Property A_wav_written_with_any_rate_channels_codec_and_length_is_probed_as_exactly_that() =>
        Prop.ForAll(WavSpecs.ToArbitrary(), spec =>
        {
            var bytes = Wav(spec);
            var result = ProbeAsync(bytes, bytes.Length, ".wav", spec.ToString()).GetAwaiter().GetResult();
            Assert.True(result.Info is not null, $"{spec}: {result.Problem} {result.Reason}");
            Assert.Equal(("wav", spec.Codec, spec.SampleRate, spec.Channels, (int)Math.Round(spec.Frames * 1000.0 / spec.SampleRate)),
                (result.Info!.Format, result.Info.Codec, result.Info.SampleRate, result.Info.Channels, result.Info.DurationMs));
        });

    private static readonly uint[] HostileSizes =
        [0, 1, 2, 15, 16, 17, 44, 0x7FFF_FFF0, 0x7FFF_FFF7, 0x7FFF_FFF8, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFF0, 0xFFFF_FFFE, 0xFFFF_FFFF];

    /// <summary>Offsets of every chunk's size field in a RIFF file (the RIFF size at 4 included).</summary>
    private static List<int> SizeFields(byte[] b)
    {
        var fields = new List<int> { 4 };
        for (var pos = 12; pos + 8 <= Math.Min(b.Length, 4096);)
        {
            fields.Add(pos + 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(pos + 4));
            if (size > 4096) break;
            pos += 8 + (int)size + (int)(size & 1);
        }
        return fields;
    }

    private static int FmtBody(byte[] b)
    {
        var at = b.AsSpan(0, Math.Min(b.Length, 4096)).IndexOf("fmt "u8);
        return at < 0 ? 12 : at + 8;
    }

    /// <summary>One mutation of a real file: what the mutation did (for the report), the new head and the new length.</summary>
    private static (string What, byte[] Head, long Length) Mutate(byte[] original, long originalLength, Random random)
    {
        var head = original.ToArray();
        var length = originalLength;
        string what;
        void Put32(int at, uint value) { if (at + 4 <= head.Length) BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(at), value); }
        void Put16(int at, ushort value) { if (at + 2 <= head.Length) BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(at), value); }
        switch (random.Next(8))
        {
            case 0:
                var flips = random.Next(1, 6);
                var spots = Enumerable.Range(0, flips).Select(_ => random.Next(Math.Min(head.Length, 96))).ToList();
                foreach (var spot in spots) head[spot] ^= (byte)(1 << random.Next(8));
                what = $"bits flipped at {string.Join(",", spots)}";
                break;
            case 1:
                length = random.Next(4) == 0 ? random.Next(0, 64) : (long)(random.NextDouble() * originalLength);
                what = $"truncated to {length} bytes";
                break;
            case 2:
                var fields = SizeFields(head);
                var field = fields[random.Next(fields.Count)];
                var size = random.Next(3) == 0 ? (uint)random.NextInt64(0, uint.MaxValue) : HostileSizes[random.Next(HostileSizes.Length)];
                Put32(field, size);
                what = $"size field at {field} = 0x{size:X8}";
                break;
            case 3:
                var body = FmtBody(head);
                var (name, offset, wide) = new[] { ("tag", 0, false), ("channels", 2, false), ("rate", 4, true), ("byteRate", 8, true), ("blockAlign", 12, false),
                    ("bits", 14, false), ("subformat", 24, false) }[random.Next(7)];
                var value = (uint)(random.Next(3) switch { 0 => 0, 1 => wide ? uint.MaxValue : ushort.MaxValue, _ => random.NextInt64(0, wide ? uint.MaxValue : ushort.MaxValue) });
                if (wide) Put32(body + offset, value); else Put16(body + offset, (ushort)value);
                what = $"fmt {name} = {value}";
                break;
            case 4:
                var id = new[] { "fmt ", "data", "RIFF", "WAVE" }[random.Next(4)];
                var at = head.AsSpan().IndexOf(Encoding.ASCII.GetBytes(id));
                if (at >= 0) head[at + random.Next(4)] = (byte)random.Next(256);
                what = $"'{id}' renamed";
                break;
            case 5:
                // A chunk of any size inserted before the audio: the walk must neither overflow nor loop.
                var chunkAt = Math.Min(12, head.Length);
                var chunk = new byte[8];
                "JUNK"u8.CopyTo(chunk);
                var junk = HostileSizes[random.Next(HostileSizes.Length)];
                BinaryPrimitives.WriteUInt32LittleEndian(chunk.AsSpan(4), junk);
                head = [.. head[..chunkAt], .. chunk, .. head[chunkAt..]];
                length += 8;
                what = $"JUNK chunk of 0x{junk:X8} inserted";
                break;
            case 6:
                var from = random.Next(0, Math.Min(head.Length, 64));
                random.NextBytes(head.AsSpan(from, Math.Min(head.Length - from, random.Next(1, 200))));
                what = $"random bytes from {from}";
                break;
            default:
                length = random.Next(2) == 0 ? int.MaxValue + 100L : originalLength * 50;
                what = $"length made {length}";
                break;
        }
        return (what, head, length);
    }

    /// <summary>What a result must hold if it is not a refusal: a real rate and channel count, and no more audio than the bytes carry.</summary>
    private static string? Judge(ProbeResult result, long length)
    {
        if (result.Info is null)
            return result.Problem != ProbeProblem.None && !string.IsNullOrWhiteSpace(result.Reason) ? null : $"refused without a reason ({result.Problem})";
        var info = result.Info;
        if (info.SampleRate <= 0 || info.Channels <= 0 || info.DurationMs < 0)
            return $"accepted with {info.SampleRate} Hz, {info.Channels} channels, {info.DurationMs} ms";
        int? bits = info.Codec switch
        {
            "pcm_u8" or "pcm_alaw" or "pcm_mulaw" => 8, "pcm_s16le" => 16, "pcm_s24le" => 24, "pcm_s32le" or "pcm_f32le" => 32, _ => null,
        };
        if (bits is { } b)
        {
            // A data size one byte past the file is accepted (a missing pad byte): allow that byte and the rounding.
            var bytesPerSecond = (double)info.SampleRate * info.Channels * b / 8;
            var most = (length + 1) * 1000 / bytesPerSecond;
            if (info.DurationMs > most + 1) return $"accepted as {info.DurationMs} ms of {info.Codec} at {info.SampleRate} Hz x{info.Channels}, but {length} bytes hold at most {most:0} ms";
        }
        return null;
    }

    private static IEnumerable<(string Name, byte[] Head, long Length)> Seeds()
    {
        string[] spool = ["16/in-221234500-48227654321-20261116-101130-1794820290.4.wav", "16/out-48512345678-201-20261116-113045-1794825045.5.wav",
            "17/q-400-48698765432-20261117-083012-1794900612.6.WAV", "20/in-221234500-48601234567-20261120-161245-1795187565.12.wav",
            "21/out-48601234567-204-20261121-080102-1795244462.14.wav", "20/in-221234500-48700100200-20261120-170000-1795190400.13.wav"];
        foreach (var file in spool)
        {
            var path = Path.Combine(Spool, file);
            using var stream = File.OpenRead(path);
            var head = new byte[Math.Min(stream.Length, 8192)];
            stream.ReadExactly(head);
            yield return (Path.GetFileName(path), head, stream.Length);
        }
        foreach (var codec in PcmCodecs)
        {
            var wav = Wav(new WavSpec(8000, 1, codec.Name, 2400, false, [], [5]));
            yield return ($"generated {codec.Name}", wav, wav.Length);
        }
        var extensible = Wav(new WavSpec(48000, 2, "pcm_s24le", 4800, true, [3], []));
        yield return ("generated extensible", extensible, extensible.Length);
    }

    [Fact]
    public async Task Mutated_real_wav_headers_are_refused_with_a_reason_or_probed_truly_never_thrown_or_hung()
    {
        var random = new Random(Hostile.CorpusSeed);
        var failures = new List<string>();
        var seeds = Seeds().ToList();
        var accepted = 0;
        for (var i = 0; i < 1200; i++)
        {
            var (name, head, length) = seeds[i % seeds.Count];
            var (what, mutated, newLength) = Mutate(head, length, random);
            var label = $"case {i} (seed {Hostile.CorpusSeed}): {name}, {what}";
            try
            {
                var result = await ProbeAsync(mutated, newLength, Path.GetExtension(name) is { Length: > 0 } e ? e : ".wav", label);
                if (result.Info is not null) accepted++;
                if (Judge(result, newLength) is { } problem) failures.Add($"{label}: {problem}");
            }
            catch (Exception ex)
            {
                failures.Add($"{label}: {ex.GetType().Name}: {ex.Message}");
            }
        }
        output.WriteLine($"1200 mutated WAVs, {accepted} accepted, {failures.Count} failures");
        Assert.True(accepted > 50, $"only {accepted} of 1200 mutations were still accepted: the mutations are too blunt to test acceptance");
        Assert.True(failures.Count == 0, $"{failures.Count} failures:\n" + string.Join("\n", failures.Take(40)));
    }

    /// <summary>
    /// What an ffprobe of another version, or one that gave up half-way, may print: fields missing or of another JSON type,
    /// no JSON at all. A fake ffprobe first on PATH prints each; the probe must refuse with a reason or read it right.
    /// </summary>
    [Theory]
    [InlineData("""{"streams":[{"codec_name":"mp3","duration":"1.5"}]}""", 0, null)]
    [InlineData("""{"streams":[{"codec_name":"mp3","sample_rate":44100,"channels":"2","duration":1.5}]}""", 0, null)]
    [InlineData("""{"streams":[{"codec_name":"mp3","sample_rate":"NaN","channels":1,"duration":"Infinity"}]}""", 0, null)]
    [InlineData("""{"streams":{"codec_name":"mp3"}}""", 0, null)]
    [InlineData("""{"streams":[null]}""", 0, null)]
    [InlineData("""[1,2,3]""", 0, null)]
    [InlineData("""Segmentation fault""", 139, null)]
    [InlineData("""{"streams":[{"codec_name":"mp3","sa""", 0, null)]
    [InlineData("""{"streams":[{"codec_name":"mp3","sample_rate":"8000","channels":1,"duration":"2.000000","start_time":"0.025057"}]}""", 0, 1975)]
    public async Task Whatever_ffprobe_answers_is_read_or_refused_with_a_reason(string answer, int exitCode, int? expectedMs)
    {
        var bin = Directory.CreateDirectory(Path.Combine(folder, "bin")).FullName;
        await File.WriteAllTextAsync(Path.Combine(bin, "answer"), answer);
        var script = Path.Combine(bin, "ffprobe");
        await File.WriteAllTextAsync(script, $"#!/bin/sh\ncat '{bin}/answer'\nexit {exitCode}\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
        var path = Environment.GetEnvironmentVariable("PATH");
        Environment.SetEnvironmentVariable("PATH", $"{bin}:{path}");
        try
        {
            var result = await ProbeAsync([.. "ID3"u8, .. new byte[500]], 503, ".mp3", answer);
            Assert.Null(Judge(result, 503));
            Assert.Equal(expectedMs, result.Info?.DurationMs);
            if (expectedMs is not null) Assert.Equal(("mp3", 8000, 1), (result.Info!.Codec, result.Info.SampleRate, result.Info.Channels));
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", path);
        }
    }

    [Fact]
    public async Task Mutated_mp3_and_random_bytes_through_ffprobe_are_refused_with_a_reason_or_probed_never_thrown_or_hung()
    {
        var random = new Random(Hostile.CorpusSeed);
        var mp3 = await File.ReadAllBytesAsync(Path.Combine(Spool, "17/rg-600-48221112233-20261117-121500-1794914100.7.mp3"));
        var failures = new List<string>();
        var cases = new List<(string What, byte[] Bytes, string Extension)>();
        for (var i = 0; i < 30; i++)
        {
            var bytes = mp3.ToArray();
            string what;
            switch (i % 3)
            {
                case 0:
                    var spots = Enumerable.Range(0, random.Next(1, 20)).Select(_ => random.Next(Math.Min(bytes.Length, 2048))).ToList();
                    foreach (var spot in spots) bytes[spot] = (byte)random.Next(256);
                    what = $"mp3 bytes replaced at {string.Join(",", spots.Take(5))}…";
                    break;
                case 1:
                    var keep = random.Next(1, 4000);
                    bytes = bytes[..keep];
                    what = $"mp3 truncated to {keep} bytes";
                    break;
                default:
                    var from = random.Next(0, 64);
                    random.NextBytes(bytes.AsSpan(from, 4096));
                    what = $"mp3 with 4 KB of noise from {from}";
                    break;
            }
            cases.Add((what, bytes, ".mp3"));
        }
        byte[][] prefixes = ["ID3"u8.ToArray(), [0xFF, 0xFB], [0xFF, 0xE0], "OggS"u8.ToArray(), [.. "RIFF"u8, 0xFF, 0xFF, 0xFF, 0xFF, .. "WAVE"u8], [], []];
        string[] extensions = [".wav", ".WAV", ".gsm", ".mp3", ".bin"];
        for (var i = 0; i < 70; i++)
        {
            var prefix = prefixes[i % prefixes.Length];
            var bytes = new byte[random.Next(4) == 0 ? random.Next(0, 16) : random.Next(16, 6000)];
            random.NextBytes(bytes);
            bytes = [.. prefix, .. bytes];
            if (i % 11 == 0) bytes = new byte[33 * random.Next(1, 50)];   // a raw GSM length of zeros
            cases.Add(($"{bytes.Length} random bytes after {Convert.ToHexString(prefix)}", bytes, extensions[random.Next(extensions.Length)]));
        }
        for (var i = 0; i < cases.Count; i++)
        {
            var (what, bytes, extension) = cases[i];
            var label = $"case {i} (seed {Hostile.CorpusSeed}): {what} as {extension}";
            try
            {
                var result = await ProbeAsync(bytes, bytes.Length, extension, label);
                if (Judge(result, bytes.Length) is { } problem) failures.Add($"{label}: {problem}");
            }
            catch (Exception ex)
            {
                failures.Add($"{label}: {ex.GetType().Name}: {ex.Message}");
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} failures:\n" + string.Join("\n", failures.Take(40)));
    }
}
