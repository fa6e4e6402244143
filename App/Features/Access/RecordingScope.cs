using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Features.Access;

/// <summary>
/// Which recordings a signed-in person or API key may see at all. Everything outside the scope behaves as if it did not
/// exist (404, never 403):
/// Administrator, ComplaintHandler, Compliance: every call. QualityManager and read keys: their teams' calls, or every call
/// when no team is set. Agent with "own recordings only": calls on their own extension. Anyone else: none.
/// </summary>
public static class RecordingScope
{
    public const string TeamClaim = "team";

    /// <summary>Present only when the Agent may hear their own calls; the value is their extension.</summary>
    public const string OwnExtensionClaim = "own_extension";

    public static string? OwnExtensionOf(ClaimsPrincipal user) => user.FindFirstValue(OwnExtensionClaim) is { Length: > 0 } x ? x : null;

    private static bool SeesEveryCall(ClaimsPrincipal user) =>
        user.IsInRole(Roles.Administrator) || user.IsInRole(Roles.ComplaintHandler) || user.IsInRole(Roles.Compliance);

    /// <summary>The teams the caller is limited to; empty when not limited by team.</summary>
    public static IReadOnlyList<string> TeamsOf(ClaimsPrincipal user) =>
        SeesEveryCall(user) ? [] : user.FindAll(TeamClaim).Select(c => c.Value).Where(v => v.Length > 0).Distinct().ToList();

    public static IQueryable<Recording> VisibleTo(this IQueryable<Recording> recordings, ClaimsPrincipal user) => Of(user) switch
    {
        { Kind: ScopeKind.Everything } => recordings,
        { Kind: ScopeKind.Teams, Teams: var teams } => recordings.Where(r => r.Team != null && teams.Contains(r.Team)),
        { Kind: ScopeKind.OwnExtension, Extension: var extension } => recordings.Where(r => r.Extension == extension),
        _ => recordings.Where(r => false),
    };

    /// <summary>
    /// The caller's scope as data, for other lists of calls (the call history) to apply the same rules to their own rows:
    /// everything, the calls of these teams, the calls on this extension, or nothing.
    /// </summary>
    public static Scope Of(ClaimsPrincipal user)
    {
        if (SeesEveryCall(user)) return new Scope(ScopeKind.Everything, [], null);
        if (user.IsInRole(Roles.QualityManager) || user.HasClaim(ApiKeyAuthentication.ScopeClaim, ApiKeyScopes.Read))
        {
            var teams = TeamsOf(user);
            return teams.Count == 0 ? new Scope(ScopeKind.Everything, [], null) : new Scope(ScopeKind.Teams, teams.ToList(), null);
        }
        if (user.IsInRole(Roles.Agent) && OwnExtensionOf(user) is { } extension) return new Scope(ScopeKind.OwnExtension, [], extension);
        return new Scope(ScopeKind.Nothing, [], null);
    }

    public enum ScopeKind { Everything, Teams, OwnExtension, Nothing }

    public sealed record Scope(ScopeKind Kind, List<string> Teams, string? Extension);

    /// <summary>Every team the installation knows of: the phone directory's, the accounts' and the team settings', sorted.</summary>
    public static async Task<List<string>> KnownTeamsAsync(AppDbContext db, CancellationToken ct = default)
    {
        var fromDirectory = await db.Directory.AsNoTracking().Where(d => d.Team != null).Select(d => d.Team!).Distinct().ToListAsync(ct);
        var fromUsers = await db.Users.AsNoTracking().Where(u => u.Team != null).Select(u => u.Team!).Distinct().ToListAsync(ct);
        var fromSettings = await db.TeamSettings.AsNoTracking().Select(t => t.Team).ToListAsync(ct);
        return fromDirectory.Concat(fromUsers.SelectMany(ParseTeams)).Concat(fromSettings)
            .Where(t => !string.IsNullOrWhiteSpace(t)).Distinct().Order(StringComparer.CurrentCulture).ToList();
    }

    /// <summary>Splits "Reklamacje, Sprzedaż" into its teams: a QualityManager may look after several.</summary>
    public static IReadOnlyList<string> ParseTeams(string? text) =>
        string.IsNullOrWhiteSpace(text) ? [] : text.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();
}

/// <summary>
/// Puts the account's teams, extension and "own recordings" switch into the sign-in cookie, so every request knows the scope
/// without a lookup. The cookie is re-issued every minute (security stamp validation), so a change reaches open sessions.
/// </summary>
public sealed class AppClaimsFactory(
    UserManager<AppUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options, IDbContextFactory<AppDbContext> dbs)
    : UserClaimsPrincipalFactory<AppUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (user.Email is { } email) identity.AddClaim(new Claim(ClaimTypes.Email, email));
        foreach (var team in RecordingScope.ParseTeams(user.Team)) identity.AddClaim(new Claim(RecordingScope.TeamClaim, team));
        if (user.MayDeleteRecordings) identity.AddClaim(new Claim(Permissions.MayDeleteClaim, "true"));
        if (user.Extension is { Length: > 0 } extension && await HearsOwnRecordingsAsync(user))
            identity.AddClaim(new Claim(RecordingScope.OwnExtensionClaim, extension));
        return identity;
    }

    private async Task<bool> HearsOwnRecordingsAsync(AppUser user)
    {
        if (user.HearsOwnRecordings) return true;
        var teams = RecordingScope.ParseTeams(user.Team);
        if (teams.Count == 0) return false;
        await using var db = await dbs.CreateDbContextAsync();
        return await db.TeamSettings.AnyAsync(t => teams.Contains(t.Team) && t.AgentsHearOwnRecordings);
    }
}
