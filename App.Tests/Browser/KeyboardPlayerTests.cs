using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace NagrywanieRozmow.Tests.Browser;

/// <summary>Someone who cannot use a mouse finds a call, plays it, moves through it and downloads it with the keyboard alone.</summary>
[Collection(BrowserCollection.Name)]
public sealed class KeyboardPlayerTests(BrowserFixture app)
{
    private const string Audio = "document.querySelector('[data-testid=audio-player]')";

    [Fact]
    public async Task The_player_on_a_recordings_page_works_by_keyboard_alone()
    {
        var page = await app.SignedInPageAsync(Roles.ComplaintHandler, path: $"/recordings/{app.Complaint.Id}");
        await Expect(page.GetByTestId("player-play")).ToBeEnabledAsync();

        // From the top of the page, Tab reaches play; Enter starts the audio and the time moves.
        await TabToAsync(page, "player-play");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForFunctionAsync($"() => !{Audio}.paused && {Audio}.currentTime > 0.3");
        await Expect(page.GetByTestId("player-play")).ToHaveAttributeAsync("aria-label", "Wstrzymaj (spacja)");
        // Space on the focused button pauses (once, not twice).
        await page.Keyboard.PressAsync("Space");
        await page.WaitForFunctionAsync($"() => {Audio}.paused");

        // The seek bar is a slider with a spoken time; → jumps five seconds, End and Home go to the ends.
        await TabToAsync(page, "player-seek");
        var seek = page.GetByTestId("player-seek");
        Assert.Equal("slider", await seek.EvaluateAsync<string>("e => e.getAttribute('role') ?? (e.type === 'range' ? 'slider' : '')"));
        await Expect(seek).ToHaveAttributeAsync("aria-label", "Pozycja w nagraniu");
        var before = await CurrentTimeAsync(page);
        await page.Keyboard.PressAsync("ArrowRight");
        Assert.InRange(await CurrentTimeAsync(page) - before, 4.9, 5.1);
        await Expect(seek).ToHaveAttributeAsync("aria-valuetext", new System.Text.RegularExpressions.Regex(@"^0:0[5-6] z 0:40$"));
        await page.Keyboard.PressAsync("End");
        Assert.InRange(await CurrentTimeAsync(page), 39.5, 40.1);
        await page.Keyboard.PressAsync("Home");
        Assert.Equal(0, await CurrentTimeAsync(page));
        await page.Keyboard.PressAsync("ArrowRight");
        await page.Keyboard.PressAsync("ArrowRight");
        Assert.InRange(await CurrentTimeAsync(page), 9.9, 10.1);
        // Space on the slider plays from there, and the position moves on.
        await page.Keyboard.PressAsync("Space");
        await page.WaitForFunctionAsync($"() => !{Audio}.paused && {Audio}.currentTime > 10.3");

        // Speed: the next stop; ↓ picks the next speed in the list.
        await TabToAsync(page, "player-speed");
        await page.Keyboard.PressAsync("ArrowDown");
        await page.WaitForFunctionAsync($"() => {Audio}.playbackRate === 1.25");

        // Volume: a slider of its own; ← turns it down and the arrows do not move the audio.
        await TabToAsync(page, "player-volume");
        var at = await CurrentTimeAsync(page);
        await page.Keyboard.PressAsync("ArrowLeft");
        await page.Keyboard.PressAsync("ArrowLeft");
        await page.WaitForFunctionAsync($"() => Math.abs({Audio}.volume - 0.9) < 0.001");
        Assert.InRange(await CurrentTimeAsync(page) - at, -0.1, 2);
        await Expect(page.GetByTestId("player-volume")).ToHaveAttributeAsync("aria-valuetext", "90 %");

        // Download: the next stop after the player; Enter saves the original file.
        await TabToAsync(page, "row-download");
        var download = await page.RunAndWaitForDownloadAsync(() => page.Keyboard.PressAsync("Enter"));
        Assert.EndsWith(".wav", download.SuggestedFilename);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task In_the_panel_Tab_reaches_a_rows_play_and_the_docked_player_has_its_own_download()
    {
        var page = await app.SignedInPageAsync(Roles.ComplaintHandler, path: "/recordings?number=601234567");
        await Expect(page.GetByTestId("recording-row")).ToHaveCountAsync(2);
        await TabToAsync(page, "row-play");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForFunctionAsync($"() => {Audio}?.currentTime > 0.3");
        await TabToAsync(page, "player-download");
        var download = await page.RunAndWaitForDownloadAsync(() => page.Keyboard.PressAsync("Enter"));
        Assert.EndsWith(".wav", download.SuggestedFilename);
        await page.Context.CloseAsync();
    }

    private static Task<double> CurrentTimeAsync(IPage page) => page.EvaluateAsync<double>($"() => {Audio}.currentTime");

    /// <summary>Presses Tab until the element with this test id has the focus, and checks the focus can be seen there.</summary>
    private static async Task TabToAsync(IPage page, string testId, int maxPresses = 80)
    {
        var trail = new List<string>();
        for (var i = 0; i < maxPresses; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focused = await page.EvaluateAsync<string>("() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName ?? ''");
            trail.Add(focused);
            if (focused != testId) continue;
            var outline = await page.EvaluateAsync<string>(
                "() => { const s = getComputedStyle(document.activeElement); return s.outlineStyle + ' ' + s.outlineWidth; }");
            Assert.True(!outline.StartsWith("none") && !outline.EndsWith(" 0px"), $"{testId} has the focus but no visible outline ({outline})");
            return;
        }
        throw new Xunit.Sdk.XunitException($"Tab never reached {testId}; the focus went: {string.Join(" → ", trail)}");
    }
}
