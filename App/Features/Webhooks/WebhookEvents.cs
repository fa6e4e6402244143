namespace NagrywanieRozmow.Features.Webhooks;

/// <summary>The events an endpoint may subscribe to, as receivers see them in <c>type</c>.</summary>
public static class WebhookEvents
{
    public const string RecordingCreated = "recording.created";

    /// <summary>By retention, by hand (approved deletion) or by a data subject's erasure; <c>cause</c> says which.</summary>
    public const string RecordingDeleted = "recording.deleted";
    public const string CaseAdded = "recording.case_added";
    public const string CaseRemoved = "recording.case_removed";
    public const string HoldPlaced = "hold.placed";

    /// <summary>A hold lifted, or the recording taken out of its holds.</summary>
    public const string HoldLifted = "hold.lifted";

    public static readonly IReadOnlyList<string> All = [RecordingCreated, RecordingDeleted, CaseAdded, CaseRemoved, HoldPlaced, HoldLifted];

    /// <summary>"a, b" into known events; throws <see cref="ArgumentException"/> naming an unknown one.</summary>
    public static IReadOnlyList<string> Parse(IEnumerable<string> names)
    {
        var events = names.Select(n => n.Trim()).Where(n => n.Length > 0).Distinct().ToList();
        if (events.Count == 0) throw new ArgumentException($"Choose at least one event: {string.Join(", ", All)}.");
        if (events.FirstOrDefault(e => !All.Contains(e)) is { } unknown)
            throw new ArgumentException($"Unknown event '{unknown}'. Use one or more of: {string.Join(", ", All)}.");
        return All.Where(events.Contains).ToList();
    }
}
