namespace NagrywanieRozmow.Shared.Media;

/// <summary>
/// ITU-T G.711 expansion of µ-law and A-law bytes to 16-bit linear samples. The tables are computed from the
/// recommendation's segment/quantisation rules once, so a 60-minute call costs one lookup per sample.
/// </summary>
public static class G711
{
    public static ReadOnlySpan<short> MuLaw => MuLawTable;

    public static ReadOnlySpan<short> ALaw => ALawTable;

    private static readonly short[] MuLawTable = Build(ExpandMuLaw);
    private static readonly short[] ALawTable = Build(ExpandALaw);

    private static short[] Build(Func<byte, short> expand)
    {
        var table = new short[256];
        for (var i = 0; i < table.Length; i++) table[i] = expand((byte)i);
        return table;
    }

    /// <summary>µ-law stores the complement; the bias of 0x84 (132) is added before the segment shift and taken off after.</summary>
    private static short ExpandMuLaw(byte code)
    {
        var inverted = ~code & 0xFF;
        var segment = (inverted >> 4) & 0x07;
        var magnitude = ((((inverted & 0x0F) << 3) + 0x84) << segment) - 0x84;
        return (short)((inverted & 0x80) != 0 ? -magnitude : magnitude);
    }

    /// <summary>A-law inverts the even bits (0x55) on the line; segment 0 is linear, the others double with each step, all centred in their step.</summary>
    private static short ExpandALaw(byte code)
    {
        var value = code ^ 0x55;
        var segment = (value >> 4) & 0x07;
        var magnitude = ((value & 0x0F) << 4) + 8;
        if (segment > 0) magnitude = (magnitude + 0x100) << (segment - 1);
        return (short)((value & 0x80) != 0 ? magnitude : -magnitude);
    }
}
