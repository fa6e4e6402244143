using System.Linq.Expressions;
using System.Text.Json.Serialization;

namespace NagrywanieRozmow.Features.Recordings;

/// <summary>A recording as integrations see it (CONTRACTS.md names). Times are UTC-kind, so they serialise with "Z".</summary>
public sealed record RecordingJson(
    long Id, string CallId, DateTime StartedAt, double DurationSeconds,
    string CallerNumber, string CalleeNumber, string? Did, string? Extension, string? UserName, string? Team,
    [property: JsonConverter(typeof(JsonStringEnumConverter<CallType>))] CallType Type,
    long SizeBytes, string Format, int Channels, string Sha256, IReadOnlyList<string> CaseNumbers, IReadOnlyList<string> Tags,
    bool LegalHold, DateTime? RetainUntil)
{
    public static readonly Expression<Func<Recording, RecordingJson>> FromEntity = r => new RecordingJson(
        r.Id, r.CallId, r.StartedAt, r.DurationMs / 1000.0, r.CallerNumber, r.CalleeNumber, r.Did, r.Extension, r.UserName, r.Team, r.Type,
        r.SizeBytes, r.Format, r.Channels, r.Sha256,
        r.Cases.OrderBy(c => c.CaseNumber).Select(c => c.CaseNumber).ToList(),
        r.Tags.OrderBy(t => t.Tag).Select(t => t.Tag).ToList(),
        r.LegalHold, null);

    /// <summary>Fills <see cref="RetainUntil"/> from the retention rules: they are the rules of the day, so it is not stored.</summary>
    public RecordingJson WithRetention(RetentionDate retainUntil) => this with { RetainUntil = retainUntil(Team, Type, StartedAt) };
}
