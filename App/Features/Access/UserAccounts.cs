using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace NagrywanieRozmow.Features.Access;

/// <summary>Creating and listing accounts, shared by the CLI, the demo seed and (later) the users page.</summary>
public sealed class UserAccounts(UserManager<AppUser> users, RoleManager<IdentityRole> roles, TimeProvider time)
{
    public async Task EnsureRolesAsync()
    {
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role)) await roles.CreateAsync(new IdentityRole(role));
        }
    }

    /// <summary>Creates an account; returns the problems (empty on success). Nothing is stored when anything is wrong.</summary>
    public async Task<IReadOnlyList<string>> CreateAsync(string email, string password, string role, string? team, string? extension, string? displayName = null)
    {
        var errors = new List<string>();
        var roleName = Roles.Find(role ?? "");
        if (roleName is null) errors.Add($"Unknown role '{role}'. Use one of: {string.Join(", ", Roles.All)}.");
        if (string.IsNullOrWhiteSpace(email) || !email.Contains('@')) errors.Add($"'{email}' is not an e-mail address.");
        else if (await users.FindByEmailAsync(email) is not null) errors.Add($"A user with e-mail '{email}' already exists.");
        if (errors.Count > 0) return errors;

        await EnsureRolesAsync();
        var user = new AppUser
        {
            UserName = email.Trim(), Email = email.Trim(), EmailConfirmed = true,
            Team = string.IsNullOrWhiteSpace(team) ? null : team.Trim(),
            Extension = string.IsNullOrWhiteSpace(extension) ? null : extension.Trim(),
            DisplayName = displayName, CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        foreach (var validator in users.PasswordValidators)
        {
            var check = await validator.ValidateAsync(users, user, password);
            if (!check.Succeeded) return check.Errors.Select(e => e.Description).ToList();
        }
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded) return created.Errors.Select(e => e.Description).ToList();
        var inRole = await users.AddToRoleAsync(user, roleName!);
        if (!inRole.Succeeded)
        {
            await users.DeleteAsync(user);
            return inRole.Errors.Select(e => e.Description).ToList();
        }
        return [];
    }

    public async Task<IReadOnlyList<(AppUser User, string Role)>> ListAsync(CancellationToken ct = default)
    {
        var all = await users.Users.OrderBy(u => u.Email).ToListAsync(ct);
        var result = new List<(AppUser, string)>();
        foreach (var user in all) result.Add((user, (await users.GetRolesAsync(user)).FirstOrDefault() ?? ""));
        return result;
    }
}
