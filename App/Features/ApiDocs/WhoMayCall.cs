using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;

namespace NagrywanieRozmow.Features.ApiDocs;

/// <summary>
/// Who may call an endpoint, worked out from its authorization metadata and <see cref="Permissions"/> at run time (so a
/// scope or role added to the matrix shows up here by itself): the policies it names, the roles and API key scopes that
/// hold all of them, and whether a person may hold it without a role (granted per person, or an Agent's own extension).
/// No policy means any signed-in person or key (the endpoint's plain RequireAuthorization, or the fallback policy).
/// </summary>
public sealed record WhoMayCall(IReadOnlyList<string> Policies, IReadOnlyList<string> Roles, IReadOnlyList<string> Scopes, bool PerPerson, bool OwnExtension)
{
    public const string Extension = "x-authorization";

    public bool AnySignedIn => Policies.Count == 0;

    /// <summary>A person signs in with the cookie: someone must be able to hold the permission as a person.</summary>
    public bool ByCookie => AnySignedIn || Roles.Count > 0 || PerPerson || OwnExtension;

    public bool ByApiKey => AnySignedIn || Scopes.Count > 0;

    /// <summary>Null when the endpoint allows anonymous callers.</summary>
    public static WhoMayCall? Of(IEnumerable<object> metadata)
    {
        var items = metadata.ToList();
        if (items.OfType<IAllowAnonymous>().Any()) return null;
        var policies = items.OfType<IAuthorizeData>().Select(a => a.Policy).OfType<string>().Distinct().ToList();
        if (policies.Count == 0) return new WhoMayCall([], [], [], false, false);
        bool AllAllow(ClaimsPrincipal user) => policies.All(p => NagrywanieRozmow.Core.Policies.All.Contains(p) && Permissions.Allows(user, p));

        var roles = NagrywanieRozmow.Core.Roles.All.Where(r => AllAllow(Person(new Claim(ClaimTypes.Role, r)))).ToList();
        var scopes = ApiKeyScopes.All.Where(s => AllAllow(Person(new Claim(ApiKeyScopes.Claim, s)))).ToList();
        var perPerson = roles.Count == 0 && AllAllow(Person(new Claim(Permissions.MayDeleteClaim, "true")));
        var ownExtension = !roles.Contains(NagrywanieRozmow.Core.Roles.Agent)
            && AllAllow(Person(new Claim(ClaimTypes.Role, NagrywanieRozmow.Core.Roles.Agent), new Claim(RecordingScope.OwnExtensionClaim, "100")));
        return new WhoMayCall(policies, roles, scopes, perPerson, ownExtension);
    }

    private static ClaimsPrincipal Person(params Claim[] claims) => new(new ClaimsIdentity(claims, "probe"));

    public JsonObject ToJson() => new()
    {
        ["policies"] = new JsonArray([.. Policies.Select(p => JsonValue.Create(p))]),
        ["roles"] = new JsonArray([.. Roles.Select(r => JsonValue.Create(r))]),
        ["scopes"] = new JsonArray([.. Scopes.Select(s => JsonValue.Create(s))]),
        ["perPerson"] = PerPerson,
        ["ownExtension"] = OwnExtension,
    };

    public static WhoMayCall FromJson(JsonNode node) => new(
        Strings(node["policies"]), Strings(node["roles"]), Strings(node["scopes"]),
        node["perPerson"]?.GetValue<bool>() ?? false, node["ownExtension"]?.GetValue<bool>() ?? false);

    private static List<string> Strings(JsonNode? array) => array is JsonArray a ? a.Select(n => n!.GetValue<string>()).ToList() : [];

    /// <summary>One line for a reader: "ListenRecordings: Administrator, QualityManager; key scopes: read".</summary>
    public string Describe() =>
        AnySignedIn ? "Any signed-in person or API key." :
        $"Policy {string.Join(" + ", Policies)}: roles {(Roles.Count > 0 ? string.Join(", ", Roles) : "none")}"
        + (OwnExtension ? " (and an Agent for their own extension, when allowed)" : "")
        + (PerPerson ? " (granted per person by an administrator)" : "")
        + $"; API key scopes {(Scopes.Count > 0 ? string.Join(", ", Scopes) : "none")}.";
}
