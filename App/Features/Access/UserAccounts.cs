using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Data;

namespace NagrywanieRozmow.Features.Access;

/// <summary>
/// What an administrator may change about an account. Null team or extension clears it. <see cref="MayDeleteRecordings"/>
/// is the manual-deletion permission, off by default and never given to an agent.
/// </summary>
public sealed record AccountChange(string Role, string? Team, string? Extension, string? DisplayName, bool HearsOwnRecordings, bool MayDeleteRecordings);

/// <summary>
/// Accounts: created by the CLI, the demo seed and the users page; changed, disabled and reset on the users page. Every
/// change is validated first (nothing is stored when anything is wrong) and written to the audit log with old and new values.
/// </summary>
public sealed class UserAccounts(
    UserManager<AppUser> users, RoleManager<IdentityRole> roles, TimeProvider time, AuditLog audit, IDbContextFactory<AppDbContext> dbs)
{
    public async Task EnsureRolesAsync()
    {
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role)) await roles.CreateAsync(new IdentityRole(role));
        }
    }

    /// <summary>Creates an account; returns the problems (empty on success). Nothing is stored when anything is wrong.</summary>
    public async Task<IReadOnlyList<string>> CreateAsync(
        string email, string password, string role, string? team, string? extension, string? displayName = null,
        bool hearsOwnRecordings = false, AuditActor? by = null)
    {
        var errors = new List<string>();
        var roleName = Roles.Find(role ?? "");
        if (roleName is null) errors.Add($"Unknown role '{role}'. Use one of: {string.Join(", ", Roles.All)}.");
        if (string.IsNullOrWhiteSpace(email) || !email.Contains('@') || email.Trim().Contains(' ')) errors.Add($"'{email}' is not an e-mail address.");
        else if (await users.FindByEmailAsync(email.Trim()) is not null) errors.Add($"A user with e-mail '{email.Trim()}' already exists.");
        errors.AddRange(CheckFields(team, extension, displayName));
        if (errors.Count > 0) return errors;

        await EnsureRolesAsync();
        var user = new AppUser
        {
            UserName = email.Trim(), Email = email.Trim(), EmailConfirmed = true,
            Team = NormalizeTeams(team), Extension = Clean(extension), DisplayName = Clean(displayName),
            HearsOwnRecordings = hearsOwnRecordings, CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        var passwordErrors = await CheckPasswordAsync(user, password);
        if (passwordErrors.Count > 0) return passwordErrors;
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded) return Describe(created);
        var inRole = await users.AddToRoleAsync(user, roleName!);
        if (!inRole.Succeeded)
        {
            await users.DeleteAsync(user);
            return Describe(inRole);
        }
        await AuditAsync(by, AuditActions.UserCreated, user, new { role = roleName, team = user.Team, extension = user.Extension, hearsOwnRecordings });
        return [];
    }

    public async Task<IReadOnlyList<(AppUser User, string Role)>> ListAsync(CancellationToken ct = default)
    {
        var all = await users.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync(ct);
        var result = new List<(AppUser, string)>();
        foreach (var user in all) result.Add((user, (await users.GetRolesAsync(user)).FirstOrDefault() ?? ""));
        return result;
    }

    /// <summary>Changes role, teams, extension, name and the "own recordings" switch; the open sessions pick it up within a minute.</summary>
    public async Task<IReadOnlyList<string>> ChangeAsync(string userId, AccountChange change, AuditActor by)
    {
        var user = await users.FindByIdAsync(userId);
        if (user is null) return ["There is no such user."];
        var roleName = Roles.Find(change.Role ?? "");
        var errors = new List<string>();
        if (roleName is null) errors.Add($"Unknown role '{change.Role}'. Use one of: {string.Join(", ", Roles.All)}.");
        errors.AddRange(CheckFields(change.Team, change.Extension, change.DisplayName));
        var oldRole = (await users.GetRolesAsync(user)).FirstOrDefault();
        if (roleName is not null && oldRole == Roles.Administrator && roleName != Roles.Administrator && await IsLastActiveAdministratorAsync(user))
            errors.Add("This is the last active administrator; make someone else an administrator first.");

        if (change.MayDeleteRecordings && roleName == Roles.Agent) errors.Add("An agent cannot be given the permission to delete recordings.");
        if (errors.Count > 0) return errors;

        var before = new
        {
            role = oldRole, team = user.Team, extension = user.Extension, displayName = user.DisplayName,
            hearsOwnRecordings = user.HearsOwnRecordings, mayDeleteRecordings = user.MayDeleteRecordings,
        };
        user.Team = NormalizeTeams(change.Team);
        user.Extension = Clean(change.Extension);
        user.DisplayName = Clean(change.DisplayName);
        user.HearsOwnRecordings = change.HearsOwnRecordings;
        user.MayDeleteRecordings = change.MayDeleteRecordings;
        var updated = await users.UpdateAsync(user);
        if (!updated.Succeeded) return Describe(updated);
        if (oldRole != roleName)
        {
            await EnsureRolesAsync();
            if (oldRole is not null) await users.RemoveFromRoleAsync(user, oldRole);
            await users.AddToRoleAsync(user, roleName!);
        }
        var after = new
        {
            role = roleName, team = user.Team, extension = user.Extension, displayName = user.DisplayName,
            hearsOwnRecordings = user.HearsOwnRecordings, mayDeleteRecordings = user.MayDeleteRecordings,
        };
        if (before != after) await AuditAsync(by, AuditActions.UserChanged, user, new { before, after });
        return [];
    }

    /// <summary>
    /// A disabled account cannot sign in; its security stamp changes, so its open sessions (cookie and Blazor circuit) end at
    /// the next revalidation, within a minute.
    /// </summary>
    public async Task<IReadOnlyList<string>> SetDisabledAsync(string userId, bool disabled, AuditActor by, string? reason = null)
    {
        var user = await users.FindByIdAsync(userId);
        if (user is null) return ["There is no such user."];
        if (user.IsDisabled == disabled) return [];
        if (disabled && string.Equals(user.Email, by.Name, StringComparison.OrdinalIgnoreCase)) return ["You cannot disable your own account."];
        if (disabled && await IsLastActiveAdministratorAsync(user)) return ["This is the last active administrator; it cannot be disabled."];
        user.IsDisabled = disabled;
        var updated = await users.UpdateAsync(user);
        if (!updated.Succeeded) return Describe(updated);
        await users.UpdateSecurityStampAsync(user);
        await AuditAsync(by, disabled ? AuditActions.UserDisabled : AuditActions.UserEnabled, user, null, reason);
        return [];
    }

    /// <summary>Sets a new password chosen by the administrator; the account's other sessions end, a lockout is lifted.</summary>
    public async Task<IReadOnlyList<string>> ResetPasswordAsync(string userId, string newPassword, AuditActor by)
    {
        var user = await users.FindByIdAsync(userId);
        if (user is null) return ["There is no such user."];
        var passwordErrors = await CheckPasswordAsync(user, newPassword);
        if (passwordErrors.Count > 0) return passwordErrors;
        var token = await users.GeneratePasswordResetTokenAsync(user);
        var reset = await users.ResetPasswordAsync(user, token, newPassword);
        if (!reset.Succeeded) return Describe(reset);
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        await AuditAsync(by, AuditActions.PasswordReset, user, null);
        return [];
    }

    public async Task<IReadOnlyList<string>> UnlockAsync(string userId, AuditActor by)
    {
        var user = await users.FindByIdAsync(userId);
        if (user is null) return ["There is no such user."];
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        await AuditAsync(by, AuditActions.UserUnlocked, user, null);
        return [];
    }

    /// <summary>Lets (or stops letting) a whole team's agents hear their own calls; sessions pick it up within a minute.</summary>
    public async Task SetAgentsHearOwnRecordingsAsync(string team, bool on, AuditActor by)
    {
        await using var db = await dbs.CreateDbContextAsync();
        var setting = await db.TeamSettings.FirstOrDefaultAsync(t => t.Team == team);
        if (setting is null) db.TeamSettings.Add(setting = new TeamSetting { Team = team });
        if (setting.AgentsHearOwnRecordings == on && db.Entry(setting).State != EntityState.Added) return;
        var before = setting.AgentsHearOwnRecordings;
        setting.AgentsHearOwnRecordings = on;
        await db.SaveChangesAsync();
        await audit.AppendAsync(by, AuditActions.SettingChanged, AuditOutcomes.Success,
            details: AuditLog.Details(new { setting = "team.agentsHearOwnRecordings", team, before, after = on }));
    }

    public bool IsLockedOut(AppUser user) => user.LockoutEnd is { } end && end > time.GetUtcNow();

    private async Task<bool> IsLastActiveAdministratorAsync(AppUser user)
    {
        var admins = await users.GetUsersInRoleAsync(Roles.Administrator);
        return admins.Any(a => a.Id == user.Id) && admins.Count(a => !a.IsDisabled) <= 1;
    }

    private async Task<List<string>> CheckPasswordAsync(AppUser user, string password)
    {
        var errors = new List<string>();
        foreach (var validator in users.PasswordValidators)
        {
            var check = await validator.ValidateAsync(users, user, password ?? "");
            if (!check.Succeeded) errors.AddRange(check.Errors.Select(e => e.Description));
        }
        return errors;
    }

    private static IEnumerable<string> CheckFields(string? team, string? extension, string? displayName)
    {
        if (team is { Length: > 200 }) yield return "Teams may take at most 200 characters.";
        if (Clean(extension) is { } x && (x.Length > 20 || !x.All(c => char.IsAsciiDigit(c) || c is '*' or '#')))
            yield return $"'{x}' is not an extension: digits only (also * and #), at most 20.";
        if (displayName is { Length: > 100 }) yield return "A name may take at most 100 characters.";
    }

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static string? NormalizeTeams(string? text) => RecordingScope.ParseTeams(text) is { Count: > 0 } teams ? string.Join(", ", teams) : null;

    private static List<string> Describe(IdentityResult result) => result.Errors.Select(e => e.Description).ToList();

    private Task AuditAsync(AuditActor? by, string action, AppUser user, object? facts, string? reason = null)
    {
        var details = AuditLog.Details(new { user = user.Email, change = facts });
        return audit.AppendAsync(by ?? AuditActor.CommandLine, action, AuditOutcomes.Success, details: details, reason: reason);
    }
}
