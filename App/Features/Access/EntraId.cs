using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Web;
using NagrywanieRozmow.Features.Audit;

namespace NagrywanieRozmow.Features.Access;

/// <summary>
/// Sign-in with Entra ID (Azure AD), bound from <c>AzureAd</c>. The Microsoft.Identity.Web keys are the usual ones; ours are
/// <see cref="AllowLocalAccounts"/> and <see cref="RoleMap"/>.
/// </summary>
public sealed class EntraIdOptions
{
    public const string Section = "AzureAd";
    public const string Scheme = "EntraId";
    public const string DefaultInstance = "https://login.microsoftonline.com/";

    public string Instance { get; set; } = DefaultInstance;
    public string? TenantId { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }
    public string CallbackPath { get; set; } = "/signin-oidc";

    /// <summary>With Entra ID configured, local passwords work only when this is on (e.g. a break-glass administrator).</summary>
    public bool AllowLocalAccounts { get; set; }

    /// <summary>App-role value in the token → our role name; our five role names always map to themselves.</summary>
    public Dictionary<string, string> RoleMap { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ClientId) && !string.IsNullOrWhiteSpace(TenantId);

    public bool LocalAccountsEnabled => !IsConfigured || AllowLocalAccounts;
}

internal sealed class EntraIdOptionsValidation : IValidateOptions<EntraIdOptions>
{
    public ValidateOptionsResult Validate(string? name, EntraIdOptions o)
    {
        var errors = new List<string>();
        var hasClient = !string.IsNullOrWhiteSpace(o.ClientId);
        var hasTenant = !string.IsNullOrWhiteSpace(o.TenantId);
        if (hasClient != hasTenant)
            errors.Add($"{EntraIdOptions.Section}:{(hasClient ? "TenantId" : "ClientId")} is empty: set both AzureAd:TenantId and AzureAd:ClientId for Entra ID sign-in, or neither for local accounts.");
        if (o.IsConfigured)
        {
            if (string.IsNullOrWhiteSpace(o.ClientSecret))
                errors.Add($"{EntraIdOptions.Section}:ClientSecret is empty: create a client secret in the app registration (Certificates & secrets).");
            if (!Uri.TryCreate(o.Instance, UriKind.Absolute, out var instance) || instance.Scheme != Uri.UriSchemeHttps)
                errors.Add($"{EntraIdOptions.Section}:Instance '{o.Instance}' is not an https address (e.g. {EntraIdOptions.DefaultInstance}).");
            if (!o.CallbackPath.StartsWith('/'))
                errors.Add($"{EntraIdOptions.Section}:CallbackPath '{o.CallbackPath}' must start with '/' (e.g. /signin-oidc).");
        }
        foreach (var (appRole, role) in o.RoleMap)
        {
            if (Roles.Find(role ?? "") is null)
                errors.Add($"{EntraIdOptions.Section}:RoleMap:{appRole} = '{role}' is not a role. Use one of: {string.Join(", ", Roles.All)}.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>Codes the sign-in page turns into a message (<c>/account/login?error=…</c>).</summary>
public static class EntraErrors
{
    public const string NoEmail = "entra-no-email";
    public const string NoRole = "entra-no-role";
    public const string Disabled = "entra-disabled";
    public const string Conflict = "entra-conflict";
    public const string Failed = "entra-failed";
}

public static class EntraIdFeature
{
    public const string LoginPath = "/account/login/entra";
    public const string CallbackPath = "/account/login/entra/callback";

    public static IHostApplicationBuilder AddEntraId(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<EntraIdOptions>().BindConfiguration(EntraIdOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EntraIdOptions>, EntraIdOptionsValidation>();

        var section = builder.Configuration.GetSection(EntraIdOptions.Section);
        if (!(section.Get<EntraIdOptions>()?.IsConfigured ?? false)) return builder;

        // No cookie of its own and not the default scheme: Entra ID only proves who someone is; the Identity application
        // cookie (revalidated every minute, with our team and extension claims) stays the one session everything relies on.
        services.AddAuthentication().AddMicrosoftIdentityWebApp(section, openIdConnectScheme: EntraIdOptions.Scheme, cookieScheme: null);
        // Microsoft.Identity.Web reads the section itself and knows no default for Instance.
        services.Configure<MicrosoftIdentityOptions>(EntraIdOptions.Scheme, o =>
        {
            if (string.IsNullOrWhiteSpace(o.Instance)) o.Instance = EntraIdOptions.DefaultInstance;
        });
        services.PostConfigure<OpenIdConnectOptions>(EntraIdOptions.Scheme, o =>
        {
            o.SignInScheme = IdentityConstants.ExternalScheme;
            o.Events.OnRemoteFailure = OnRemoteFailureAsync;
        });
        services.AddScoped<EntraAccounts>();
        return builder;
    }

    public static IEndpointRouteBuilder MapEntraId(this IEndpointRouteBuilder app)
    {
        if (!app.ServiceProvider.GetRequiredService<IOptions<EntraIdOptions>>().Value.IsConfigured) return app;

        app.MapGet(LoginPath, (string? returnUrl) =>
        {
            var callback = $"{CallbackPath}?returnUrl={Uri.EscapeDataString(LoginPage.SafeReturnUrl(returnUrl))}";
            return TypedResults.Challenge(new AuthenticationProperties { RedirectUri = callback }, [EntraIdOptions.Scheme]);
        }).AllowAnonymous();
        app.MapGet(CallbackPath, CompleteSignInAsync).AllowAnonymous();
        return app;
    }

    private static async Task<IResult> CompleteSignInAsync(
        HttpContext http, string? returnUrl, EntraAccounts accounts, SignInManager<AppUser> signIn, AuditLog audit,
        IOptions<EntraIdOptions> options, ILogger<EntraAccounts> logger)
    {
        var ip = http.Connection.RemoteIpAddress?.ToString();
        var external = await http.AuthenticateAsync(IdentityConstants.ExternalScheme);
        await http.SignOutAsync(IdentityConstants.ExternalScheme);
        if (!external.Succeeded || external.Principal is null)
        {
            await audit.AppendAsync("anonymous", AuditActions.SignIn, AuditOutcomes.Failed, reason: "Entra ID: no Microsoft sign-in to complete", ip: ip);
            return Refused(EntraErrors.Failed);
        }

        var identity = EntraRoleMapping.Map(external.Principal, options.Value.RoleMap);
        var outcome = await accounts.ProvisionAsync(identity, ip);
        if (outcome.User is not { } user) return Refused(outcome.Error ?? EntraErrors.Failed);

        await signIn.SignInAsync(user, isPersistent: false);
        logger.LogInformation("User {Email} signed in with Entra ID as {Role}", user.Email, identity.Role);
        await audit.AppendAsync(user.Email ?? identity.Email!, AuditActions.SignIn, AuditOutcomes.Success, reason: "Entra ID", ip: ip);
        return TypedResults.LocalRedirect(LoginPage.SafeReturnUrl(returnUrl));
    }

    private static IResult Refused(string error) => TypedResults.LocalRedirect($"{AccessFeature.LoginPath}?error={error}");

    // Cancelled at Microsoft, consent refused, a bad or replayed response: back to our page with a message, not a 500.
    private static async Task OnRemoteFailureAsync(RemoteFailureContext ctx)
    {
        var audit = ctx.HttpContext.RequestServices.GetRequiredService<AuditLog>();
        var reason = $"Entra ID: {ctx.Failure?.Message}";
        await audit.AppendAsync("anonymous", AuditActions.SignIn, AuditOutcomes.Failed,
            reason: reason.Length > MaxReasonLength ? reason[..MaxReasonLength] : reason, ip: ctx.HttpContext.Connection.RemoteIpAddress?.ToString());
        ctx.Response.Redirect($"{AccessFeature.LoginPath}?error={EntraErrors.Failed}");
        ctx.HandleResponse();
    }

    private const int MaxReasonLength = 500;
}

/// <summary>Who the token says someone is, and which of our roles their app roles give them (null: none).</summary>
public sealed record EntraIdentity(string? Email, string? ObjectId, string? DisplayName, string? Role);

/// <summary>Reads an Entra ID token's claims; no I/O, so every rule is a unit test.</summary>
public static class EntraRoleMapping
{
    /// <summary>Several app roles may be assigned (directly and through groups); the broadest one wins.</summary>
    public static readonly IReadOnlyList<string> Precedence =
        [Roles.Administrator, Roles.Compliance, Roles.QualityManager, Roles.ComplaintHandler, Roles.Agent];

    // Claim types differ with inbound claim mapping on or off, and between v1 and v2 tokens.
    private static readonly string[] RoleClaimTypes = ["roles", ClaimTypes.Role];
    private static readonly string[] EmailClaimTypes = ["preferred_username", ClaimTypes.Email, "email", "upn", ClaimTypes.Upn];
    private static readonly string[] ObjectIdClaimTypes = ["oid", "http://schemas.microsoft.com/identity/claims/objectidentifier"];
    private static readonly string[] NameClaimTypes = ["name"];

    public static EntraIdentity Map(ClaimsPrincipal principal, IReadOnlyDictionary<string, string>? roleMap = null)
    {
        var map = EffectiveRoleMap(roleMap);
        var mapped = RoleClaimTypes.SelectMany(principal.FindAll).Select(c => map.GetValueOrDefault(c.Value.Trim())).OfType<string>().ToHashSet();
        var role = Precedence.FirstOrDefault(mapped.Contains);
        var email = Values(principal, EmailClaimTypes).FirstOrDefault(v => v.Contains('@') && !v.Contains(' '));
        return new EntraIdentity(email, Values(principal, ObjectIdClaimTypes).FirstOrDefault(), Values(principal, NameClaimTypes).FirstOrDefault(), role);
    }

    public static IReadOnlyDictionary<string, string> EffectiveRoleMap(IReadOnlyDictionary<string, string>? roleMap)
    {
        var map = Roles.All.ToDictionary(r => r, r => r, StringComparer.OrdinalIgnoreCase);
        foreach (var (appRole, role) in roleMap ?? new Dictionary<string, string>())
        {
            if (Roles.Find(role ?? "") is { } ours) map[appRole.Trim()] = ours;
        }
        return map;
    }

    private static IEnumerable<string> Values(ClaimsPrincipal principal, string[] types) =>
        types.SelectMany(principal.FindAll).Select(c => c.Value.Trim()).Where(v => v.Length > 0);
}

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
