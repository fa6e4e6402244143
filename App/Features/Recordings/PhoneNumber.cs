namespace NagrywanieRozmow.Features.Recordings;

/// <summary>
/// What people type and what looks like a number, before any setting is known. Stored numbers are made by
/// <see cref="NumberNormalizer"/>; a typed fragment only has to be a substring of them.
/// </summary>
public static class PhoneNumber
{
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
