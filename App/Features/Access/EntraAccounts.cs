using Microsoft.AspNetCore.Identity;

namespace NagrywanieRozmow.Features.Access;

/// <summary>The result of matching a Microsoft sign-in to a local account: the account, or the error code to show.</summary>
public sealed record EntraProvisioning(AppUser? User, string? Error);

/// <summary>
/// Finds or creates the local account behind a Microsoft sign-in. The token decides the role on every sign-in; teams,
/// extension and "own recordings" stay as the administrator set them on the users page, and so does "disabled".
/// </summary>
public sealed class EntraAccounts(UserManager<AppUser> users, UserAccounts accounts, TimeProvider time, AuditLog audit)
{
    public const string Actor = "entra-id";
    public const string LoginProviderDisplayName = "Microsoft";

    public async Task<EntraProvisioning> ProvisionAsync(EntraIdentity identity, string? ip)
    {
        var who = identity.Email ?? identity.ObjectId ?? "anonymous";
        if (identity.Email is null) return await RefuseAsync(who, EntraErrors.NoEmail, AuditOutcomes.Failed, "Entra ID: the token has no e-mail (preferred_username, email or upn)", ip);
        if (identity.ObjectId is null) return await RefuseAsync(who, EntraErrors.Failed, AuditOutcomes.Failed, "Entra ID: the token has no object id (oid)", ip);
        if (identity.Role is null) return await RefuseAsync(who, EntraErrors.NoRole, AuditOutcomes.Denied, "Entra ID: no app role that maps to a role of this application", ip);

        var user = await users.FindByLoginAsync(EntraIdOptions.Scheme, identity.ObjectId);
        if (user is null && await users.FindByEmailAsync(identity.Email) is { } byEmail)
        {
            // The same address under another Entra object id is someone else (or a recreated account): an administrator decides.
            var logins = await users.GetLoginsAsync(byEmail);
            if (logins.Any(l => l.LoginProvider == EntraIdOptions.Scheme))
                return await RefuseAsync(identity.Email, EntraErrors.Conflict, AuditOutcomes.Denied, "Entra ID: the e-mail is linked to another Microsoft account", ip);
            user = byEmail;
            var linked = await users.AddLoginAsync(user, new UserLoginInfo(EntraIdOptions.Scheme, identity.ObjectId, LoginProviderDisplayName));
            if (!linked.Succeeded) return await RefuseAsync(identity.Email, EntraErrors.Failed, AuditOutcomes.Failed, Describe("linking the Microsoft account failed", linked), ip);
        }
        user ??= await CreateAsync(identity);
        if (user is null) return await RefuseAsync(identity.Email, EntraErrors.Failed, AuditOutcomes.Failed, "Entra ID: the local account could not be created", ip);
        if (user.IsDisabled) return await RefuseAsync(user.Email ?? identity.Email, EntraErrors.Disabled, AuditOutcomes.Denied, "account disabled", ip);

        await ApplyRoleAsync(user, identity.Role);
        user.DisplayName ??= identity.DisplayName;
        user.LastSignInAt = time.GetUtcNow().UtcDateTime;
        await users.UpdateAsync(user);
        return new EntraProvisioning(user, null);
    }

    private async Task<AppUser?> CreateAsync(EntraIdentity identity)
    {
        await accounts.EnsureRolesAsync();
        var user = new AppUser
        {
            UserName = identity.Email, Email = identity.Email, EmailConfirmed = true,
            DisplayName = identity.DisplayName, CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        if (!(await users.CreateAsync(user)).Succeeded) return null;
        if (!(await users.AddLoginAsync(user, new UserLoginInfo(EntraIdOptions.Scheme, identity.ObjectId!, LoginProviderDisplayName))).Succeeded
            || !(await users.AddToRoleAsync(user, identity.Role!)).Succeeded)
        {
            await users.DeleteAsync(user);
            return null;
        }
        await audit.AppendAsync(Actor, AuditActions.UserCreated, AuditOutcomes.Success,
            details: AuditLog.Details(new { user = user.Email, change = new { role = identity.Role, source = "Entra ID" } }));
        return user;
    }

    private async Task ApplyRoleAsync(AppUser user, string role)
    {
        var current = await users.GetRolesAsync(user);
        if (current.Count == 1 && current[0] == role) return;
        await accounts.EnsureRolesAsync();
        if (current.Count > 0) await users.RemoveFromRolesAsync(user, current);
        await users.AddToRoleAsync(user, role);
        await audit.AppendAsync(Actor, AuditActions.UserChanged, AuditOutcomes.Success,
            details: AuditLog.Details(new { user = user.Email, change = new { before = new { role = current.FirstOrDefault() }, after = new { role } } }),
            reason: "app role in the Entra ID token");
    }

    private async Task<EntraProvisioning> RefuseAsync(string who, string error, string outcome, string reason, string? ip)
    {
        await audit.AppendAsync(who, AuditActions.SignIn, outcome, reason: reason, ip: ip);
        return new EntraProvisioning(null, error);
    }

    private static string Describe(string what, IdentityResult result) =>
        $"Entra ID: {what}: {string.Join(" ", result.Errors.Select(e => e.Description))}";
}
