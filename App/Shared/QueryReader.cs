using System.Globalization;
using Microsoft.Extensions.Primitives;

namespace NagrywanieRozmow.Shared;

/// <summary>
/// Reads a query string field by field (names in any case) and keeps every problem under the field it concerns, so a search
/// page and its API list the same messages and a person can fix them all at once.
/// </summary>
public sealed class QueryReader(IEnumerable<KeyValuePair<string, StringValues>> query)
{
    private readonly Dictionary<string, StringValues> values = query.ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string[]> errors = new();

    public IReadOnlyDictionary<string, string[]> Errors => errors;

    public bool HasFailed(string field) => errors.ContainsKey(field);

    public void Fail(string field, string message) => errors[field] = errors.TryGetValue(field, out var old) ? [.. old, message] : [message];

    /// <summary>The field's value, trimmed; null when it is missing or blank. Given twice is a problem, and the first one counts.</summary>
    public string? One(string name)
    {
        if (!values.TryGetValue(name, out var v) || StringValues.IsNullOrEmpty(v)) return null;
        if (v.Count > 1) Fail(name, $"'{name}' may be given once.");
        var text = v[0]?.Trim();
        return string.IsNullOrEmpty(text) ? null : text;
    }

    public long? Whole(string name, long min, long max)
    {
        var text = One(name);
        if (text is null) return null;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max) return n;
        Fail(name, $"'{name}' must be a whole number from {min} to {max}, not '{text}'.");
        return null;
    }

    /// <summary>Every value of a field that may be repeated or given as a comma-separated list.</summary>
    public IEnumerable<string> Many(string name) =>
        values.TryGetValue(name, out var v)
            ? v.SelectMany(s => (s ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            : [];

    /// <summary>A misspelt field would otherwise be a search without that filter, which looks like a right answer.</summary>
    public void RejectUnknown(IEnumerable<string> known, Func<string, string> message)
    {
        foreach (var unknown in values.Keys.Where(k => !known.Contains(k, StringComparer.OrdinalIgnoreCase)))
            Fail(unknown, message(unknown));
    }
}
