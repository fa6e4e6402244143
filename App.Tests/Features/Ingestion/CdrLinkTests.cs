using NagrywanieRozmow.Features.Ingestion;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Tests.Features.Ingestion;

/// <summary>What a recording takes from its call's CDR rows: the rules, on rows laid out as Asterisk writes them.</summary>
public sealed class CdrLinkTests
{
    private static readonly TimeZoneInfo Warsaw = TimeZoneInfo.FindSystemTimeZoneById("Europe/Warsaw");
    private static readonly InternalNumbers Internals = InternalNumbers.Default;

    private static readonly Dictionary<string, DirectoryEntry> People = new()
    {
        ["204"] = new DirectoryEntry { Extension = "204", DisplayName = "Piotr Zieliński", Team = "Sprzedaż" },
        ["301"] = new DirectoryEntry { Extension = "301", DisplayName = "Ewa Lis", Team = "Obsługa klienta" },
    };

    /// <summary>A recording as ingestion builds it from a FreePBX name, before any CDR row.</summary>
    private static Recording FromName(string fileName)
    {
        Assert.True(FreePbxFileName.TryParse(fileName, Warsaw, out var name, out var error), error);
        var facts = CallFacts.Of(name!);
        var recording = new Recording
        {
            CallId = facts.CallId, StartedAt = facts.StartedAtUtc, CallerNumber = facts.From, CallerDigits = TestData.Numbers.Normalize(facts.From),
            CalleeNumber = facts.To, CalleeDigits = TestData.Numbers.Normalize(facts.To), Did = facts.Did, Extension = facts.Extension,
            Type = facts.Type ?? CallType.Incoming, TypeIsGuess = facts.Type is null, Queue = facts.Queue,
            Format = "wav", Sha256 = new string('0', 64), StorageKey = "k", OriginalFileName = fileName,
        };
        CdrLink.Apply(recording, [], Internals, People, TestData.Numbers);
        return recording;
    }

    private static long ids;

    private static CallDetailRecord Row(string uniqueId, string src, string dst, string context, string dstChannel, string disposition,
        string? linkedId = null, int second = 0) => new()
    {
        Id = Interlocked.Increment(ref ids), UniqueId = uniqueId, LinkedId = linkedId, Source = src, Destination = dst, Context = context,
        DestinationChannel = dstChannel, Disposition = disposition, StartedAt = new DateTime(2026, 11, 17, 11, 15, second, DateTimeKind.Utc),
    };

    [Fact]
    public void An_incoming_call_through_a_DID_names_no_phone_until_the_CDR_says_then_the_phone_that_answered()
    {
        var recording = FromName("in-221234500-48601234567-20261116-091502-1794816902.3.wav");
        Assert.Equal((CallType.Incoming, (string?)null, "221234500"), (recording.Type, recording.Extension, recording.Did));
        Assert.True(CdrLink.WaitsForCdr(recording));

        CdrLink.Apply(recording, [Row("1794816902.3", "48601234567", "221234500", "from-trunk", "PJSIP/201-00000003", "ANSWERED")], Internals, People, TestData.Numbers);
        Assert.Equal(("201", "ANSWERED", CallType.Incoming), (recording.Extension, recording.Disposition, recording.Type));
        Assert.False(CdrLink.WaitsForCdr(recording));
    }

    public static TheoryData<string[]> RingGroupOrders() => new() { new[] { "first", "second" }, new[] { "second", "first" } };

    [Theory]
    [MemberData(nameof(RingGroupOrders))]
    public void A_ring_group_that_rang_several_phones_is_given_to_the_one_that_answered_whichever_row_came_first(string[] order)
    {
        var rows = new Dictionary<string, CallDetailRecord>
        {
            ["first"] = Row("1794914100.8", "48221112233", "600", "ext-group", "PJSIP/201-00000011", "NO ANSWER", "1794914100.7"),
            ["second"] = Row("1794914100.9", "48221112233", "600", "ext-group", "PJSIP/204-00000012", "ANSWERED", "1794914100.7"),
        };
        var recording = FromName("rg-600-48221112233-20261117-121500-1794914100.7.mp3");
        Assert.Equal(((string?)null, "600"), (recording.Extension, recording.Queue));

        var seen = new List<CallDetailRecord>();
        foreach (var key in order)
        {
            seen.Add(rows[key]);
            CdrLink.Apply(recording, seen.ToList(), Internals, People, TestData.Numbers);
        }
        Assert.Equal(("204", "Piotr Zieliński", "Sprzedaż", "ANSWERED", CallType.Incoming),
            (recording.Extension, recording.UserName, recording.Team, recording.Disposition, recording.Type));
    }

    [Theory]
    [InlineData("SIP/301-0000002a")]
    [InlineData("PJSIP/301-00000012")]
    [InlineData("Local/301@from-queue-000001;1")]
    [InlineData("IAX2/301-7")]
    public void A_queue_call_is_given_to_the_agent_its_answered_row_names_in_any_channel_technology(string channel)
    {
        var recording = FromName("q-400-48698765432-20261117-083012-1794900612.6.WAV");
        Assert.Equal((CallType.Queue, (string?)null, "400"), (recording.Type, recording.Extension, recording.Queue));
        // Asterisk's queue: the caller's own row (no agent yet), then the agent's leg, linked by the caller's uniqueid.
        CdrLink.Apply(recording, [
            Row("1794900612.6", "48698765432", "400", "ext-queues", "", "ANSWERED", "1794900612.6"),
            Row("1794900613.7", "48698765432", "400", "from-queue", channel, "ANSWERED", "1794900612.6", second: 3),
        ], Internals, People, TestData.Numbers);
        Assert.Equal(("301", "Ewa Lis", CallType.Queue), (recording.Extension, recording.UserName, recording.Type));
    }

