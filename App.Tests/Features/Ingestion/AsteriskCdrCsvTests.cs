using NagrywanieRozmow.Features.Ingestion;

namespace NagrywanieRozmow.Tests.Features.Ingestion;

public sealed class AsteriskCdrCsvTests
{
    [Fact]
    public void Every_line_of_the_sample_Master_csv_parses_with_its_uniqueid()
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures/freepbx-spool/cdr-csv/Master.csv"));
        Assert.Equal(13, lines.Length);
        var records = lines.Select(l => Assert.IsType<bool>(AsteriskCdrCsv.TryParseLine(l, out var r, out var e)) ? r! : throw new Xunit.Sdk.XunitException(e)).ToList();

        var first = records[0];
        Assert.Equal(("48601234567", "221234500", "from-trunk", "\"48601234567\" <48601234567>", "PJSIP/201-00000003"),
            (first.Source, first.Destination, first.Context, first.CallerId, first.DestinationChannel));
        Assert.Equal(new DateTime(2026, 11, 16, 9, 15, 2), first.StartLocal);
        Assert.Equal((42, 42, "ANSWERED", "1794816902.3"), (first.DurationSeconds, first.BillSeconds, first.Disposition, first.UniqueId));
        Assert.Equal("NO ANSWER", records.Single(r => r.UniqueId == "1795190400.13").Disposition);
        Assert.Equal("ext-queues", records.Single(r => r.UniqueId == "1794900612.6").Context);
    }

    [Fact]
    public void The_cdr_custom_order_starting_with_clid_is_recognised()
    {
        const string line = "\"\"\"Jan\"\" <48601234567>\",\"48601234567\",\"201\",\"ivr-3\",\"PJSIP/trunk-0001\",\"PJSIP/201-0002\",\"Dial\",\"PJSIP/201\",\"2026-11-16 09:15:02\"," +
            "\"\",\"2026-11-16 09:15:30\",28,0,\"NO ANSWER\",\"DOCUMENTATION\",\"\",\"1794816902.2\",\"\",\"7\"";
        Assert.True(AsteriskCdrCsv.TryParseLine(line, out var r, out var error), error);
        Assert.Equal(("\"Jan\" <48601234567>", "48601234567", "201", "ivr-3"), (r!.CallerId, r.Source, r.Destination, r.Context));
        Assert.Null(r.AnswerLocal);
        Assert.Equal(("1794816902.2", 28, "NO ANSWER"), (r.UniqueId, r.DurationSeconds, r.Disposition));
    }

    [Fact]
    public void New_cdr_columns_bring_the_linkedid()
    {
        const string line = "\"\",\"48601234567\",\"400\",\"ext-queues\",\"\"\"x\"\" <1>\",\"a\",\"b\",\"Queue\",\"400\",\"2026-11-16 09:15:02\",\"2026-11-16 09:15:05\",\"2026-11-16 09:16:02\"," +
            "60,57,\"ANSWERED\",\"DOCUMENTATION\",\"1794816903.9\",\"\",\"\",\"1794816902.2\",12";
        Assert.True(AsteriskCdrCsv.TryParseLine(line, out var r, out var error), error);
        Assert.Equal(("1794816903.9", "1794816902.2"), (r!.UniqueId, r.LinkedId));
    }

    [Fact]
    public void A_plain_cdr_without_uniqueid_still_parses()
    {
        const string line = "\"\",\"201\",\"202\",\"from-internal\",\"\"\"201\"\" <201>\",\"PJSIP/201-1\",\"PJSIP/202-1\",\"Dial\",\"PJSIP/202\",\"2026-11-16 09:15:02\",\"2026-11-16 09:15:03\"," +
            "\"2026-11-16 09:16:02\",60,59,\"ANSWERED\",\"DOCUMENTATION\"";
        Assert.True(AsteriskCdrCsv.TryParseLine(line, out var r, out _));
        Assert.Null(r!.UniqueId);
    }

    [Theory]
    [InlineData("\"\",\"201\",\"202\"", "3 columns")]
    [InlineData("\"\",\"201\",\"202\",\"from-internal\",\"c\",\"a\",\"b\",\"Dial\",\"x\",\"2026-11-16 09:15:02\",\"2026-13-16 09:15:03\",\"2026-11-16 09:16:02\",60,59," +
        "\"ANSWERED\",\"DOCUMENTATION\"", "answer time")]
    [InlineData("\"\",\"201\",\"202\",\"from-internal\",\"c\",\"a\",\"b\",\"Dial\",\"x\",\"2026-11-16 09:15:02\",\"\",\"2026-11-16 09:16:02\",sixty,59,\"ANSWERED\",\"DOCUMENTATION\"", "whole number")]
    [InlineData("\"\",\"201,202", "inside a quoted field")]
    public void Broken_lines_are_refused_with_the_reason(string line, string reason)
    {
        Assert.False(AsteriskCdrCsv.TryParseLine(line, out _, out var error));
        Assert.Contains(reason, error);
    }
}
