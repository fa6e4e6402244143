using System.ComponentModel.DataAnnotations;

namespace NagrywanieRozmow.Features.Recordings;

public sealed class CrmOptions
{
    /// <summary>A link to a case in the CRM/helpdesk, with {case} where its number goes, e.g. https://crm.example/cases/{case}.</summary>
    [RegularExpression(@"^https?://\S*\{case\}\S*$", ErrorMessage = "Crm:CaseUrlTemplate must be an http(s) address with {case} in it, e.g. https://crm.example/cases/{case}.")]
    public string? CaseUrlTemplate { get; set; }

    public string? LinkFor(string caseNumber) => CaseUrlTemplate?.Replace("{case}", Uri.EscapeDataString(caseNumber), StringComparison.Ordinal);
}
