using Microsoft.Extensions.Localization;

namespace NagrywanieRozmow.Features.Audit;

/// <summary>Marker for the audit screens' texts (AuditText.resx: Polish; AuditText.en.resx: English).</summary>
public sealed class AuditText
{
    /// <summary>A person's word for an action; the raw code for one this version has no label for (e.g. written by a newer one).</summary>
    public static string ActionLabel(IStringLocalizer<AuditText> l, string action)
    {
        var label = l["Action_" + action];
        return label.ResourceNotFound ? action : label.Value;
    }

    public static string OutcomeLabel(IStringLocalizer<AuditText> l, string outcome)
    {
        var label = l["Outcome_" + outcome];
        return label.ResourceNotFound ? outcome : label.Value;
    }
}
