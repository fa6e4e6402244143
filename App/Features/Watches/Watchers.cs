using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using NagrywanieRozmow.Features.Access;

namespace NagrywanieRozmow.Features.Watches;

/// <summary>
/// The watcher as their account stands now (role, teams, extension, "own recordings"), built the way a sign-in builds it,
/// so a scope changed since the watch was made is what counts. A disabled, locked-out or deleted account, or one that may
/// no longer search, gets null: nothing is sent to it.
/// </summary>
public sealed class Watchers(UserManager<AppUser> users, IUserClaimsPrincipalFactory<AppUser> claims, TimeProvider time)
{
    public async Task<(AppUser User, ClaimsPrincipal Principal)?> CurrentAsync(string userId)
    {
        var user = await users.FindByIdAsync(userId);
        if (user is null || user.IsDisabled || user.LockoutEnd is { } end && end > time.GetUtcNow()) return null;
        var principal = await claims.CreateAsync(user);
        return Permissions.Allows(principal, Policies.ListenRecordings) ? (user, principal) : null;
    }
}
