using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NagrywanieRozmow.Features.Ingestion;

namespace NagrywanieRozmow.Tests.Hostile;

/// <summary>Master.csv holds caller-ID names and dial strings the caller chose: quotes, commas and anything else.</summary>
public sealed class AsteriskCdrCsvProperties
{
    /// <summary>What cdr_csv would quote: any text but a line break (Master.csv is one call a line).</summary>
    private static readonly Gen<string> Text = Hostile.NastyString(30).Select(s => s.Replace("\r", "").Replace("\n", ""));

    private static readonly Gen<DateTime> Times =
        Gen.Choose(0, 60 * 60 * 24 * 365 * 30).Select(s => new DateTime(2000, 1, 1).AddSeconds(s));

    public sealed record Call(
        string Src, string Dst, string Context, string CallerId, string Channel, string DstChannel, string LastData,
        DateTime Start, DateTime? Answer, DateTime End, int Duration, int BillSec, string Disposition, string? UniqueId, string? UserField, string? LinkedId,
        int Columns);

    private static readonly Gen<Call> Calls =
        from src in Text
        from dst in Text
        from context in Text
        from clid in Text
        from channel in Text
        from dstChannel in Text
        from lastData in Text.Where(t => !IsTime(t))
        from start in Times
        from answered in ArbMap.Default.GeneratorFor<bool>()
        from end in Gen.Choose(0, 7200).Select(s => start.AddSeconds(s))
        from duration in Gen.Choose(0, int.MaxValue)
        from billsec in Gen.Choose(0, int.MaxValue)
        from disposition in Gen.Elements("ANSWERED", "NO ANSWER", "BUSY", "FAILED", "CONGESTION")
        from uniqueId in Text
        from userField in Text
        from linkedId in Text
        from columns in Gen.Elements(16, 17, 18, 21)
        select new Call(src, dst, context, clid, channel, dstChannel, lastData, start, answered ? start : null, end, duration, billsec,
            disposition, columns > 16 && uniqueId.Length > 0 ? uniqueId : null, columns > 17 && userField.Length > 0 ? userField : null,
            columns > 19 && linkedId.Length > 0 ? linkedId : null, columns);

    private static bool IsTime(string text) => DateTime.TryParseExact(text, "yyyy-MM-dd HH:mm:ss", null, System.Globalization.DateTimeStyles.None, out _);

    private static string Q(string? s) => "\"" + (s ?? "").Replace("\"", "\"\"") + "\"";
    private static string T(DateTime? t) => t is { } v ? Q(v.ToString("yyyy-MM-dd HH:mm:ss")) : Q("");

    /// <summary>build_csv_record: accountcode, src, dst, dcontext, clid, channel, dstchannel, lastapp, lastdata, start, answer, end, duration, billsec,
    /// disposition, amaflags [, uniqueid, userfield [, peeraccount, linkedid, sequence]]</summary>
    private static string CdrCsv(Call c)
    {
        var fields = new List<string>
        {
            Q(""), Q(c.Src), Q(c.Dst), Q(c.Context), Q(c.CallerId), Q(c.Channel), Q(c.DstChannel), Q("Dial"), Q(c.LastData),
            T(c.Start), T(c.Answer), T(c.End), c.Duration.ToString(), c.BillSec.ToString(), Q(c.Disposition), Q("DOCUMENTATION"),
        };
        if (c.Columns >= 17) fields.Add(Q(c.UniqueId));
        if (c.Columns >= 18) fields.Add(Q(c.UserField));
        if (c.Columns >= 21) fields.AddRange([Q(""), Q(c.LinkedId), "7"]);
        return string.Join(",", fields);
    }

