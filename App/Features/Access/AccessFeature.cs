using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using NagrywanieRozmow.Data;

using NagrywanieRozmow.Shared.Security;

namespace NagrywanieRozmow.Features.Access;

public static class AccessFeature
{
    public const string LoginPath = "/account/login";
    public const string ForbiddenPath = "/forbidden";
    public const string DefaultScheme = "CookieOrApiKey";

    /// <summary>How soon a disabled account, a new role or a changed team reaches sessions that are already open.</summary>
    public static readonly TimeSpan RevalidationInterval = TimeSpan.FromMinutes(1);

    public static IHostApplicationBuilder AddAccess(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, RevalidatingIdentityAuthenticationStateProvider>();
        // People sign in with the Identity cookie; integrations send X-Api-Key. One default scheme picks between them.
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = DefaultScheme;
                o.DefaultChallengeScheme = DefaultScheme;
            })
            .AddPolicyScheme(DefaultScheme, DefaultScheme, o => o.ForwardDefaultSelector = ctx =>
                ctx.Request.Headers.ContainsKey(ApiKeyAuthentication.Header) ? ApiKeyAuthentication.SchemeName : IdentityConstants.ApplicationScheme)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, _ => { })
            .AddIdentityCookies();
        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = LoginPath;
            o.AccessDeniedPath = ForbiddenPath;
            o.ExpireTimeSpan = TimeSpan.FromHours(10);
            o.SlidingExpiration = true;
            o.Cookie.Name = "NagrywanieRozmow.Auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            // API callers get status codes with a reason, people get the sign-in page.
            o.Events.OnRedirectToLogin = ctx => Challenge(ctx, StatusCodes.Status401Unauthorized,
                "Sign in first: the request has no valid session (it may have expired) and no X-Api-Key.");
            o.Events.OnRedirectToAccessDenied = ctx => Challenge(ctx, StatusCodes.Status403Forbidden,
                "Your role does not allow this.");
        });
        // Each minute the cookie is checked against the account (disabled, password reset) and its claims are rebuilt.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = RevalidationInterval);

        services.AddIdentityCore<AppUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 8;
                o.Password.RequireNonAlphanumeric = false;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<AppDbContext>()
            .AddSignInManager<AppSignInManager>()
            .AddDefaultTokenProviders()
            .AddClaimsPrincipalFactory<AppClaimsFactory>();

        var authorization = services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        foreach (var policy in Policies.All)
            authorization.AddPolicy(policy, p => p.RequireAuthenticatedUser().RequireAssertion(c => Permissions.Allows(c.User, policy)));
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AuditedAuthorizationResultHandler>();

        services.AddScoped<UserAccounts>();
        services.AddSingleton<ApiKeys>();
        builder.AddEntraId();
        return builder;
    }

    private static async Task Challenge(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> ctx, int status, string detail)
    {
        if (ErrorResponses.IsApiRequest(ctx.Request))
        {
            await TypedResults.Problem(detail, statusCode: status).ExecuteAsync(ctx.HttpContext);
            return;
        }
        ctx.Response.Redirect(ctx.RedirectUri);
    }

    public static IEndpointRouteBuilder MapAccess(this IEndpointRouteBuilder app)
    {
        app.MapPost("/account/logout", async (SignInManager<AppUser> signIn, HttpContext http, AuditLog audit) =>
        {
            await audit.AppendAsync(http, AuditActions.SignOut, AuditOutcomes.Success);
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect(LoginPath);
        }).RequireAuthorization();
        app.MapEntraId();
        return app;
    }
}

/// <summary>A disabled account cannot sign in, and its open sessions end at the next revalidation.</summary>
public sealed class AppSignInManager(
    UserManager<AppUser> users, IHttpContextAccessor http, IUserClaimsPrincipalFactory<AppUser> claims,
    Microsoft.Extensions.Options.IOptions<IdentityOptions> options, ILogger<SignInManager<AppUser>> logger,
    Microsoft.AspNetCore.Authentication.IAuthenticationSchemeProvider schemes, IUserConfirmation<AppUser> confirmation)
    : SignInManager<AppUser>(users, http, claims, options, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(AppUser user) => !user.IsDisabled && await base.CanSignInAsync(user);

    public override async Task<AppUser?> ValidateSecurityStampAsync(System.Security.Claims.ClaimsPrincipal? principal)
    {
        var user = await base.ValidateSecurityStampAsync(principal);
        return user is { IsDisabled: false } ? user : null;
    }
}

/// <summary>A signed-in caller refused by a policy is an access attempt: it is written to the audit log, then answered 403.</summary>
internal sealed class AuditedAuthorizationResultHandler(AuditLog audit) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler fallback = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result)
    {
        if (result.Forbidden && context.User.Identity?.IsAuthenticated == true)
        {
            // A refused download names its recording, so the recording's own history shows the attempt.
            long? recordingId = context.Request.RouteValues.TryGetValue("id", out var id) && long.TryParse(id?.ToString(), out var n) ? n : null;
            await audit.AppendAsync(context, AuditActions.AccessDenied, AuditOutcomes.Denied, recordingId,
                details: AuditLog.Details(new { method = context.Request.Method, path = context.Request.Path.Value }),
                reason: "the caller's role does not allow this");
        }
        await fallback.HandleAsync(next, context, policy, result);
    }
}
