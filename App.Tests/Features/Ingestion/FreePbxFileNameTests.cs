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
    }

    [Theory]
    [InlineData("in-201-+48 601-234-567-20261116-091502-1794816902.2.wav", "in", "201", "+48 601-234-567", "201")]
    [InlineData("in-201-anonymous-20261116-091502-1794816902.2.wav", "in", "201", "anonymous", "201")]
    [InlineData("out-+48-22-765-43-21-201-20261116-091502-1794816902.2.wav", "out", "+48-22-765-43-21", "201", "201")]
    [InlineData("external-0048601234567-203-20261116-091502-pbx-1-1794816902.17.wav", "external", "0048601234567", "203", "203")]
    [InlineData("exten-202-201-20131116-091502-1384589702.5.wav", "exten", "202", "201", "202")]
    [InlineData("q-400-48698765432-20261117-083012-1794900612.6.WAV", "q", "400", "48698765432", "400")]
    public void Caller_ids_with_dashes_plus_spaces_or_anonymous_split_at_the_right_dash(string file, string type, string to, string from, string extension)
    {
        Assert.True(FreePbxFileName.TryParse(file, Warsaw, out var name, out var error), error);
        Assert.Equal((type, to, from, extension), (name!.Type, name.To, name.From, name.InternalParty));
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
    [InlineData("external", CallType.Outgoing)]
    [InlineData("internal", CallType.Internal)]
    [InlineData("q", CallType.Queue)]
    [InlineData("rg", null)]
    [InlineData("ondemand", null)]
    public void The_type_in_the_name_gives_the_call_type_where_it_can(string type, CallType? expected) =>
        Assert.Equal(expected, FreePbxFileName.CallTypeOf(type));
}
