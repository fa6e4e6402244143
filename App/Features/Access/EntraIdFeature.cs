using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Web;

namespace NagrywanieRozmow.Features.Access;

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
