using System.Security.Claims;

namespace NagrywanieRozmow.Features.Access;

/// <summary>Who the token says someone is, and which of our roles their app roles give them (null: none).</summary>
public sealed record EntraIdentity(string? Email, string? ObjectId, string? DisplayName, string? Role);

/// <summary>Reads an Entra ID token's claims; no I/O, so every rule is a unit test.</summary>
public static class EntraRoleMapping
{
    /// <summary>Several app roles may be assigned (directly and through groups); the broadest one wins.</summary>
    public static readonly IReadOnlyList<string> Precedence =
        [Roles.Administrator, Roles.Compliance, Roles.QualityManager, Roles.ComplaintHandler, Roles.Agent];

    // Claim types differ with inbound claim mapping on or off, and between v1 and v2 tokens.
    private static readonly string[] RoleClaimTypes = ["roles", ClaimTypes.Role];
    private static readonly string[] EmailClaimTypes = ["preferred_username", ClaimTypes.Email, "email", "upn", ClaimTypes.Upn];
    private static readonly string[] ObjectIdClaimTypes = ["oid", "http://schemas.microsoft.com/identity/claims/objectidentifier"];
    private static readonly string[] NameClaimTypes = ["name"];

    public static EntraIdentity Map(ClaimsPrincipal principal, IReadOnlyDictionary<string, string>? roleMap = null)
    {
        var map = EffectiveRoleMap(roleMap);
        var mapped = RoleClaimTypes.SelectMany(principal.FindAll).Select(c => map.GetValueOrDefault(c.Value.Trim())).OfType<string>().ToHashSet();
        var role = Precedence.FirstOrDefault(mapped.Contains);
        var email = Values(principal, EmailClaimTypes).FirstOrDefault(v => v.Contains('@') && !v.Contains(' '));
        return new EntraIdentity(email, Values(principal, ObjectIdClaimTypes).FirstOrDefault(), Values(principal, NameClaimTypes).FirstOrDefault(), role);
    }

    public static IReadOnlyDictionary<string, string> EffectiveRoleMap(IReadOnlyDictionary<string, string>? roleMap)
    {
        var map = Roles.All.ToDictionary(r => r, r => r, StringComparer.OrdinalIgnoreCase);
        foreach (var (appRole, role) in roleMap ?? new Dictionary<string, string>())
        {
            if (Roles.Find(role ?? "") is { } ours) map[appRole.Trim()] = ours;
        }
        return map;
    }

    private static IEnumerable<string> Values(ClaimsPrincipal principal, string[] types) =>
        types.SelectMany(principal.FindAll).Select(c => c.Value.Trim()).Where(v => v.Length > 0);
}
