using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using NagrywanieRozmow.Data;

namespace NagrywanieRozmow.Features.Access;

public static class AccessFeature
{
    public const string LoginPath = "/account/login";
    public const string DefaultScheme = "CookieOrApiKey";

    private static bool RoleOrScope(System.Security.Claims.ClaimsPrincipal user, string scope, params string[] roles) =>
        user.HasClaim(ApiKeyAuthentication.ScopeClaim, scope) || roles.Any(user.IsInRole);

    public static IHostApplicationBuilder AddAccess(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddCascadingAuthenticationState();
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
            o.AccessDeniedPath = LoginPath;
            o.ExpireTimeSpan = TimeSpan.FromHours(10);
            o.SlidingExpiration = true;
            o.Cookie.Name = "NagrywanieRozmow.Auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            // API callers get status codes, people get the sign-in page.
            o.Events.OnRedirectToLogin = ctx => Challenge(ctx, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = ctx => Challenge(ctx, StatusCodes.Status403Forbidden);
        });

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
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddClaimsPrincipalFactory<AppClaimsFactory>();

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.ListenRecordings, p => p.RequireAssertion(c =>
                RoleOrScope(c.User, ApiKeyScopes.Read, Roles.Administrator, Roles.QualityManager, Roles.ComplaintHandler, Roles.Compliance)))
            .AddPolicy(Policies.DownloadRecordings, p => p.RequireAssertion(c =>
                RoleOrScope(c.User, ApiKeyScopes.Read, Roles.Administrator, Roles.QualityManager, Roles.ComplaintHandler)))
            .AddPolicy(Policies.Ingest, p => p.RequireClaim(ApiKeyAuthentication.ScopeClaim, ApiKeyScopes.Ingest))
            .AddPolicy(Policies.Administration, p => p.RequireRole(Roles.Administrator));

        services.AddScoped<UserAccounts>();
        services.AddSingleton<ApiKeys>();
        return builder;
    }

    private static Task Challenge(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> ctx, int status)
    {
        if (IsApiRequest(ctx.Request))
        {
            ctx.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }

    internal static bool IsApiRequest(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/health") || request.Path.StartsWithSegments("/hangfire");

    public static IEndpointRouteBuilder MapAccess(this IEndpointRouteBuilder app)
    {
        app.MapPost("/account/logout", async (SignInManager<AppUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect(LoginPath);
        }).RequireAuthorization();
        return app;
    }
}