    [Fact]
    public void An_answered_row_naming_a_trunk_or_no_peer_names_nobody()
    {
        var recording = FromName("in-221234500-48601234567-20261116-091502-1794816902.3.wav");
        CdrLink.Apply(recording, [Row("1794816902.3", "48601234567", "221234500", "from-trunk", "PJSIP/operator-trunk-000001", "ANSWERED")], Internals, People, TestData.Numbers);
        Assert.Null(recording.Extension);
        CdrLink.Apply(recording, [Row("1794816902.3", "48601234567", "221234500", "from-trunk", "", "ANSWERED")], Internals, People, TestData.Numbers);
        Assert.Null(recording.Extension);
    }

    [Fact]
    public void An_external_call_is_incoming_to_the_extension_it_names()
    {
        var recording = FromName("external-203-48601234567-20261118-150533-1795010733.10.wav");
        Assert.Equal((CallType.Incoming, "203", "48601234567", "203"), (recording.Type, recording.Extension, recording.CallerNumber, recording.CalleeNumber));
        Assert.False(recording.TypeIsGuess);
    }

    [Theory]
    [InlineData("exten-202-201-20131116-091502-1384589702.5.wav", CallType.Internal, "201")]
    [InlineData("ondemand-202-48605550123-20261119-093000-1795077000.11.wav", CallType.Incoming, "202")]
    [InlineData("generic-48601234567-203-20261119-093000-1795077000.12.wav", CallType.Outgoing, "203")]
    public void Without_a_CDR_row_the_direction_comes_from_the_numbers_and_stays_open_to_the_CDR(string file, CallType type, string extension)
    {
        var recording = FromName(file);
        Assert.Equal((type, extension, true), (recording.Type, recording.Extension, recording.TypeIsGuess));
    }

    [Fact]
    public void The_CDR_context_overrules_a_direction_the_numbers_suggested()
    {
        var recording = FromName("ondemand-202-201-20261119-093000-1795077000.11.wav");
        Assert.Equal(CallType.Internal, recording.Type);
        CdrLink.Apply(recording, [Row("1795077000.11", "201", "202", "ivr-main", "PJSIP/202-1", "ANSWERED")], Internals, People, TestData.Numbers);
        Assert.Equal((CallType.Ivr, false), (recording.Type, recording.TypeIsGuess));
    }

    [Fact]
    public void Known_extensions_longer_than_the_internal_length_count_as_internal()
    {
        var internals = new InternalNumbers(4, new HashSet<string> { "100200" });
        Assert.True(internals.IsInternal("2001"));
        Assert.True(internals.IsInternal("100200"));
        Assert.False(internals.IsInternal("100201"));
        Assert.False(internals.IsInternal("48601234567"));
        Assert.Equal(CallType.Internal, CdrLink.DirectionOf("100200", "2001", internals));
        Assert.Equal(CallType.Outgoing, CdrLink.DirectionOf("100200", "601234567", internals));
    }

    [Fact]
    public void Where_dashes_make_the_name_ambiguous_the_CDR_src_and_dst_are_the_numbers()
    {
        // A DID written with a dash: the split at the first dash takes "22" as the DID.
        var recording = FromName("in-22-1234500-+48-601-234-567-20261116-091502-1794816902.3.wav");
        Assert.Equal(("22", "1234500-+48-601-234-567"), (recording.CalleeNumber, recording.CallerNumber));
        CdrLink.Apply(recording, [Row("1794816902.3", "+48-601-234-567", "22-1234500", "from-trunk", "PJSIP/201-3", "ANSWERED")], Internals, People, TestData.Numbers);
        Assert.Equal(("+48-601-234-567", "48601234567", "22-1234500", "201"), (recording.CallerNumber, recording.CallerDigits, recording.CalleeNumber, recording.Extension));

        // An unambiguous name keeps its own numbers, whatever the CDR's src says.
        var plain = FromName("in-221234500-48601234567-20261116-091502-1794816902.4.wav");
        CdrLink.Apply(plain, [Row("1794816902.4", "0601234567", "221234500", "from-trunk", "PJSIP/201-3", "ANSWERED")], Internals, People, TestData.Numbers);
        Assert.Equal("48601234567", plain.CallerNumber);
    }

    [Fact]
    public void Rows_of_other_calls_are_never_used()
    {
        var recording = FromName("in-221234500-48601234567-20261116-091502-1794816902.3.wav");
        var other = Row("1794816999.9", "48601234567", "221234500", "from-trunk", "PJSIP/204-9", "ANSWERED");
        CdrLink.Apply(recording, CdrStore.RowsOf([other], recording.CallId), Internals, People, TestData.Numbers);
        Assert.Equal(((string?)null, (string?)null), (recording.Extension, recording.Disposition));
    }
}
