using System.Buffers.Binary;

namespace NagrywanieRozmow.Features.Demo;

/// <summary>
/// Speech-like audio made in-process: two speakers take turns; each speaks syllables (a voiced wavetable at the speaker's
/// pitch, shaped by vowel formants, with a rise-and-fall envelope), short consonant noise, pauses between words and
/// sentences, and faint line hiss. Written as an 8 kHz mono WAV, 16-bit PCM or µ-law, streamed in blocks.
/// </summary>
public static class SyntheticSpeech
{
    public const int SampleRate = 8000;
    private const int TableSize = 512;
    private static readonly (double F1, double F2, double F3)[] Vowels =
        [(730, 1090, 2440), (530, 1840, 2480), (270, 2290, 3010), (570, 840, 2410), (300, 870, 2240), (660, 1720, 2410)];

    public enum Encoding { Pcm16, MuLaw }

    public static long FileSize(int durationMs, Encoding encoding) => HeaderSize(encoding) + DataSize(durationMs, encoding);

    public static async Task WriteAsync(Stream output, int durationMs, Encoding encoding, int seed, CancellationToken ct)
    {
        var samples = (int)((long)durationMs * SampleRate / 1000);
        await output.WriteAsync(Header(samples, encoding), ct);
        var block = new short[SampleRate];
        var bytes = new byte[SampleRate * 2];
        var voice = new Voice(seed);
        for (var done = 0; done < samples; done += block.Length)
        {
            var count = Math.Min(block.Length, samples - done);
            voice.Fill(block.AsSpan(0, count));
            int written;
            if (encoding == Encoding.Pcm16)
            {
                for (var i = 0; i < count; i++) BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i * 2), block[i]);
                written = count * 2;
            }
            else
            {
                for (var i = 0; i < count; i++) bytes[i] = MuLaw(block[i]);
                written = count;
            }
            await output.WriteAsync(bytes.AsMemory(0, written), ct);
        }
    }

    private static int HeaderSize(Encoding encoding) => encoding == Encoding.Pcm16 ? 44 : 58;
    private static long DataSize(int durationMs, Encoding encoding) => (long)durationMs * SampleRate / 1000 * (encoding == Encoding.Pcm16 ? 2 : 1);

    private static byte[] Header(int samples, Encoding encoding)
    {
        var pcm = encoding == Encoding.Pcm16;
        var bytesPerSample = pcm ? 2 : 1;
        var data = samples * bytesPerSample;
        using var ms = new MemoryStream();
        using var w = new BinaryWriter(ms);
        w.Write("RIFF"u8); w.Write(HeaderSize(encoding) - 8 + data); w.Write("WAVE"u8);
        w.Write("fmt "u8); w.Write(pcm ? 16 : 18); w.Write((short)(pcm ? 1 : 7)); w.Write((short)1); w.Write(SampleRate);
        w.Write(SampleRate * bytesPerSample); w.Write((short)bytesPerSample); w.Write((short)(bytesPerSample * 8));
        if (!pcm)
        {
            // Non-PCM WAVs carry cbSize and a fact chunk, as Asterisk and sox write them.
            w.Write((short)0);
            w.Write("fact"u8); w.Write(4); w.Write(samples);
        }
        w.Write("data"u8); w.Write(data);
        w.Flush();
        return ms.ToArray();
    }

    /// <summary>G.711 µ-law, as Asterisk writes it.</summary>
    private static byte MuLaw(short sample)
    {
        const int bias = 0x84, clip = 32635;
        var sign = (sample >> 8) & 0x80;
        int magnitude = sign != 0 ? -sample : sample;
        if (magnitude > clip) magnitude = clip;
        magnitude += bias;
        var exponent = 7;
        for (var mask = 0x4000; (magnitude & mask) == 0 && exponent > 0; mask >>= 1) exponent--;
        var mantissa = (magnitude >> (exponent + 3)) & 0x0F;
        return (byte)~(sign | (exponent << 4) | mantissa);
    }

    /// <summary>The state of the conversation: whose turn, which sound, where in it.</summary>
    /// <summary>One period of a voice for each vowel and pitch (to 4 Hz): built once, shared by every call.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(int Vowel, int Pitch), double[]> Periods = new();

    private static double[] Period(int vowel, int pitch) => Periods.GetOrAdd((vowel, pitch), key =>
    {
        var (f1, f2, f3) = Vowels[key.Vowel];
        var table = new double[TableSize];
        var harmonics = 3400 / key.Pitch;
        for (var h = 1; h <= harmonics; h++)
        {
            var f = h * key.Pitch;
            var gain = Formant(f, f1, 90) + 0.7 * Formant(f, f2, 120) + 0.35 * Formant(f, f3, 160) + 0.15 / h;
            var offset = h * 2.39996; // golden-angle phases: a natural-sounding, non-peaky wave
            for (var i = 0; i < TableSize; i++) table[i] += gain * Math.Sin(2 * Math.PI * h * i / TableSize + offset);
        }
        var peak = table.Max(Math.Abs);
        if (peak > 0) for (var i = 0; i < TableSize; i++) table[i] /= peak;
        return table;
    });

    private static double Formant(double f, double center, double width) => 1.0 / (1.0 + Math.Pow((f - center) / width, 2));

    private sealed class Voice(int seed)
    {
        private readonly Random random = new(seed);
        private double[] table = new double[TableSize];
        private double phase;
        private int remaining;      // samples left in the current sound
        private int length;         // samples in the current sound
        private Kind kind = Kind.Pause;
        private double pitch, pitchSlope, loudness;
        private int speaker;
        private int syllablesLeftInTurn;
        private int syllablesLeftInWord;

        private enum Kind { Vowel, Consonant, Pause }

        public void Fill(Span<short> block)
        {
            for (var i = 0; i < block.Length; i++)
            {
                if (remaining == 0) Next();
                var position = 1.0 - (double)remaining / length;
                double value;
                switch (kind)
                {
                    case Kind.Vowel:
                        var envelope = Math.Sin(Math.PI * position);
                        var f0 = pitch + pitchSlope * position;
                        phase += f0 / SampleRate * TableSize;
                        if (phase >= TableSize) phase -= TableSize;
                        value = table[(int)phase] * envelope * loudness;
                        break;
                    case Kind.Consonant:
                        value = (random.NextDouble() * 2 - 1) * 0.18 * loudness * Math.Sin(Math.PI * position);
                        break;
                    default:
                        value = 0;
                        break;
                }
                value += (random.NextDouble() * 2 - 1) * 0.004; // line hiss
                block[i] = (short)Math.Clamp(value * 26000, short.MinValue, short.MaxValue);
                remaining--;
            }
        }

        private void Next()
        {
            if (kind == Kind.Vowel && random.NextDouble() < 0.45) Start(Kind.Consonant, random.Next(160, 480));
            else if (syllablesLeftInWord > 0) { syllablesLeftInWord--; StartVowel(); }
            else if (syllablesLeftInTurn > 0)
            {
                syllablesLeftInWord = random.Next(1, 4);
                syllablesLeftInTurn -= syllablesLeftInWord;
                Start(Kind.Pause, random.Next(400, 1400));
            }
            else
            {
                // The other person answers after a breath.
                speaker = 1 - speaker;
                syllablesLeftInTurn = random.Next(6, 40);
                Start(Kind.Pause, random.Next(2400, 7000));
            }
        }

        private void StartVowel()
        {
            var basePitch = speaker == 0 ? 118 : 212;
            pitch = basePitch * (0.9 + random.NextDouble() * 0.25);
            pitchSlope = (random.NextDouble() - 0.6) * pitch * 0.2;
            loudness = 0.55 + random.NextDouble() * 0.45;
            // Harmonics of the pitch, loudest where the vowel's formants are.
            table = Period(random.Next(Vowels.Length), (int)pitch / 4 * 4);
            Start(Kind.Vowel, random.Next(900, 2000));
        }

        private void Start(Kind next, int samples)
        {
            kind = next;
            remaining = length = samples;
        }
    }
}
