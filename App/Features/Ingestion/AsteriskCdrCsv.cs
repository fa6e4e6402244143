using System.Globalization;
using System.Text;

namespace NagrywanieRozmow.Features.Ingestion;

/// <summary>One call detail record as Asterisk's cdr_csv or cdr_custom writes it to Master.csv.</summary>
public sealed record CdrRecord(
    string Source, string Destination, string Context, string CallerId, string Channel, string DestinationChannel,
    DateTime StartLocal, DateTime? AnswerLocal, DateTime EndLocal, int DurationSeconds, int BillSeconds, string Disposition,
    string? UniqueId, string? LinkedId, string? UserField);

/// <summary>
/// Reads Master.csv lines. Two column orders exist (cdr_csv starts with accountcode, cdr_custom's default with clid) and
/// optional trailing columns (uniqueid, userfield, then peeraccount, linkedid, sequence); the order is told apart by where
/// the start time stands.
/// </summary>
public static class AsteriskCdrCsv
{
    private const string TimeFormat = "yyyy-MM-dd HH:mm:ss";

    public static bool TryParseLine(string line, out CdrRecord? record, out string? error)
    {
        record = null;
        if (!TrySplit(line, out var f, out error)) return false;

        // cdr_custom default: clid, src, dst, dcontext, channel, dstchannel, lastapp, lastdata, start(8), answer, end, duration,
        // billsec, disposition, amaflags, accountcode, uniqueid, userfield, sequence. Tested first: its answer time stands
        // where cdr_csv has its start, so an answered call would pass for cdr_csv; cdr_csv's column 8 is lastdata, never a time.
        if (f.Count >= 15 && IsTime(f[8]))
            return Build(f, src: 1, dst: 2, ctx: 3, clid: 0, chan: 4, dchan: 5, start: 8,
                uniqueId: f.Count > 16 ? 16 : -1, userField: f.Count > 17 ? 17 : -1, linkedId: -1, out record, out error);

        // cdr_csv: accountcode, src, dst, dcontext, clid, channel, dstchannel, lastapp, lastdata, start(9), answer, end, duration,
        // billsec, disposition, amaflags [, uniqueid, userfield [, peeraccount, linkedid, sequence]]
        if (f.Count >= 16 && IsTime(f[9]))
            return Build(f, src: 1, dst: 2, ctx: 3, clid: 4, chan: 5, dchan: 6, start: 9,
                uniqueId: f.Count > 16 ? 16 : -1, userField: f.Count > 17 ? 17 : -1, linkedId: f.Count > 19 ? 19 : -1, out record, out error);

        error = $"a CDR line has {f.Count} columns and no start time where cdr_csv or cdr_custom put it.";
        return false;
    }

    private static bool Build(List<string> f, int src, int dst, int ctx, int clid, int chan, int dchan, int start,
        int uniqueId, int userField, int linkedId, out CdrRecord? record, out string? error)
    {
        record = null;
        var answerText = f[start + 1];
        DateTime? answer = null;
        if (answerText.Length > 0)
        {
            if (!IsTime(answerText, out var a)) { error = $"the answer time '{answerText}' is not {TimeFormat}."; return false; }
            answer = a;
        }
        if (!IsTime(f[start + 2], out var end)) { error = $"the end time '{f[start + 2]}' is not {TimeFormat}."; return false; }
        if (!int.TryParse(f[start + 3], NumberStyles.None, CultureInfo.InvariantCulture, out var duration)
            || !int.TryParse(f[start + 4], NumberStyles.None, CultureInfo.InvariantCulture, out var billsec))
        {
            error = $"duration '{f[start + 3]}' or billsec '{f[start + 4]}' is not a whole number of seconds.";
            return false;
        }
        IsTime(f[start], out var startTime);
        record = new CdrRecord(f[src], f[dst], f[ctx], f[clid], f[chan], f[dchan], startTime, answer, end, duration, billsec,
            f[start + 5], Optional(f, uniqueId), Optional(f, linkedId), Optional(f, userField));
        error = null;
        return true;
    }

    private static string? Optional(List<string> f, int index) => index >= 0 && index < f.Count && f[index].Length > 0 ? f[index] : null;

    private static bool IsTime(string text) => IsTime(text, out _);

    private static bool IsTime(string text, out DateTime value) =>
        DateTime.TryParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);

    /// <summary>CSV as Asterisk writes it: strings in double quotes with "" inside, numbers bare.</summary>
    internal static bool TrySplit(string line, out List<string> fields, out string? error)
    {
        fields = [];
        var current = new StringBuilder();
        var quoted = false;
        var wasQuoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { current.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else current.Append(c);
            }
            else if (c == '"' && current.Length == 0 && !wasQuoted) { quoted = true; wasQuoted = true; }
            else if (c == ',') { fields.Add(current.ToString()); current.Clear(); wasQuoted = false; }
            else if (c is '\r' or '\n') { }
            else current.Append(c);
        }
        if (quoted)
        {
            error = "a CDR line ends inside a quoted field.";
            return false;
        }
        fields.Add(current.ToString());
        error = null;
        return true;
    }
}
