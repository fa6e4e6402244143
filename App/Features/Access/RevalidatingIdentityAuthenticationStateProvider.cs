using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace NagrywanieRozmow.Features.Access;

/// <summary>
/// An open Blazor circuit keeps the user it connected with; every minute this checks the account still exists, is not
/// disabled and has the same security stamp. When not, the circuit loses its user and the page goes to the sign-in form.
/// </summary>
internal sealed class RevalidatingIdentityAuthenticationStateProvider(
    ILoggerFactory loggerFactory, IServiceScopeFactory scopeFactory, IOptions<IdentityOptions> options)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => AccessFeature.RevalidationInterval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        var principal = authenticationState.User;
        // API keys and test identities have no account to check.
        if (principal.FindFirstValue(options.Value.ClaimsIdentity.SecurityStampClaimType) is not { } stamp) return true;
        await using var scope = scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.GetUserAsync(principal);
        return user is { IsDisabled: false } && await users.GetSecurityStampAsync(user) == stamp;
    }
}
