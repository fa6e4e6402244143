using NagrywanieRozmow.Shared.Csv;

namespace NagrywanieRozmow.Features.Ingestion;

/// <summary>
/// The CDR rows as the exports write them. The evidence package is for the company's own case file and keeps the PBX's
/// context and channel; the copy for a data subject leaves out the PBX's internals.
/// </summary>
public static class CallRecordsCsv
{
    public static string Write(IEnumerable<CallDetailRecord> rows, bool internals)
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
}
