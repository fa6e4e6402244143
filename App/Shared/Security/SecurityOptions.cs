using System.ComponentModel.DataAnnotations;

namespace NagrywanieRozmow.Shared.Security;

/// <summary>`Security:*` settings.</summary>
public sealed class SecurityOptions
{
    /// <summary>
    /// `__Host-` cookies with the Secure attribute. On by default outside Development; off only for a panel reached over
    /// plain http by something other than a browser on localhost (benchmarks, the multi-instance tests), where a Secure
    /// cookie would never come back. Unset: on outside Development.
    /// </summary>
    public bool? SecureCookies { get; set; }

    /// <summary>The largest request body any endpoint takes unless it declares its own limit (the upload API does).</summary>
    [Range(1, 1024 * 1024)] public int MaxRequestBodyKb { get; set; } = 2048;
}

/// <summary>`RateLimits:*` settings; 0 switches a limit off.</summary>
public sealed class RateLimitOptions
{
    /// <summary>Requests to /api/v1 one person or one API key may make per <see cref="ApiWindowSeconds"/>.</summary>
    [Range(0, int.MaxValue)] public int ApiPermitLimit { get; set; } = 600;

    [Range(1, 86_400)] public int ApiWindowSeconds { get; set; } = 60;

    /// <summary>
    /// Failed sign-ins for one account from one address per window. Above Identity's lockout (5), so a person sees
    /// "locked out" first; it still stops guessing at e-mails that have no account (and so no lockout).
    /// </summary>
    [Range(0, int.MaxValue)] public int SignInFailuresPerAccount { get; set; } = 10;

    /// <summary>Failed sign-ins from one address, whatever the account: one password tried on many accounts.</summary>
    [Range(0, int.MaxValue)] public int SignInFailuresPerAddress { get; set; } = 30;

    [Range(1, 86_400)] public int SignInWindowSeconds { get; set; } = 900;
}
