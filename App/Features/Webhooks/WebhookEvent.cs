using System.Text.Json;
using System.Text.Json.Nodes;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Features.Webhooks;

/// <summary>One event about one recording, read from an audit entry, with the facts the entry adds (case, hold, reason, cause).</summary>
public sealed record WebhookEvent(AuditEntry Entry, string Type, long RecordingId, IReadOnlyDictionary<string, object?> Facts)
{
    /// <summary>The audit actions that make events; others are passed over.</summary>
    public static readonly IReadOnlyList<string> Actions =
    [
        AuditActions.Ingest, AuditActions.CaseAdded, AuditActions.CaseRemoved, AuditActions.HoldPlaced, AuditActions.HoldLifted,
        AuditActions.HoldReleased, AuditActions.RecordingDeleted,
    ];

    /// <summary>The events of one entry: one per recording it names (a hold over three recordings is three events).</summary>
    public static IEnumerable<WebhookEvent> From(AuditEntry e)
    {
        if (e.Outcome != AuditOutcomes.Success) yield break;
        using var details = Parse(e.Details);
        var root = details?.RootElement;
        IReadOnlyList<WebhookEvent> events = e.Action switch
        {
            AuditActions.Ingest => One(e, WebhookEvents.RecordingCreated, new()),
            AuditActions.CaseAdded => One(e, WebhookEvents.CaseAdded, new() { ["case"] = e.DetailText("value") }),
            AuditActions.CaseRemoved => One(e, WebhookEvents.CaseRemoved, new() { ["case"] = e.DetailText("value") }),
            AuditActions.HoldPlaced or AuditActions.HoldLifted => Each(e, e.Action == AuditActions.HoldPlaced ? WebhookEvents.HoldPlaced : WebhookEvents.HoldLifted,
                new() { ["holdId"] = Number(root, "hold"), ["caseNumber"] = Text(root, "caseNumber"), ["reason"] = e.Reason }),
            AuditActions.HoldReleased => One(e, WebhookEvents.HoldLifted, new() { ["holdIds"] = Numbers(root, "holds"), ["reason"] = e.Reason }),
            AuditActions.RecordingDeleted => Each(e, WebhookEvents.RecordingDeleted, new() { ["cause"] = Cause(Text(root, "cause")) }),
            _ => [],
        };
        foreach (var ev in events) yield return ev;
    }

    private static List<WebhookEvent> One(AuditEntry e, string type, Dictionary<string, object?> facts) =>
        e.RecordingId is { } id ? [new WebhookEvent(e, type, id, facts)] : [];

    /// <summary>An event for every recording the entry names (<see cref="AuditEntry.RecordingIds"/>).</summary>
    private static List<WebhookEvent> Each(AuditEntry e, string type, Dictionary<string, object?> facts) =>
        e.RecordingIds().Select(id => new WebhookEvent(e, type, id, facts)).ToList();

    /// <summary>The deletion's cause as receivers read it: retention, manual or subject_request.</summary>
    private static string? Cause(string? cause) => cause switch
    {
        null => null,
        nameof(ErasureCause.SubjectRequest) => "subject_request",
        _ => cause.ToLowerInvariant(),
    };

    private static JsonDocument? Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try { return JsonDocument.Parse(json); }
        catch (JsonException) { return null; }
    }

    private static string? Text(JsonElement? root, string name) =>
        root is { ValueKind: JsonValueKind.Object } r && r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long? Number(JsonElement? root, string name) =>
        root is { ValueKind: JsonValueKind.Object } r && r.TryGetProperty(name, out var v) && v.TryGetInt64(out var n) ? n : null;

    private static List<long> Numbers(JsonElement? root, string name) =>
        root is { ValueKind: JsonValueKind.Object } r && r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.Number).Select(x => x.GetInt64()).Distinct().ToList()
            : [];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// The body receivers get (Standard Webhooks shape: type, timestamp, data): the recording's metadata and permalink as it
    /// stands, never audio; of a deleted recording only what its tombstone keeps.
    /// </summary>
    public string Payload(Recording? recording, RecordingTombstone? tombstone, PublicUrlOptions links)
    {
        var data = new JsonObject { ["recordingId"] = RecordingId };
        if (recording is not null)
        {
            data["callId"] = recording.CallId;
            data["startedAt"] = Utc(recording.StartedAt);
            data["callerNumber"] = recording.CallerNumber;
            data["calleeNumber"] = recording.CalleeNumber;
            data["did"] = recording.Did;
            data["extension"] = recording.Extension;
            data["team"] = recording.Team;
            data["type"] = recording.Type.ToString();
            data["durationSeconds"] = recording.DurationMs / 1000.0;
            data["caseNumbers"] = new JsonArray([.. recording.Cases.Select(c => c.CaseNumber).Order(StringComparer.Ordinal).Select(c => (JsonNode?)c)]);
            data["permalink"] = links.RecordingLink(RecordingId);
        }
        else if (tombstone is not null)
        {
            data["callId"] = tombstone.CallId;
            data["startedAt"] = Utc(tombstone.StartedAt);
            data["durationSeconds"] = tombstone.DurationMs / 1000.0;
            data["team"] = tombstone.Team;
            data["deletedAt"] = Utc(tombstone.DeletedAt);
        }
        foreach (var (name, value) in Facts) data[name] = JsonSerializer.SerializeToNode(value, Json);
        var body = new JsonObject { ["type"] = Type, ["timestamp"] = Utc(Entry.At), ["data"] = data };
        return body.ToJsonString(Json);
    }

    private static string Utc(DateTime at) => DateTime.SpecifyKind(at, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
