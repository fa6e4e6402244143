using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NagrywanieRozmow.Data;

namespace NagrywanieRozmow.Features.Access;

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
