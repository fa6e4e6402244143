using NagrywanieRozmow.Shared.Media;

namespace NagrywanieRozmow.Tests.Shared.Media;

/// <summary>Fixture files and everything a decoder yields, for comparing sample for sample.</summary>
public static class PcmSamples
{
    public static string Spool(string file) => Path.Combine(AppContext.BaseDirectory, "Fixtures/freepbx-spool/monitor", file);

    public const string MuLawWav = "2026/11/16/in-221234500-48227654321-20261116-101130-1794820290.4.wav";
    public const string ALawWav = "2026/11/16/out-48512345678-201-20261116-113045-1794825045.5.wav";
    public const string PcmWav = "2026/11/18/internal-203-201-20261118-140001-1795006801.8.wav";

    public static async Task<short[]> ReadAllAsync(PcmDecoder pcm)
    {
        var all = new List<short>();
        var buffer = new short[1000];
        int count;
        while ((count = await pcm.ReadAsync(buffer, CancellationToken.None)) > 0) all.AddRange(buffer.AsSpan(0, count));
        return [.. all];
    }

    /// <summary>A WAV's samples without its header: what Asterisk writes as a raw file of the same codec.</summary>
    public static async Task<byte[]> StripHeaderAsync(string wav)
    {
        await using var file = File.OpenRead(wav);
        var layout = await RiffWave.ReadLayoutAsync(file, file.Length, CancellationToken.None);
        var bytes = new byte[Math.Min(layout.DataSize, file.Length - layout.DataStart!.Value)];
        await file.ReadExactlyAsync(bytes);
        return bytes;
    }

    /// <summary>Where the two first differ, so a failure names the sample instead of dumping a million of them.</summary>
    public static void AssertSame(short[] expected, short[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var first = expected.AsSpan().CommonPrefixLength(actual);
        Assert.True(first == expected.Length, $"sample {first} differs: ffmpeg {(first < expected.Length ? expected[first] : 0)}, C# {(first < actual.Length ? actual[first] : 0)}");
    }
}
