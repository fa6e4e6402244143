using System.Text;
using System.Text.RegularExpressions;

namespace NagrywanieRozmow.Features.Transcripts;

/// <summary>
/// Masks what a transcript must not keep in words: payment card numbers (Luhn), PESEL numbers (their checksum), bank
/// account numbers (IBAN, and the Polish NRB said without "PL", by mod 97) and e-mail addresses. Numbers are checked, not
/// guessed by length, so a phone number or an order number stays readable. Digits said in groups ("4111 1111 1111 1111")
/// are read across their spaces and dashes.
/// </summary>
public static partial class PersonalDataMask
{
    public const string Card = "[karta]", Pesel = "[PESEL]", Account = "[konto]", Email = "[e-mail]";

    public static string Apply(string text)
    {
        if (string.IsNullOrEmpty(text)) return text;
        text = EmailPattern().Replace(text, Email);
        text = ForeignIban().Replace(text, m => MaskIban(m.Value));
        return DigitRun().Replace(text, m => MaskRun(m.Value));
    }

    /// <summary>The longest valid IBAN at the start of the match (a number said right after it is not part of it).</summary>
    private static string MaskIban(string match)
    {
        var groups = DigitGroupOrWord().Matches(match).ToList();
        for (var k = groups.Count; k >= 1; k--)
        {
            var end = groups[k - 1].Index + groups[k - 1].Length;
            if (IsIban(Compact(match[..end]))) return Account + match[end..];
        }
        return match;
    }

    /// <summary>A run of digit groups: finds, left to right, the longest valid number starting at each group.</summary>
    private static string MaskRun(string run)
    {
        var groups = DigitGroup().Matches(run).Select(g => (g.Index, g.Length)).ToList();
        var output = new StringBuilder();
        var copied = 0;
        for (var i = 0; i < groups.Count;)
        {
            var found = 0;
            string? mask = null;
            var digits = new StringBuilder();
            for (var j = i; j < groups.Count && digits.Length <= 26; j++)
            {
                digits.Append(run, groups[j].Index, groups[j].Length);
                if (Classify(digits.ToString()) is { } kind) (found, mask) = (j - i + 1, kind);
            }
            if (mask is null) { i++; continue; }
            var start = groups[i].Index;
            var end = groups[i + found - 1].Index + groups[i + found - 1].Length;
            output.Append(run, copied, start - copied).Append(mask);
            copied = end;
            i += found;
        }
        return output.Append(run, copied, run.Length - copied).ToString();
    }

    private static string? Classify(string digits) => digits.Length switch
    {
        26 when IsIban("PL" + digits) => Account,
        11 when IsPesel(digits) => Pesel,
        >= 13 and <= 19 when IsLuhn(digits) => Card,
        _ => null,
    };

    public static bool IsPesel(string digits)
    {
        if (digits.Length != 11 || !digits.All(char.IsAsciiDigit)) return false;
        int[] weights = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
        var sum = weights.Select((w, i) => w * (digits[i] - '0')).Sum();
        return (10 - sum % 10) % 10 == digits[10] - '0';
    }

    public static bool IsLuhn(string digits)
    {
        if (!digits.All(char.IsAsciiDigit)) return false;
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            sum += d;
        }
        return sum % 10 == 0;
    }

    /// <summary>ISO 13616: the country and check digits moved to the end, letters as 10–35, the number mod 97 is 1.</summary>
    public static bool IsIban(string iban)
    {
        if (iban.Length is < 15 or > 34 || !char.IsAsciiLetterUpper(iban[0]) || !char.IsAsciiLetterUpper(iban[1])) return false;
        var remainder = 0;
        foreach (var c in iban[4..] + iban[..4])
        {
            if (char.IsAsciiDigit(c)) remainder = (remainder * 10 + (c - '0')) % 97;
            else if (char.IsAsciiLetterUpper(c)) remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
            else return false;
        }
        return remainder == 1;
    }

    private static string Compact(string value) => new(value.Where(c => c is not (' ' or '-')).Select(char.ToUpperInvariant).ToArray());

    [GeneratedRegex(@"[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();

    /// <summary>An IBAN written with its country letters (PL, DE, …), in groups of four or as one word.</summary>
    [GeneratedRegex(@"\b[A-Za-z]{2}\d{2}(?:[ -]?[A-Za-z0-9]{1,4}){3,8}\b", RegexOptions.CultureInvariant)]
    private static partial Regex ForeignIban();

    [GeneratedRegex(@"(?<![\p{L}\d])\d+(?:[ -]\d+)*(?![\p{L}\d])", RegexOptions.CultureInvariant)]
    private static partial Regex DigitRun();

    [GeneratedRegex(@"\d+", RegexOptions.CultureInvariant)]
    private static partial Regex DigitGroup();

    [GeneratedRegex(@"[A-Za-z0-9]+", RegexOptions.CultureInvariant)]
    private static partial Regex DigitGroupOrWord();
}
