using System.ComponentModel.DataAnnotations;
using PhoneNumbers;

namespace NagrywanieRozmow.Features.Recordings;

/// <summary>How the PBX writes numbers: the region its national numbers belong to, and what is dialled to reach an outside line.</summary>
public sealed class PhoneNumberOptions : IValidatableObject
{
    public const string Section = "PhoneNumbers";

    /// <summary>ISO 3166 region (PL, DE, …) whose national numbers and trunk prefix the PBX writes without a country code.</summary>
    [Required(ErrorMessage = "PhoneNumbers:DefaultRegion is required, e.g. PL.")]
    public string DefaultRegion { get; set; } = "PL";

    /// <summary>Digits dialled before an outside number ("0", "9"); the PBX often writes them into the CDR and file names.</summary>
    public List<string> OutsideLinePrefixes { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!PhoneNumberUtil.GetInstance().GetSupportedRegions().Contains(DefaultRegion ?? ""))
            yield return new ValidationResult(
                $"PhoneNumbers:DefaultRegion must be a two-letter region code in capitals, e.g. PL or DE; '{DefaultRegion}' is not one.", [nameof(DefaultRegion)]);
        foreach (var prefix in OutsideLinePrefixes.Where(p => p is not { Length: >= 1 and <= 4 } || !p.All(char.IsAsciiDigit)))
            yield return new ValidationResult(
                $"PhoneNumbers:OutsideLinePrefixes holds '{prefix}': each prefix must be 1 to 4 digits, e.g. 0 or 9.", [nameof(OutsideLinePrefixes)]);
    }
}