    /// <summary>cdr_custom's default: clid, src, dst, dcontext, channel, dstchannel, lastapp, lastdata, start, answer, end, duration, billsec, disposition,
    /// amaflags, accountcode, uniqueid, userfield, sequence</summary>
    private static string CdrCustom(Call c) => string.Join(",",
        Q(c.CallerId), Q(c.Src), Q(c.Dst), Q(c.Context), Q(c.Channel), Q(c.DstChannel), Q("Dial"), Q(c.LastData), T(c.Start), T(c.Answer), T(c.End),
        c.Duration.ToString(), c.BillSec.ToString(), Q(c.Disposition), Q("DOCUMENTATION"), Q(""), Q(c.UniqueId), Q(c.UserField), "7");

    [Property(MaxTest = 1000, Replay = Hostile.Seed)]
    public Property A_cdr_csv_line_of_any_fields_reads_back_as_those_fields() => Prop.ForAll(Calls.ToArbitrary(), call =>
    {
        var line = CdrCsv(call);
        Assert.True(AsteriskCdrCsv.TryParseLine(line, out var r, out var error), $"{line}: {error}");
        Assert.Equal(
            (call.Src, call.Dst, call.Context, call.CallerId, call.Channel, call.DstChannel, call.Start, call.Answer, call.End, call.Duration, call.BillSec,
             call.Disposition, call.UniqueId, call.UserField, call.LinkedId),
            (r!.Source, r.Destination, r.Context, r.CallerId, r.Channel, r.DestinationChannel, r.StartLocal, r.AnswerLocal, r.EndLocal, r.DurationSeconds,
             r.BillSeconds, r.Disposition, r.UniqueId, r.UserField, r.LinkedId));
    });

    [Property(MaxTest = 1000, Replay = Hostile.Seed)]
    public Property A_cdr_custom_line_of_any_fields_reads_back_as_those_fields() => Prop.ForAll(Calls.ToArbitrary(), call =>
    {
        var line = CdrCustom(call);
        Assert.True(AsteriskCdrCsv.TryParseLine(line, out var r, out var error), $"{line}: {error}");
        Assert.Equal(
            (call.Src, call.Dst, call.Context, call.CallerId, call.Channel, call.DstChannel, call.Start, call.Answer, call.End, call.Duration, call.BillSec, call.Disposition),
            (r!.Source, r.Destination, r.Context, r.CallerId, r.Channel, r.DestinationChannel, r.StartLocal, r.AnswerLocal, r.EndLocal, r.DurationSeconds, r.BillSeconds, r.Disposition));
        Assert.Equal((call.UniqueId, call.UserField), (r.UniqueId, r.UserField));
    });

    private static readonly string[] SampleLines =
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures/freepbx-spool/cdr-csv/Master.csv")).Where(l => l.Length > 0).ToArray();

    /// <summary>Real lines with characters inserted, deleted or replaced; lines of generated calls cut short; and any text.</summary>
    private static readonly Gen<string> AnyLine = Gen.OneOf(
        Gen.Elements(SampleLines).SelectMany(Hostile.Mutated),
        Calls.SelectMany(c => Gen.Choose(0, 400).Select(n => CdrCsv(c)[..Math.Min(n, CdrCsv(c).Length)])),
        Calls.SelectMany(c => Hostile.Mutated(CdrCustom(c))),
        Hostile.NastyString(200),
        Gen.Elements(",,,,,,,,,,,,,,,,,,,,,,,,,", "\"", "\"\"\"", new string(',', 10_000), new string('"', 9_999), "a,\"b\"c,\"d", ""));

    [Property(MaxTest = 3000, Replay = Hostile.Seed)]
    public Property Any_line_reads_as_a_record_or_is_refused_with_a_reason() => Prop.ForAll(AnyLine.ToArbitrary(), line =>
    {
        var parsed = AsteriskCdrCsv.TryParseLine(line, out var record, out var error);
        Assert.Equal(parsed, record is not null);
        Assert.Equal(!parsed, error is { Length: > 0 });
        if (parsed) Assert.True(record!.DurationSeconds >= 0 && record.BillSeconds >= 0);
    });
}
