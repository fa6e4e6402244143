namespace NagrywanieRozmow.Features.Ingestion;

/// <summary>
/// Which numbers are the company's own phones: those of the phone directory, and any other all-digit number no longer
/// than <c>Ingestion:MaxExtensionDigits</c>. Outside numbers (national and international) are longer than that.
/// </summary>
public sealed class InternalNumbers(int maxDigits, IReadOnlySet<string> known)
{
    public static readonly InternalNumbers Default = new(IngestionOptions.DefaultMaxExtensionDigits, new HashSet<string>());

    public bool IsInternal(string? number) =>
        number is { Length: > 0 } && (known.Contains(number) || number.Length <= maxDigits && number.All(char.IsAsciiDigit));
}
