using NagrywanieRozmow.Shared.Csv;

namespace NagrywanieRozmow.Features.Audit;

/// <summary>
/// Who listened to and downloaded recordings, as the exports write it. The evidence package keeps the staff's IP addresses
/// and each entry's chain hash; the copy for a data subject leaves them out (other people's data).
/// </summary>
public static class AccessHistoryCsv
{
    public static string Write(IEnumerable<AuditEntry> entries, bool internals)
    {
        var csv = internals
            ? new CsvText("at", "recordingId", "who", "ip", "action", "outcome", "reason", "hash")
            : new CsvText("at", "recordingId", "who", "action", "outcome", "reason");
        foreach (var a in entries)
        {
            var id = a.RecordingId is { } r ? CsvText.Number(r) : null;
            csv.Row(internals
                ? [CsvText.Iso(a.At), id, a.Actor, a.ActorIp, a.Action, a.Outcome, a.Reason, a.Hash]
                : [CsvText.Iso(a.At), id, a.Actor, a.Action, a.Outcome, a.Reason]);
        }
        return csv.ToString();
    }
}
