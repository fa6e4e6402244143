using NagrywanieRozmow.Features.Calls;
using NagrywanieRozmow.Features.Ingestion;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Tests.Features.Calls;

public sealed class CallBuilderTests
{
    private static readonly DateTime T0 = new(2026, 11, 14, 9, 0, 0, DateTimeKind.Utc);
    private static readonly Dictionary<string, DirectoryEntry> People = new()
    {
        ["301"] = new DirectoryEntry { Extension = "301", DisplayName = "Anna Kowalska", Team = "Reklamacje" },
        ["302"] = new DirectoryEntry { Extension = "302", DisplayName = "Piotr Nowak", Team = "Sprzedaż" },
    };
    private static long ids;

    public static CallDetailRecord Row(string linkedId, string uniqueId, int atSecond, string src, string dst, string context, string dstChannel,
        string disposition, int duration, int billsec) => new()
    {
        Id = Interlocked.Increment(ref ids), LinkedId = linkedId, UniqueId = uniqueId, StartedAt = T0.AddSeconds(atSecond), Source = src, Destination = dst,
        Context = context, DestinationChannel = dstChannel, Disposition = disposition, DurationSeconds = duration, BillSeconds = billsec,
    };

    private static CallSummary Fold(string linkedId, params CallDetailRecord[] rows)
    {
        var call = new CallSummary { LinkedId = linkedId, CallerNumber = "", CallerDigits = "", CalleeNumber = "", CalleeDigits = "" };
        CallBuilder.Fold(call, rows, InternalNumbers.Default, People, TestData.Numbers.Normalize);
        return call;
    }

    [Fact]
    public void An_incoming_call_answered_by_a_phone_names_the_person_the_DID_and_splits_ring_from_talk()
    {
        var call = Fold("1.1", Row("1.1", "1.1", 0, "601234567", "221234500", "from-trunk", "PJSIP/301-00000012", "ANSWERED", 70, 58));
        Assert.Equal(CallType.Incoming, call.Type);
        Assert.Equal(CallDisposition.Answered, call.Disposition);
        Assert.Equal(("301", "Anna Kowalska", "Reklamacje"), (call.Extension, call.UserName, call.Team));
        Assert.Equal("221234500", call.Did);
        Assert.Equal("48601234567", call.CallerDigits);
        Assert.Equal((12, 58), (call.RingSeconds, call.TalkSeconds));
    }

    [Fact]
    public void A_queue_call_nobody_took_is_not_answered_even_though_the_queue_answered_the_line()
    {
        var rows = new[]
        {
            Row("2.1", "2.1", 0, "601234567", "400", "ext-queues", "", "ANSWERED", 95, 90),
            Row("2.1", "2.2", 3, "601234567", "301", "from-queue", "Local/301@from-queue-00000001;1", "NO ANSWER", 30, 0),
            Row("2.1", "2.3", 3, "601234567", "302", "from-queue", "Local/302@from-queue-00000002;1", "NO ANSWER", 30, 0),
        };
        var call = Fold("2.1", rows);
        Assert.Equal(CallType.Queue, call.Type);
        Assert.Equal(CallDisposition.NoAnswer, call.Disposition);
        Assert.Equal("400", call.Queue);
        Assert.Null(call.Extension);
        Assert.Equal((95, 0), (call.RingSeconds, call.TalkSeconds));
        Assert.Equal(3, call.Legs);
    }

    [Fact]
    public void A_ring_group_gives_the_same_call_whichever_order_its_legs_come_in()
    {
        var rows = new[]
        {
            Row("3.1", "3.1", 0, "601234567", "600", "from-trunk", "", "NO ANSWER", 20, 0),
            Row("3.1", "3.2", 1, "601234567", "301", "ext-local", "SIP/301-0000002a", "NO ANSWER", 15, 0),
            Row("3.1", "3.3", 1, "601234567", "302", "ext-local", "SIP/302-0000002b", "ANSWERED", 100, 88),
        };
        var forward = Fold("3.1", rows);
        var backward = Fold("3.1", rows.Reverse().ToArray());
        Assert.Equal(CallDisposition.Answered, forward.Disposition);
        Assert.Equal("302", forward.Extension);
        Assert.Equal((forward.Extension, forward.Disposition, forward.RingSeconds, forward.TalkSeconds, forward.CallerNumber),
            (backward.Extension, backward.Disposition, backward.RingSeconds, backward.TalkSeconds, backward.CallerNumber));
        Assert.Equal((13, 88), (forward.RingSeconds, forward.TalkSeconds));
    }

    [Theory]
    [InlineData("BUSY", CallDisposition.Busy)]
    [InlineData("NO ANSWER", CallDisposition.NoAnswer)]
    [InlineData("FAILED", CallDisposition.Failed)]
    [InlineData("CONGESTION", CallDisposition.Failed)]
    public void An_unanswered_call_says_how_it_ended(string disposition, CallDisposition expected)
    {
        var call = Fold("4.1", Row("4.1", "4.1", 0, "601234567", "301", "from-trunk", "PJSIP/301-00000012", disposition, 25, 0));
        Assert.Equal(expected, call.Disposition);
        Assert.Null(call.Extension);
        Assert.Equal((25, 0), (call.RingSeconds, call.TalkSeconds));
    }

    [Fact]
    public void An_outgoing_call_names_the_phone_that_dialled()
    {
        var call = Fold("5.1", Row("5.1", "5.1", 0, "302", "0601234567", "from-internal", "SIP/trunk-000000aa", "ANSWERED", 40, 31));
        Assert.Equal(CallType.Outgoing, call.Type);
        Assert.Equal(CallDisposition.Answered, call.Disposition);
        Assert.Equal(("302", "Piotr Nowak", "Sprzedaż"), (call.Extension, call.UserName, call.Team));
        Assert.Null(call.Did);
        Assert.Equal((9, 31), (call.RingSeconds, call.TalkSeconds));
    }

    [Fact]
    public void A_transfer_counts_the_talk_of_both_answered_legs_and_the_first_answerer_took_the_call()
    {
        var call = Fold("6.1",
            Row("6.1", "6.1", 0, "601234567", "301", "from-trunk", "PJSIP/301-00000012", "ANSWERED", 65, 60),
            Row("6.1", "6.2", 65, "301", "302", "from-internal", "PJSIP/302-00000013", "ANSWERED", 125, 120));
        Assert.Equal("301", call.Extension);
        Assert.Equal(180, call.TalkSeconds);
        Assert.Equal(5, call.RingSeconds);
    }
}
