using Microsoft.Extensions.Options;
using PhoneNumbers;

namespace NagrywanieRozmow.Features.Recordings;

/// <summary>
/// Numbers as stored for search and data-subject requests (<see cref="Recording.CallerDigits"/>): international digits
/// (E.164 without "+") for a public number however the PBX wrote it (nationally, with the trunk "0", "00", "+", an
/// outside-line prefix or separators), so "601 234 567", "0048601234567" and "+48 601-234-567" are one person.
/// Extensions, short codes and what no numbering plan knows keep their digits. The settings are read once: a change
/// takes a restart, after which <see cref="NumberRenormalizationJob"/> rewrites the rows stored before.
/// </summary>
public sealed class NumberNormalizer
{
    /// <summary>Raised when the rules themselves change, so stored rows are walked again even with the same settings.</summary>
    private const int RulesVersion = 1;

    /// <summary>
    /// Up to this many digits, written without "+", a number is an extension or a short code (201, 400, 112, 19115):
    /// no region's subscriber numbers are this short, and skipping the parser keeps ingestion cheap.
    /// </summary>
    private const int MaxInternalLength = 5;

    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();
    private readonly string region;
    private readonly string[] prefixes;
    private readonly int countryCode;
    private readonly string? trunkPrefix;

    public NumberNormalizer(IOptions<PhoneNumberOptions> options)
    {
        region = options.Value.DefaultRegion;
        // Longest first: with both "0" and "00" configured, "00…" must not be read as "0" followed by a "0…" number.
        prefixes = [.. options.Value.OutsideLinePrefixes.Distinct(StringComparer.Ordinal).OrderByDescending(p => p.Length).ThenBy(p => p, StringComparer.Ordinal)];
        countryCode = Util.GetCountryCodeForRegion(region);
        trunkPrefix = Util.GetNddPrefixForRegion(region, true);
    }

    /// <summary>The settings the stored digits were made with: a different fingerprint means the rows must be normalised again.</summary>
    public string Fingerprint => $"v{RulesVersion}|{region}|{string.Join(',', prefixes)}";

    public string Region => region;

    public IReadOnlyList<string> OutsideLinePrefixes => prefixes;

    public string Normalize(string? written)
    {
        var digits = DigitsOf(written, out var plus);
        if (digits.Length == 0 || (!plus && digits.Length <= MaxInternalLength)) return digits;
        // Where national numbers are dialled with a trunk prefix (DE "0"), long digits without it are an international number
        // written without "+" (as PBXs deliver some and as stored here), not a national one.
        if (!plus && trunkPrefix is { Length: > 0 } && !digits.StartsWith(trunkPrefix, StringComparison.Ordinal) && International("+" + digits) is { } unmarked)
            return unmarked;
        if (International(plus ? "+" + digits : digits) is { } raw) return raw;
        // An outside-line prefix is stripped only when what follows is a number and the whole was not one: in DE "0" is both
        // the outside line and the trunk prefix, and "030 1234567" must stay Berlin.
        if (!plus)
        {
            foreach (var prefix in prefixes)
            {
                if (digits.Length > prefix.Length && digits.StartsWith(prefix, StringComparison.Ordinal) && International(digits[prefix.Length..]) is { } stripped)
                    return stripped;
            }
        }
        return digits.StartsWith("00", StringComparison.Ordinal) && digits.Length > 2 ? digits[2..] : digits;
    }

    /// <summary>
    /// The digit strings a PBX may have written this stored number as (without separators or "+"): international, after "00",
    /// nationally with and without the trunk prefix, each also after an outside-line prefix; only those that normalise back to it.
    /// </summary>
    public IReadOnlyList<string> WrittenForms(string digits)
    {
        var forms = new List<string> { digits, "00" + digits };
        if (Parse("+" + digits) is { } number && number.CountryCode == countryCode)
        {
            var national = Util.GetNationalSignificantNumber(number);
            forms.Add(national);
            forms.Add((trunkPrefix ?? "0") + national);
        }
        forms.AddRange(prefixes.SelectMany(p => forms.Select(f => p + f)).ToList());
        return forms.Distinct(StringComparer.Ordinal).Where(f => Normalize(f) == digits).ToList();
    }

    private string? International(string text) =>
        Parse(text) is { } number && Util.IsValidNumber(number) ? number.CountryCode.ToString(System.Globalization.CultureInfo.InvariantCulture) + Util.GetNationalSignificantNumber(number) : null;

    private PhoneNumbers.PhoneNumber? Parse(string text)
    {
        try
        {
            return Util.Parse(text, region);
        }
        catch (NumberParseException)
        {
            // Only for text no numbering plan can read (an unknown country code, too short after "00"): not a public number.
            return null;
        }
    }

    private static string DigitsOf(string? text, out bool plus)
    {
        plus = false;
        if (string.IsNullOrEmpty(text)) return "";
        var span = text.AsSpan().Trim();
        plus = span.Length > 0 && span[0] == '+';
        Span<char> buffer = span.Length <= 128 ? stackalloc char[span.Length] : new char[span.Length];
        var length = 0;
        foreach (var c in span)
        {
            if (char.IsAsciiDigit(c)) buffer[length++] = c;
        }
        return new string(buffer[..length]);
    }
}
