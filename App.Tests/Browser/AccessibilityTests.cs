using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace NagrywanieRozmow.Tests.Browser;

/// <summary>
/// axe-core on the screens people use every day, in Polish: no "serious" or "critical" violation. Moderate and minor ones
/// are printed (test output) so they stay visible without failing the build.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(BrowserFixture app, ITestOutputHelper output)
{
    private static readonly string[] Blocking = ["serious", "critical"];

    [Fact]
    public async Task The_sign_in_page_has_no_serious_accessibility_violations()
    {
        var context = await app.Browser.NewContextAsync(new() { BaseURL = app.BaseUrl, Locale = "pl-PL" });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/login");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "pl");
        await Expect(page.GetByTestId("login-submit")).ToBeVisibleAsync();
        await AssertNoSeriousViolationsAsync(page, "sign-in");

        // A failed attempt shows an error message: it must be as readable as the form.
        await page.GetByTestId("login-email").FillAsync(BrowserFixture.EmailOf(Roles.Administrator));
        await page.GetByTestId("login-password").FillAsync("not-the-password");
        await page.GetByTestId("login-submit").ClickAsync();
        await Expect(page.GetByTestId("login-error")).ToBeVisibleAsync();
        await AssertNoSeriousViolationsAsync(page, "sign-in with an error");
        await context.CloseAsync();
    }

    [Fact]
    public async Task The_recordings_panel_with_rows_and_the_docked_player_has_no_serious_accessibility_violations()
    {
        var page = await app.SignedInPageAsync(Roles.ComplaintHandler);
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "pl");
        await Expect(page.GetByTestId("recording-row")).ToHaveCountAsync(9);
        await AssertNoSeriousViolationsAsync(page, "panel");

        await page.GetByTestId("recording-row").First.GetByTestId("row-play").ClickAsync();
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=audio-player]')?.currentTime > 0.3");
        await AssertNoSeriousViolationsAsync(page, "panel with the docked player");
        await BrowserFixture.ScreenshotAsync(page, "a11y-panel-1366");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_recordings_page_with_its_player_loaded_has_no_serious_accessibility_violations()
    {
        var page = await app.SignedInPageAsync(Roles.ComplaintHandler, path: $"/recordings/{app.Complaint.Id}");
        await Expect(page.GetByTestId("recording-details")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("player-play")).ToBeEnabledAsync();
        await AssertNoSeriousViolationsAsync(page, "recording");
        await BrowserFixture.ScreenshotAsync(page, "a11y-recording-1366");
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData(Roles.Compliance)]
    [InlineData(Roles.Administrator)]
    public async Task The_audit_page_has_no_serious_accessibility_violations(string role)
    {
        var page = await app.SignedInPageAsync(role, path: "/audit");
        await Expect(page.GetByTestId("audit-row").First).ToBeVisibleAsync();
        await AssertNoSeriousViolationsAsync(page, $"audit ({role})");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task On_a_390_px_touch_phone_a_call_is_found_by_a_piece_of_its_number_and_played_without_sideways_scrolling()
    {
        var page = await app.SignedInPageAsync(Roles.ComplaintHandler, width: 390, height: 844, phone: true);
        await Expect(page.GetByTestId("recording-row")).ToHaveCountAsync(9);
        await AssertNoSidewaysScrollAsync(page, "the list");

        // As a thumb does it: tap the number field, type a piece of the number on the phone's keyboard, tap Search.
        await page.GetByTestId("filter-number").TapAsync();
        await page.Keyboard.TypeAsync("234 567");
        await page.GetByTestId("search-button").TapAsync();
        await Expect(page).ToHaveURLAsync(new Regex("number=234"));
        await Expect(page.GetByTestId("recording-row")).ToHaveCountAsync(2);
        await AssertNoSidewaysScrollAsync(page, "the filtered list");

        // The other filters open below and still fit.
        await page.GetByRole(AriaRole.Button, new() { Name = "Więcej filtrów" }).TapAsync();
        await Expect(page.GetByTestId("filter-call-id")).ToBeVisibleAsync();
        await AssertNoSidewaysScrollAsync(page, "the list with more filters");

        await page.GetByTestId("recording-row").First.GetByTestId("row-play").TapAsync();
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=audio-player]')?.currentTime > 0.5");
        var box = await page.GetByTestId("player").BoundingBoxAsync();
        Assert.True(box!.X >= 0 && box.X + box.Width <= 390, $"player spans {box.X}..{box.X + box.Width}");
        foreach (var id in new[] { "player-play", "player-seek", "player-speed", "player-download" })
        {
            var control = await page.GetByTestId(id).BoundingBoxAsync();
            Assert.True(control is not null && control.X >= 0 && control.X + control.Width <= 390, $"{id} is off screen: {control?.X}..{control?.X + control?.Width}");
        }
        await AssertNoSidewaysScrollAsync(page, "the list with the player");
        // What the phone shows (a full-page shot would draw the fixed player in the middle of the list).
        Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", "a11y-panel-390.png") });

        await page.GetByTestId("player-play").TapAsync();
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=audio-player]').paused");
        await page.Context.CloseAsync();
    }

    private static async Task AssertNoSidewaysScrollAsync(IPage page, string what)
    {
        var width = await page.EvaluateAsync<int>("() => document.scrollingElement.scrollWidth");
        Assert.True(width <= 390, $"{what} scrolls sideways on a 390 px phone: the page is {width} px wide");
    }

    private async Task AssertNoSeriousViolationsAsync(IPage page, string where)
    {
        var result = await page.RunAxe();
        var blocking = new List<string>();
        foreach (var violation in result.Violations)
        {
            var nodes = string.Join("; ", violation.Nodes.Take(5).Select(n => n.Target?.ToString()));
            var line = $"[{where}] {violation.Id} ({violation.Impact}) ×{violation.Nodes.Length}: {violation.Help} — {nodes}";
            output.WriteLine(line);
            if (Blocking.Contains(violation.Impact)) blocking.Add(line);
        }
        if (result.Violations.Length == 0) output.WriteLine($"[{where}] no violations");
        Assert.True(blocking.Count == 0, $"axe-core found serious or critical violations on {where}:\n{string.Join("\n", blocking)}");
    }
}
