using System.Security.Claims;

namespace NagrywanieRozmow.Core;

/// <summary>
/// Which calls a signed-in person or API key may see at all, as their claims say. Everything outside the scope behaves as
/// if it did not exist (404, never 403):
/// Administrator, ComplaintHandler, Compliance: every call. QualityManager and keys that reach recordings (read, label, holds): their teams' calls, or every call
/// when no team is set. Agent with "own recordings only": calls on their own extension. Anyone else: none.
/// The query that applies it to recordings is <c>RecordingVisibility.VisibleTo</c>.
/// </summary>
public static class RecordingScope
{
    public const string TeamClaim = "team";

    /// <summary>Present only when the Agent may hear their own calls; the value is their extension.</summary>
    public const string OwnExtensionClaim = "own_extension";

    public static string? OwnExtensionOf(ClaimsPrincipal user) => user.FindFirstValue(OwnExtensionClaim) is { Length: > 0 } x ? x : null;

    public static bool SeesEveryCall(ClaimsPrincipal user) =>
        user.IsInRole(Roles.Administrator) || user.IsInRole(Roles.ComplaintHandler) || user.IsInRole(Roles.Compliance);

    /// <summary>A QualityManager or a key that reaches recordings (read, label, holds): limited to <see cref="TeamsOf"/> when that is not empty.</summary>
    public static bool SeesTeams(ClaimsPrincipal user) =>
        user.IsInRole(Roles.QualityManager) || ApiKeyScopes.OnRecordings.Any(s => user.HasClaim(ApiKeyScopes.Claim, s));

    /// <summary>The teams the caller is limited to; empty when not limited by team.</summary>
    public static IReadOnlyList<string> TeamsOf(ClaimsPrincipal user) =>
        SeesEveryCall(user) ? [] : user.FindAll(TeamClaim).Select(c => c.Value).Where(v => v.Length > 0).Distinct().ToList();

    /// <summary>
    /// The caller's scope as data, for each list of calls (recordings, the call history) to apply the same rules to its own
    /// rows: everything, the calls of these teams, the calls on this extension, or nothing.
    /// </summary>
    public static Scope Of(ClaimsPrincipal user)
    {
        if (SeesEveryCall(user)) return new Scope(ScopeKind.Everything, [], null);
        if (SeesTeams(user))
        {
            var teams = TeamsOf(user);
            return teams.Count == 0 ? new Scope(ScopeKind.Everything, [], null) : new Scope(ScopeKind.Teams, teams.ToList(), null);
        }
        if (user.IsInRole(Roles.Agent) && OwnExtensionOf(user) is { } extension) return new Scope(ScopeKind.OwnExtension, [], extension);
        return new Scope(ScopeKind.Nothing, [], null);
    }

    public enum ScopeKind { Everything, Teams, OwnExtension, Nothing }

    public sealed record Scope(ScopeKind Kind, List<string> Teams, string? Extension);

    /// <summary>Splits "Reklamacje, Sprzedaż" into its teams: a QualityManager may look after several.</summary>
    public static IReadOnlyList<string> ParseTeams(string? text) =>
        string.IsNullOrWhiteSpace(text) ? [] : text.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();
}
