using System.Text.Json;
using NagrywanieRozmow.Features.Ingestion;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Tests.Features.Ingestion;

public sealed class FreePbxFileNameTests
{
    private static readonly TimeZoneInfo Warsaw = TimeZoneInfo.FindSystemTimeZoneById("Europe/Warsaw");

    public static TheoryData<string> SampleFiles()
    {
        var data = new TheoryData<string>();
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures/freepbx-spool/expected.json")));
        foreach (var item in doc.RootElement.EnumerateArray()) data.Add(item.GetRawText());
        return data;
    }

    [Theory]
    [MemberData(nameof(SampleFiles))]
    public void Every_sample_name_parses_as_expected_json_says(string expectedJson)
    {
        var expected = JsonDocument.Parse(expectedJson).RootElement;
        Assert.True(FreePbxFileName.TryParse(expected.GetProperty("file").GetString()!, Warsaw, out var name, out var error), error);
        Assert.Equal(expected.GetProperty("type").GetString(), name!.Type);
        Assert.Equal(expected.GetProperty("to").GetString(), name.To);
        Assert.Equal(expected.GetProperty("from").GetString(), name.From);
        Assert.Equal(expected.GetProperty("uniqueid").GetString(), name.UniqueId);
        Assert.Equal(DateTime.Parse(expected.GetProperty("started_local").GetString()!), name.LocalStart);
        Assert.Equal(expected.GetProperty("started_utc").GetDateTime().ToUniversalTime(), name.StartedAtUtc);
        Assert.Equal(DateTimeKind.Utc, name.StartedAtUtc.Kind);
        Assert.Equal(expected.GetProperty("did").GetString(), name.Did);
        // The panel's type where the name alone tells it; "from the CDR" where only the CDR (or the numbers) can.
        var panelType = expected.GetProperty("panel_type").GetString();
        Assert.Equal(panelType == "from the CDR" ? null : Enum.Parse<CallType>(panelType!), name.CallType);
        // The extension the name gives: only where the name itself names one (in/q/rg leave it to the CDR).
        if (expected.GetProperty("type").GetString() is "external" or "out")
            Assert.Equal(expected.GetProperty("extension").GetString(), name.InternalParty);
        if (expected.GetProperty("type").GetString() is "in" or "q" or "rg") Assert.Null(name.InternalParty);
    }

    [Theory]
    // in: "to" is the DID that was dialled, never a phone; the CDR names who answered.
    [InlineData("in-221234500-+48 601-234-567-20261116-091502-1794816902.2.wav", "in", "221234500", "+48 601-234-567", null, "221234500", null)]
    [InlineData("in-221234500-anonymous-20261116-091502-1794816902.2.wav", "in", "221234500", "anonymous", null, "221234500", null)]
    [InlineData("out-+48-22-765-43-21-201-20261116-091502-1794816902.2.wav", "out", "+48-22-765-43-21", "201", "201", null, null)]
    // external: a call from outside (FROM_DID set) that reached extension 203; "to" is that extension, "from" the caller.
    [InlineData("external-203-0048-601-234-567-20261116-091502-pbx-1-1794816902.17.wav", "external", "203", "0048-601-234-567", "203", null, null)]
    [InlineData("internal-203-201-20261118-140001-1795006801.8.wav", "internal", "203", "201", "201", null, null)]
    [InlineData("exten-202-201-20131116-091502-1384589702.5.wav", "exten", "202", "201", null, null, null)]
    [InlineData("q-400-48698765432-20261117-083012-1794900612.6.WAV", "q", "400", "48698765432", null, null, "400")]
    [InlineData("rg-600-48221112233-20261117-121500-1794914100.7.mp3", "rg", "600", "48221112233", null, null, "600")]
    public void Each_type_names_its_parties_as_FreePBX_writes_them_and_caller_ids_with_dashes_split_at_the_right_dash(
        string file, string type, string to, string from, string? extension, string? did, string? queue)
    {
        Assert.True(FreePbxFileName.TryParse(file, Warsaw, out var name, out var error), error);
        Assert.Equal((type, to, from, extension, did, queue), (name!.Type, name.To, name.From, name.InternalParty, name.Did, name.Queue));
    }

    [Theory]
    [InlineData("in-221234500-48601234567-20261116-091502-1794816902.2.wav", false)]
    [InlineData("in-221234500-+48 601 234 567-20261116-091502-1794816902.2.wav", false)]
    [InlineData("in-221234500-+48-601-234-567-20261116-091502-1794816902.2.wav", true)]
    [InlineData("out-+48-22-765-43-21-201-20261116-091502-1794816902.2.wav", true)]
    public void A_name_whose_parties_hold_more_than_one_dash_is_ambiguous(string file, bool ambiguous)
    {
        Assert.True(FreePbxFileName.TryParse(file, Warsaw, out var name, out var error), error);
        Assert.Equal(ambiguous, name!.PartiesAmbiguous);
    }

    [Fact]
    public void A_systemname_prefix_on_the_uniqueid_is_kept_and_its_epoch_still_read()
    {
        Assert.True(FreePbxFileName.TryParse("in-201-48601234567-20261116-091502-pbx-1-1794816902.2.wav", Warsaw, out var name, out _));
        Assert.Equal("pbx-1-1794816902.2", name!.UniqueId);
        Assert.Equal(new DateTime(2026, 11, 16, 8, 15, 2, DateTimeKind.Utc), FreePbxFileName.EpochOf(name.UniqueId));
    }

    [Theory]
    // 2026-10-25 02:30 happens twice in Warsaw: first at 00:30Z (CEST), then at 01:30Z (CET). The epoch decides.
    [InlineData("in-201-48601234567-20261025-023000-1792888200.1.wav", "2026-10-25T00:30:00Z")]
    [InlineData("in-201-48601234567-20261025-023000-1792891800.2.wav", "2026-10-25T01:30:00Z")]
    public void An_hour_that_happens_twice_is_settled_by_the_uniqueid_epoch(string file, string expectedUtc)
    {
        Assert.True(FreePbxFileName.TryParse(file, Warsaw, out var name, out _));
        Assert.Equal(DateTime.Parse(expectedUtc).ToUniversalTime(), name!.StartedAtUtc);
    }

    [Theory]
    [InlineData("Ala ma kota.wav", "not a FreePBX recording name")]
    [InlineData("in-201-48601234567-20261332-091502-1794816902.2.wav", "impossible date")]
    [InlineData("in-201-20261116-091502-1794816902.2.wav", "both parties")]
    public void Names_that_are_not_recordings_are_refused_with_the_reason(string file, string reason)
    {
        Assert.False(FreePbxFileName.TryParse(file, Warsaw, out _, out var error));
        Assert.Contains(reason, error);
    }

    [Theory]
    [InlineData("in", CallType.Incoming)]
    [InlineData("out", CallType.Outgoing)]
    [InlineData("external", CallType.Incoming)]
    [InlineData("internal", CallType.Internal)]
    [InlineData("q", CallType.Queue)]
    [InlineData("rg", null)]
    [InlineData("ondemand", null)]
    public void The_type_in_the_name_gives_the_call_type_where_it_can(string type, CallType? expected) =>
        Assert.Equal(expected, FreePbxFileName.CallTypeOf(type));
}
