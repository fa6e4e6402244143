using Microsoft.Extensions.Options;

namespace NagrywanieRozmow.Features.Access;

/// <summary>
/// Sign-in with Entra ID (Azure AD), bound from <c>AzureAd</c>. The Microsoft.Identity.Web keys are the usual ones; ours are
/// <see cref="AllowLocalAccounts"/> and <see cref="RoleMap"/>.
/// </summary>
public sealed class EntraIdOptions
{
    public const string Section = "AzureAd";
    public const string Scheme = "EntraId";
    public const string DefaultInstance = "https://login.microsoftonline.com/";

    public string Instance { get; set; } = DefaultInstance;
    public string? TenantId { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }
    public string CallbackPath { get; set; } = "/signin-oidc";

    /// <summary>With Entra ID configured, local passwords work only when this is on (e.g. a break-glass administrator).</summary>
    public bool AllowLocalAccounts { get; set; }

    /// <summary>App-role value in the token → our role name; our five role names always map to themselves.</summary>
    public Dictionary<string, string> RoleMap { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ClientId) && !string.IsNullOrWhiteSpace(TenantId);

    public bool LocalAccountsEnabled => !IsConfigured || AllowLocalAccounts;
}

internal sealed class EntraIdOptionsValidation : IValidateOptions<EntraIdOptions>
{
    public ValidateOptionsResult Validate(string? name, EntraIdOptions o)
    {
        var errors = new List<string>();
        var hasClient = !string.IsNullOrWhiteSpace(o.ClientId);
        var hasTenant = !string.IsNullOrWhiteSpace(o.TenantId);
        if (hasClient != hasTenant)
            errors.Add($"{EntraIdOptions.Section}:{(hasClient ? "TenantId" : "ClientId")} is empty: " +
                "set both AzureAd:TenantId and AzureAd:ClientId for Entra ID sign-in, or neither for local accounts.");
        if (o.IsConfigured)
        {
            if (string.IsNullOrWhiteSpace(o.ClientSecret))
                errors.Add($"{EntraIdOptions.Section}:ClientSecret is empty: create a client secret in the app registration (Certificates & secrets).");
            if (!Uri.TryCreate(o.Instance, UriKind.Absolute, out var instance) || instance.Scheme != Uri.UriSchemeHttps)
                errors.Add($"{EntraIdOptions.Section}:Instance '{o.Instance}' is not an https address (e.g. {EntraIdOptions.DefaultInstance}).");
            if (!o.CallbackPath.StartsWith('/'))
                errors.Add($"{EntraIdOptions.Section}:CallbackPath '{o.CallbackPath}' must start with '/' (e.g. /signin-oidc).");
        }
        foreach (var (appRole, role) in o.RoleMap)
        {
            if (Roles.Find(role ?? "") is null)
                errors.Add($"{EntraIdOptions.Section}:RoleMap:{appRole} = '{role}' is not a role. Use one of: {string.Join(", ", Roles.All)}.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
