using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.CookiePolicy;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;

namespace NagrywanieRozmow.Shared.Security;

/// <summary>
/// The cookies the panel sets, with `__Host-` names when <see cref="SecurityOptions.SecureCookies"/> is on: the browser
/// then takes them only over https, for this host alone (no Domain) and the whole site (Path=/), so neither a sibling
/// subdomain nor a plain-http page can plant or overwrite them. Off (Development), they keep the same names without the prefix.
/// </summary>
public static class SecureCookies
{
    public const string HostPrefix = "__Host-";
    public const string AuthName = "NagrywanieRozmow.Auth";
    public const string AntiforgeryName = "NagrywanieRozmow.Antiforgery";
    public const string CultureName = "NagrywanieRozmow.Culture";

    private static readonly string[] IdentitySchemes =
        [IdentityConstants.ApplicationScheme, IdentityConstants.ExternalScheme, IdentityConstants.TwoFactorRememberMeScheme, IdentityConstants.TwoFactorUserIdScheme];

    public static bool Enabled(IHostApplicationBuilder builder) =>
        builder.Configuration.GetValue<bool?>("Security:SecureCookies") ?? !builder.Environment.IsDevelopment();

    public static string Name(string name, bool secure) => secure ? HostPrefix + name : name;

    public static void AddSecureCookies(this IHostApplicationBuilder builder)
    {
        var secure = Enabled(builder);
        var policy = secure ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        var services = builder.Services;
        // PostConfigure: after Access has set its own cookie options.
        foreach (var scheme in IdentitySchemes)
            services.PostConfigure<CookieAuthenticationOptions>(scheme, o =>
            {
                var name = scheme == IdentityConstants.ApplicationScheme ? AuthName : o.Cookie.Name ?? scheme;
                o.Cookie.Name = Name(name.StartsWith(HostPrefix, StringComparison.Ordinal) ? name[HostPrefix.Length..] : name, secure);
                o.Cookie.SecurePolicy = policy;
                o.Cookie.Path = "/";
                o.Cookie.Domain = null;
            });
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = Name(AntiforgeryName, secure);
            o.Cookie.SecurePolicy = policy;
            o.Cookie.Path = "/";
        });
        services.PostConfigure<RequestLocalizationOptions>(o =>
        {
            foreach (var provider in o.RequestCultureProviders.OfType<CookieRequestCultureProvider>()) provider.CookieName = Name(CultureName, secure);
        });
        // Cookies appended anywhere else (the language switch) get Secure and HttpOnly too: nothing reads them from script.
        services.Configure<CookiePolicyOptions>(o =>
        {
            o.Secure = policy;
            o.HttpOnly = HttpOnlyPolicy.Always;
        });
    }
}
