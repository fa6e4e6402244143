using Microsoft.AspNetCore.WebUtilities;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Shared.Time;

namespace NagrywanieRozmow.Tests.Features.Recordings;

/// <summary>The panel's URL, as a shared link or the back button brings it back: what the bar wrote is what it reads.</summary>
public sealed class RecordingQueryUrlTests
{
    private static readonly DisplayTime Time = new(TimeZoneInfo.FindSystemTimeZoneById("Europe/Warsaw"));
    private static readonly DateTime Now = new(2026, 11, 24, 9, 0, 0, DateTimeKind.Utc);

    private static RecordingQuery ReadBack(string queryString) => RecordingQuery.Parse(QueryHelpers.ParseQuery(queryString), Time, Now);

    [Fact]
    public void A_custom_range_with_filters_reads_back_as_the_same_search()
    {
        var shown = new RecordingFilter
        {
            Number = " 601 234 ", Extension = "201", Did = "+48221234567", Types = [CallType.Incoming, CallType.Queue], MinDurationSeconds = 60,
            MaxDurationSeconds = 600, CallId = "1700000000.42", Case = "RK/2026/7",
        };
        var url = RecordingQuery.ToQueryString(shown, null, new DateOnly(2026, 11, 2), new DateOnly(2026, 11, 3));
        Assert.Equal("?from=2026-11-02&to=2026-11-03&number=601%20234&extension=201&did=%2B48221234567&type=Incoming&type=Queue"
            + "&minDuration=60&maxDuration=600&callId=1700000000.42&case=RK%2F2026%2F7", url);

        var back = ReadBack(url);
        Assert.True(back.IsValid, string.Join("; ", back.Errors.SelectMany(e => e.Value)));
        Assert.Equal(Time.ToUtc(new DateTime(2026, 11, 2)), back.Filter.From);
        Assert.Equal(Time.ToUtc(new DateTime(2026, 11, 4)), back.Filter.To);
        Assert.Equal(("601 234", "201", 60, 600, "RK/2026/7"), (back.Filter.Number, back.Filter.Extension, back.Filter.MinDurationSeconds, back.Filter.MaxDurationSeconds, back.Filter.Case));
        Assert.Equal([CallType.Incoming, CallType.Queue], back.Filter.Types);
    }

    [Theory]
    [InlineData(DatePreset.Last7, "?preset=last7")]
    [InlineData(DatePreset.ThisMonth, "?preset=thisMonth")]
    [InlineData(DatePreset.Day, "?preset=day&from=2026-11-20")]
    public void A_preset_stands_for_its_range(DatePreset preset, string expected)
    {
        var url = RecordingQuery.ToQueryString(new RecordingFilter(), preset, new DateOnly(2026, 11, 20), new DateOnly(2026, 11, 22));
        Assert.Equal(expected, url);
        Assert.Equal(preset, ReadBack(url).Preset);
    }

    [Fact]
    public void Nothing_chosen_is_no_query_string() =>
        Assert.Equal("", RecordingQuery.ToQueryString(new RecordingFilter(), null, null, null));
}
