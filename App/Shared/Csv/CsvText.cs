using System.Globalization;
using System.Text;
using NagrywanieRozmow.Features.Audit;
using NagrywanieRozmow.Features.Ingestion;

namespace NagrywanieRozmow.Shared.Csv;

/// <summary>A CSV file built in memory: RFC 4180 with CRLF, every cell through <see cref="AuditApi.CsvCell"/>.</summary>
public sealed class CsvText(params string[] header)
{
    private readonly StringBuilder text = new StringBuilder().AppendJoin(',', header).Append("\r\n");

    public CsvText Row(params string?[] cells)
    {
        text.AppendJoin(',', cells.Select(AuditApi.CsvCell)).Append("\r\n");
        return this;
    }

    public override string ToString() => text.ToString();

    public static string Iso(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Seconds(int ms) => (ms / 1000.0).ToString("0.0", CultureInfo.InvariantCulture);
}

/// <summary>
/// The CDR rows and the access history as the exports write them. The evidence package is for the company's own case file
/// and keeps everything (PBX context and channel, staff IPs, each entry's chain hash); the copy for a data subject leaves
/// out the PBX's internals and the staff's IP addresses, which are other people's data.
/// </summary>
public static class ExportCsv
{
    public static string CallRecords(IEnumerable<CallDetailRecord> rows, bool internals)
    {
        var csv = internals
            ? new CsvText("startedAt", "source", "destination", "context", "destinationChannel", "durationSeconds", "billSeconds", "disposition", "uniqueId", "linkedId")
            : new CsvText("startedAt", "source", "destination", "durationSeconds", "billSeconds", "disposition", "uniqueId");
        foreach (var c in rows)
        {
            string?[] times = [CsvText.Number(c.DurationSeconds), CsvText.Number(c.BillSeconds), c.Disposition, c.UniqueId];
            csv.Row(internals
                ? [CsvText.Iso(c.StartedAt), c.Source, c.Destination, c.Context, c.DestinationChannel, .. times, c.LinkedId]
                : [CsvText.Iso(c.StartedAt), c.Source, c.Destination, .. times]);
        }
        return csv.ToString();
    }

    public static string AccessHistory(IEnumerable<AuditEntry> entries, bool internals)
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
