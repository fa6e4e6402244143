namespace NagrywanieRozmow.Tests.Features.Playback;

/// <summary>Two-channel 8 kHz 16-bit PCM WAVs in which each side speaks (a tone) when the test says so, and is silent otherwise.</summary>
public static class StereoWav
{
    /// <summary><paramref name="leftLoud"/> and <paramref name="rightLoud"/> say, for a moment in seconds, whether that side sounds.</summary>
    public static byte[] Make(double seconds, Func<double, bool> leftLoud, Func<double, bool> rightLoud, int sampleRate = 8000)
    {
        var frames = (int)(seconds * sampleRate);
        using var ms = new MemoryStream();
        using var w = new BinaryWriter(ms);
        w.Write("RIFF"u8); w.Write(36 + frames * 4); w.Write("WAVE"u8);
        w.Write("fmt "u8); w.Write(16); w.Write((short)1); w.Write((short)2); w.Write(sampleRate); w.Write(sampleRate * 4); w.Write((short)4); w.Write((short)16);
        w.Write("data"u8); w.Write(frames * 4);
        for (var i = 0; i < frames; i++)
        {
            var t = (double)i / sampleRate;
            var tone = (short)(Math.Sin(2 * Math.PI * 440 * i / sampleRate) * 8000);
            w.Write(leftLoud(t) ? tone : (short)0);
            w.Write(rightLoud(t) ? tone : (short)0);
        }
        w.Flush();
        return ms.ToArray();
    }

    /// <summary>A loud left channel and a silent right one, throughout.</summary>
    public static byte[] LeftOnly(double seconds) => Make(seconds, _ => true, _ => false);
}
