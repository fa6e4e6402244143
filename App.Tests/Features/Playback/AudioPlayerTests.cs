using System.Globalization;
using Bunit;
using NagrywanieRozmow.Features.Playback;

namespace NagrywanieRozmow.Tests.Features.Playback;

/// <summary>The player as a component: one waveform for a mono call, a labelled lane per side for a stereo one.</summary>
public sealed class AudioPlayerTests : MudTestContext
{
    private IRenderedComponent<AudioPlayer> RenderPlayer(int channels) => Render<AudioPlayer>(p => p
        .Add(a => a.RecordingId, 42)
        .Add(a => a.Title, "48601234567 → 203")
        .Add(a => a.DurationMs, 97_000)
        .Add(a => a.Channels, channels)
        .Add(a => a.CallerNumber, "203")
        .Add(a => a.CalleeNumber, "48601234567"));

    [Fact]
    public void A_stereo_call_shows_the_caller_above_the_callee_each_in_a_labelled_lane()
    {
        var player = RenderPlayer(channels: 2);

        var lanes = player.FindAll("[data-testid=player-lane]");
        Assert.Equal(2, lanes.Count);
        Assert.Equal(["0", "1"], lanes.Select(l => l.GetAttribute("data-channel")));
        Assert.All(lanes, l => Assert.Single(l.QuerySelectorAll("canvas[data-role=wave]")));
        var labels = player.FindAll("[data-testid=player-lane-label]").Select(l => l.TextContent).ToList();
        Assert.Equal(["Dzwoniący · 203", "Odbiorca · 48601234567"], labels);
        Assert.Equal("Dzwoniący · 203", lanes[0].QuerySelector("canvas")!.GetAttribute("aria-label"));

        // The controls the browser tests and integrations rely on are all there.
        foreach (var id in new[] { "audio-player", "player-play", "player-seek", "player-speed" })
            Assert.Single(player.FindAll($"[data-testid={id}]"));
    }

    [Fact]
    public void The_lane_labels_are_in_English_for_an_English_user()
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("en");
        var player = RenderPlayer(channels: 2);
        Assert.Equal(["Caller · 203", "Callee · 48601234567"], player.FindAll("[data-testid=player-lane-label]").Select(l => l.TextContent));
    }

    [Fact]
    public void A_mono_call_has_one_waveform_and_no_lane_labels()
    {
        var player = RenderPlayer(channels: 1);
        Assert.Single(player.FindAll("canvas[data-role=wave]"));
        Assert.Empty(player.FindAll("[data-testid=player-lane]"));
        Assert.Empty(player.FindAll("[data-testid=player-lane-label]"));
    }

    [Fact]
    public void The_docked_player_moving_from_a_mono_call_to_a_stereo_one_grows_the_second_lane()
    {
        var player = RenderPlayer(channels: 1);
        player.Render(p => p.Add(a => a.RecordingId, 43).Add(a => a.Channels, 2));
        Assert.Equal(2, player.FindAll("canvas[data-role=wave]").Count);
        Assert.Equal(2, player.FindAll("[data-testid=player-lane-label]").Count);
    }
}
