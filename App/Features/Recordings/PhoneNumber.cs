namespace NagrywanieRozmow.Features.Recordings;

/// <summary>
/// Normalises numbers so that "+48 601-234-567", "0048601234567", "601 234 567" and "48601234567" all find the same call.
/// Stored form: digits only, international prefix "00" dropped, and a 9-digit Polish national number given its "48".
/// </summary>
public static class PhoneNumber
{
    public const string CountryCode = "48";
    private const int NationalLength = 9;

    public static string Normalize(string? written)
    {
        var digits = DigitsOf(written);
        if (digits.StartsWith("00", StringComparison.Ordinal) && digits.Length > 2) digits = digits[2..];
        if (digits.Length == NationalLength && digits[0] != '0') digits = CountryCode + digits;
        return digits;
    }

    /// <summary>What a typed search fragment becomes: digits only, a leading "00" read as "+". Empty when nothing searchable was typed.</summary>
    public static string NormalizeFragment(string? typed)
    {
        var digits = DigitsOf(typed);
        var trimmed = typed?.TrimStart() ?? "";
        if (trimmed.StartsWith("00", StringComparison.Ordinal) && digits.Length > 2) digits = digits[2..];
        return digits;
    }

    /// <summary>True when the text holds only what a phone number may: digits, spaces, +, -, dots, slashes and brackets.</summary>
    public static bool LooksLikeNumber(string text) =>
        text.All(c => char.IsAsciiDigit(c) || c is ' ' or '+' or '-' or '.' or '/' or '(' or ')');

    private static string DigitsOf(string? text) =>
        string.IsNullOrEmpty(text) ? "" : new string(text.Where(char.IsAsciiDigit).ToArray());
}
