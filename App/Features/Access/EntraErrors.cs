namespace NagrywanieRozmow.Features.Access;

/// <summary>Codes the sign-in page turns into a message (<c>/account/login?error=…</c>).</summary>
public static class EntraErrors
{
    public const string NoEmail = "entra-no-email";
    public const string NoRole = "entra-no-role";
    public const string Disabled = "entra-disabled";
    public const string Conflict = "entra-conflict";
    public const string Failed = "entra-failed";
}
