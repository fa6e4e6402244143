using System.Text.Json.Serialization;
using NagrywanieRozmow.Features.Ingestion;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Features.Calls;

/// <summary>A call as integrations see it (CONTRACTS.md names). <see cref="Legs"/> only in <c>GET /api/v1/calls/{linkedid}</c>.</summary>
public sealed record CallJson(
    string Linkedid, DateTime StartedAt, string CallerNumber, string CalleeNumber, string? Did, string? Extension, string? UserName, string? Team,
    [property: JsonConverter(typeof(JsonStringEnumConverter<CallType>))] CallType Type,
    [property: JsonConverter(typeof(JsonStringEnumConverter<CallDisposition>))] CallDisposition Disposition,
    int RingSeconds, int TalkSeconds, long? RecordingId,
    [property: JsonConverter(typeof(JsonStringEnumConverter<NoRecordingReason>))] NoRecordingReason? NoRecordingReason,
    string? Queue, DateTime? DeletedAt, string? DeletedRule,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<CallLegJson>? Legs)
{
    public static CallJson From(CallRow c, IReadOnlyList<CallLegJson>? legs = null) => new(
        c.LinkedId, DateTime.SpecifyKind(c.StartedAt, DateTimeKind.Utc), c.CallerNumber, c.CalleeNumber, c.Did, c.Extension, c.UserName, c.Team, c.Type,
        c.Disposition, c.RingSeconds, c.TalkSeconds, c.RecordingId, c.NoRecordingReason, c.Queue,
        c.DeletedAt is { } d ? DateTime.SpecifyKind(d, DateTimeKind.Utc) : null, c.DeletedRule, legs);
}

/// <summary>One CDR row of a call, as Asterisk wrote it (times in UTC).</summary>
public sealed record CallLegJson(
    string? Uniqueid, DateTime StartedAt, string Source, string Destination, string Context, string DestinationChannel, string Disposition,
    int DurationSeconds, int BillSeconds, string? AnsweredBy)
{
    public static CallLegJson From(CallDetailRecord c) => new(
        c.UniqueId, DateTime.SpecifyKind(c.StartedAt, DateTimeKind.Utc), c.Source, c.Destination, c.Context, c.DestinationChannel, c.Disposition,
        c.DurationSeconds, c.BillSeconds, c.Disposition == CdrLink.Answered ? CdrLink.AnsweringPhone(c.DestinationChannel) : null);
}
