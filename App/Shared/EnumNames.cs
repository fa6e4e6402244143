namespace NagrywanieRozmow.Shared;

/// <summary>Reads an enum value from text that people and PBXs write: by its name only.</summary>
public static class EnumNames
{
    /// <summary>
    /// One of <typeparamref name="T"/>'s names, in any case and with spaces around it, and nothing else: Enum.TryParse
    /// also takes numbers ("1", "+1", " -0", "99" with IsDefined false) and comma lists whose names it ORs together
    /// ("Outgoing,Internal" is Queue).
    /// </summary>
    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        var trimmed = text?.Trim();
        foreach (var name in Enum.GetNames<T>())
        {
            if (!string.Equals(name, trimmed, StringComparison.OrdinalIgnoreCase)) continue;
            value = Enum.Parse<T>(name);
            return true;
        }
        value = default;
        return false;
    }
}
