using System.Security.Cryptography;
using Microsoft.Playwright;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Tests.Features.Playback;
using static Microsoft.Playwright.Assertions;

namespace NagrywanieRozmow.Tests.Browser;

/// <summary>
/// A stereo call in a real browser: the caller and the callee are drawn apart, each lane from its own channel. Own app
/// instance, so the extra call does not change what the shared browser tests count.
/// </summary>
public sealed class StereoPlaybackTests(StereoPlaybackTests.App app) : IClassFixture<StereoPlaybackTests.App>
{
    /// <summary>Left-lane pixels drawn loud vs right-lane ones: the caller speaks all through, the callee never.</summary>
    private const string InkPerLane = """
        () => [...document.querySelectorAll('canvas[data-role=wave]')].map(c => {
          const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          let ink = 0;
          for (let i = 3; i < d.length; i += 4) if (d[i] > 0) ink++;
          return ink;
        })
        """;

    [Theory]
    [InlineData(1366, 850)]
    [InlineData(390, 844)]
    public async Task A_stereo_call_shows_the_caller_and_the_callee_in_two_labelled_lanes(int width, int height)
    {
        var page = await app.SignedInPageAsync(Roles.ComplaintHandler, width: width, height: height, path: $"/recordings/{app.Stereo.Id}");
        var labels = page.GetByTestId("player-lane-label");
        await Expect(labels).ToHaveCountAsync(2);
        await Expect(labels.Nth(0)).ToHaveTextAsync("Dzwoniący · 203");
        await Expect(labels.Nth(1)).ToHaveTextAsync("Odbiorca · 48601234567");
        await Expect(labels.Nth(0)).ToBeVisibleAsync();
        await Expect(labels.Nth(1)).ToBeVisibleAsync();

        var lanes = page.GetByTestId("player-lane");
        var top = await lanes.Nth(0).BoundingBoxAsync();
        var bottom = await lanes.Nth(1).BoundingBoxAsync();
        Assert.True(top!.Y + top.Height <= bottom!.Y + 0.5, "the caller's lane is above the callee's");
        Assert.True(top.X >= 0 && top.X + top.Width <= width, $"the lane spans {top.X}..{top.X + top.Width} of {width} px");
        Assert.True(top.Width > width / 2, "the lane uses the width of the player");

        // The waveform arrives by fetch: wait until the loud side is drawn, then compare with the silent side.
        await page.WaitForFunctionAsync($"() => ({InkPerLane})()[0] > 3 * ({InkPerLane})()[1]");
        var ink = await page.EvaluateAsync<int[]>(InkPerLane);
        Assert.Equal(2, ink.Length);
        Assert.True(ink[0] > 3 * ink[1], $"caller lane {ink[0]} px of ink, callee lane {ink[1]}");

        await page.GetByTestId("player-play").ClickAsync();
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=audio-player]').currentTime > 0.3");
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), "the page scrolls sideways");
        await BrowserFixture.ScreenshotAsync(page, $"stereo-player-{width}");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task On_a_390_px_phone_the_docked_player_shows_both_lanes_and_fits()
    {
        var page = await app.SignedInPageAsync(Roles.ComplaintHandler, width: 390, height: 844);
        var row = page.Locator($"[data-testid=recording-row][data-recording-id='{app.Stereo.Id}']");
        await row.GetByTestId("row-play").ClickAsync();
        await Expect(page.GetByTestId("player-lane-label")).ToHaveCountAsync(2);
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=audio-player]').currentTime > 0.3");
        var player = await page.GetByTestId("player").BoundingBoxAsync();
        Assert.True(player!.X >= 0 && player.X + player.Width <= 390, $"player spans {player.X}..{player.X + player.Width}");
        foreach (var id in new[] { "player-play", "player-seek", "player-speed" }) await Expect(page.GetByTestId(id)).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), "the page scrolls sideways");
        // What the phone shows (a full-page shot would draw the fixed player in the middle of the list).
        Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", "stereo-player-docked-390.png") });
        await page.Context.CloseAsync();
    }

    public sealed class App : BrowserFixture
    {
        public Recording Stereo { get; private set; } = default!;

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            var audio = StereoWav.LeftOnly(12);
            var row = TestData.Recording(caller: "203", callee: "48601234567", extension: "203", type: CallType.Outgoing, durationSeconds: 12);
            row.Channels = 2;
            row.SizeBytes = audio.Length;
            row.Sha256 = Convert.ToHexStringLower(SHA256.HashData(audio));
            await Store.SaveAsync(row.StorageKey, new MemoryStream(audio), CancellationToken.None);
            Stereo = await TestData.AddAsync(this, row);
        }
    }
}
