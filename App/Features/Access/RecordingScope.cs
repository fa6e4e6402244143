using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Features.Access;

/// <summary>
/// Which recordings a signed-in person or API key may see at all. A QualityManager with a team, or a key restricted to a
/// team, sees that team's calls only; everything outside behaves as if it did not exist (404, never 403).
/// </summary>
public static class RecordingScope
{
    public const string TeamClaim = "team";

    public static string? TeamOf(ClaimsPrincipal user) =>
        user.IsInRole(Roles.Administrator) || user.IsInRole(Roles.ComplaintHandler) || user.IsInRole(Roles.Compliance)
            ? null
            : user.FindFirstValue(TeamClaim) is { Length: > 0 } team ? team : null;

    public static IQueryable<Recording> VisibleTo(this IQueryable<Recording> recordings, ClaimsPrincipal user) =>
        TeamOf(user) is { } team ? recordings.Where(r => r.Team == team) : recordings;
}

/// <summary>Puts the account's team into the sign-in cookie, so every request knows the scope without a lookup.</summary>
public sealed class AppClaimsFactory(UserManager<AppUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<AppUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (user.Email is { } email) identity.AddClaim(new Claim(ClaimTypes.Email, email));
        if (user.Team is { Length: > 0 } team) identity.AddClaim(new Claim(RecordingScope.TeamClaim, team));
        return identity;
    }
}
