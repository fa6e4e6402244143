namespace NagrywanieRozmow.Features.Recordings;

/// <summary>When a call's recording is due for deletion under the rules of the day; null when no rule deletes it.</summary>
public delegate DateTime? RetentionDate(string? team, CallType type, DateTime startedAtUtc);

/// <summary>
/// The retention rules as a recording's JSON needs them (<see cref="RecordingJson.RetainUntil"/>). The Retention feature
/// owns the rules and answers; a recording only shows the date.
/// </summary>
public interface IRetentionSchedule
{
    Task<RetentionDate> CurrentAsync(CancellationToken ct = default);
}
