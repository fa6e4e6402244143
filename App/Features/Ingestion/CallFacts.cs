using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Features.Ingestion;

/// <summary>
/// What is known about a call before its audio is read: from a FreePBX file name, a JSON sidecar beside a spool file, or
/// the metadata part of an upload. Duration, size, format and hash are never among them: those are measured.
/// </summary>
public sealed partial record CallFacts(
    string CallId, DateTime StartedAtUtc, string From, string To, string? Extension, CallType? Type, string? Queue, string? Team,
    IReadOnlyList<string> CaseNumbers, IReadOnlyList<string> Tags, string? Did = null)
{
    public const int MaxMetadataBytes = 64 * 1024;

    public static CallFacts Of(FreePbxFileName name) => new(
        name.UniqueId, name.StartedAtUtc, name.From, name.To, name.InternalParty, name.CallType, name.Queue, null, [], [], name.Did);

    /// <summary>The metadata as JSON with the recording JSON's names (what a sidecar holds and what an upload sends).</summary>
    public string ToJson() => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["callId"] = CallId, ["startedAt"] = StartedAtUtc.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        ["callerNumber"] = From, ["calleeNumber"] = To, ["extension"] = Extension, ["type"] = Type?.ToString(), ["team"] = Team, ["did"] = Did,
        ["caseNumbers"] = CaseNumbers, ["tags"] = Tags,
    });

    /// <summary>
    /// Reads upload/sidecar metadata: <c>callId</c>, <c>startedAt</c> (ISO 8601 with a zone), <c>callerNumber</c>,
    /// <c>calleeNumber</c>, <c>extension</c>, <c>type</c> required; <c>did</c>, <c>team</c>, <c>caseNumbers</c>, <c>tags</c> optional.
    /// Every problem is named, field by field; unknown fields are ignored.
    /// </summary>
    public static CallFacts? Parse(string json, DateTime nowUtc, out IReadOnlyList<string> errors)
    {
        var problems = new List<string>();
        errors = problems;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            problems.Add($"the metadata is not valid JSON ({e.Message})");
            return null;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                problems.Add("the metadata must be a JSON object");
                return null;
            }

            var callId = Text(root, "callId", 100, required: true, problems);
            if (callId is not null && !CallIdPattern().IsMatch(callId))
                problems.Add($"callId '{callId}' may hold only letters, digits, '.', '-' and '_' (a PBX uniqueid such as 1794816902.2)");
            var caller = Text(root, "callerNumber", 80, required: true, problems);
            var callee = Text(root, "calleeNumber", 80, required: true, problems);
            var extension = Text(root, "extension", 40, required: true, problems);
            var team = Text(root, "team", 100, required: false, problems);
            var did = Text(root, "did", 80, required: false, problems);

            DateTime startedAt = default;
            if (Text(root, "startedAt", 40, required: true, problems) is { } started)
            {
                if (!DateTimeOffset.TryParse(started, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var value) || !HasZone(started))
                    problems.Add($"startedAt '{started}' is not an ISO 8601 time with a zone (e.g. 2026-11-16T08:15:02Z or 2026-11-16T09:15:02+01:00)");
                else if (value.UtcDateTime > nowUtc.AddDays(1) || value.Year < 2000)
                    problems.Add($"startedAt '{started}' is not a plausible call time");
                else startedAt = DateTime.SpecifyKind(value.UtcDateTime, DateTimeKind.Utc);
            }

            CallType? type = null;
            if (Text(root, "type", 20, required: true, problems) is { } typeText)
            {
                if (Shared.EnumNames.TryParse<CallType>(typeText, out var parsed)) type = parsed;
                else problems.Add($"type '{typeText}' is not one of {string.Join(", ", Enum.GetNames<CallType>())}");
            }

            var cases = List(root, "caseNumbers", 64, problems);
            var tags = List(root, "tags", 64, problems);
            if (problems.Count > 0) return null;
            return new CallFacts(callId!, startedAt, caller!, callee!, extension, type, type == CallType.Queue ? callee : null, team, cases, tags, did);
        }
    }

    private static bool HasZone(string text) => text.EndsWith('Z') || text.EndsWith('z') || ZonePattern().IsMatch(text);

    private static string? Text(JsonElement root, string name, int maxLength, bool required, List<string> problems)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required) problems.Add($"{name} is required");
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            problems.Add($"{name} must be a string");
            return null;
        }
        var text = value.GetString()!.Trim();
        if (text.Length == 0)
        {
            if (required) problems.Add($"{name} is empty");
            return null;
        }
        if (text.Length > maxLength) problems.Add($"{name} is longer than {maxLength} characters");
        else if (text.Any(char.IsControl)) problems.Add($"{name} contains control characters");
        else return text;
        return null;
    }

    private static IReadOnlyList<string> List(JsonElement root, string name, int maxLength, List<string> problems)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return [];
        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
        {
            problems.Add($"{name} must be an array of strings");
            return [];
        }
        var items = value.EnumerateArray().Select(v => v.GetString()!.Trim()).Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (items.Count > 20) problems.Add($"{name} holds more than 20 entries");
        foreach (var item in items.Where(i => i.Length > maxLength || i.Any(char.IsControl)))
            problems.Add($"{name}: '{(item.Length > 80 ? item[..80] + "…" : item)}' is longer than {maxLength} characters or contains control characters");
        return items;
    }

    [GeneratedRegex(@"^[A-Za-z0-9._-]+$")]
    private static partial Regex CallIdPattern();

    [GeneratedRegex(@"[+-]\d{2}:?\d{2}$")]
    private static partial Regex ZonePattern();
}
