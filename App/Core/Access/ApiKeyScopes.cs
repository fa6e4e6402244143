namespace NagrywanieRozmow.Core;

/// <summary>
/// What an API key may do; the key's principal carries one <see cref="Claim"/> per scope, never a role. A key may hold several
/// (`read,label`). `read`: search, listen, download. `ingest`: upload recordings. `label`: add and remove case numbers and
/// tags. `holds`: place and lift legal holds. Every scope but `ingest` may be limited to a team.
/// </summary>
public static class ApiKeyScopes
{
    public const string Claim = "scope";
    public const string Read = "read";
    public const string Ingest = "ingest";
    public const string Label = "label";
    public const string Holds = "holds";
    public static readonly IReadOnlyList<string> All = [Read, Ingest, Label, Holds];

    /// <summary>The scopes that reach recordings, and so are bounded by the key's team.</summary>
    public static readonly IReadOnlyList<string> OnRecordings = [Read, Label, Holds];

    /// <summary>
    /// "read, label" → ["read", "label"] in the canonical order of <see cref="All"/>; null with the problem when a scope is
    /// unknown or none is given.
    /// </summary>
    public static (IReadOnlyList<string>? Scopes, string? Problem) Parse(string? text)
    {
        var given = (text ?? "").Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => s.ToLowerInvariant()).Distinct().ToList();
        if (given.Count == 0) return (null, $"Give at least one scope: {string.Join(", ", All)} (several comma-separated, e.g. read,label).");
        var unknown = given.Where(s => !All.Contains(s)).ToList();
        if (unknown.Count > 0) return (null, $"Unknown scope '{string.Join("', '", unknown)}'. Use one or more of: {string.Join(", ", All)}.");
        return (All.Where(given.Contains).ToList(), null);
    }

    /// <summary>The scopes of a stored key ("read,label").</summary>
    public static IReadOnlyList<string> Split(string stored) => stored.Split(',', StringSplitOptions.RemoveEmptyEntries);
}
