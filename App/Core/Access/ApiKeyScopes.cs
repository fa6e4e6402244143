namespace NagrywanieRozmow.Core;

/// <summary>What an API key may do; the key's principal carries its scope in <see cref="Claim"/>, never a role.</summary>
public static class ApiKeyScopes
{
    public const string Claim = "scope";
    public const string Read = "read";
    public const string Ingest = "ingest";
    public static readonly IReadOnlyList<string> All = [Read, Ingest];
}
