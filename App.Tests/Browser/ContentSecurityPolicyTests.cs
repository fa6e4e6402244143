using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace NagrywanieRozmow.Tests.Browser;

/// <summary>
/// The Content-Security-Policy in a real Chromium: signing in, the interactive panel (Blazor, MudBlazor), the player and
/// the Hangfire dashboard all work, and the browser reports no violation of the policy on the way.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ContentSecurityPolicyTests(BrowserFixture app)
{
    [Fact]
    public async Task Signing_in_the_panel_the_player_and_Hangfire_run_without_a_single_CSP_violation()
    {
        await using var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseUrl, Locale = "pl-PL" });
        // Runs before the page's own scripts (injected by the browser, not subject to the policy).
        await context.AddInitScriptAsync("document.addEventListener('securitypolicyviolation', e => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))");
        var page = await context.NewPageAsync();
        var console = new List<string>();
        page.Console += (_, m) => console.Add($"{m.Type}: {m.Text}");
        page.PageError += (_, e) => console.Add($"pageerror: {e}");

        await page.GotoAsync("/account/login");
        await page.GetByTestId("login-email").FillAsync(BrowserFixture.EmailOf(Roles.Administrator));
        await page.GetByTestId("login-password").FillAsync(BrowserFixture.Password);
        await page.GetByTestId("login-submit").ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/account/login"));
        await BrowserFixture.WaitInteractiveAsync(page);

        // MudBlazor's select popover and the docked player: interactive components and the audio element.
        await page.GetByTestId("filter-date-preset").ClickAsync();
        await page.Keyboard.PressAsync("Escape");
        await page.GetByTestId("recording-row").First.GetByTestId("row-play").ClickAsync();
        // The player appears after the click: wait for it before reading its time.
        await page.WaitForFunctionAsync("() => { const a = document.querySelector('[data-testid=audio-player]'); return a !== null && a.currentTime > 0.3; }");
        await page.GetByTestId("player-play").ClickAsync();

        await page.GotoAsync($"/recordings/{app.Complaint.Id}");
        await BrowserFixture.WaitInteractiveAsync(page);
        await Expect(page.GetByTestId("audio-player")).ToHaveCountAsync(1);

        await page.GotoAsync("/hangfire");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Hangfire Dashboard" })).ToBeVisibleAsync();
        await page.GotoAsync("/hangfire/recurring");
        await Expect(page.Locator("table").First).ToBeVisibleAsync();

        var violations = console.Where(m => m.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)
            || m.Contains("CSP violation", StringComparison.Ordinal) || m.StartsWith("pageerror", StringComparison.Ordinal)).ToList();
        Assert.True(violations.Count == 0, "Browser console:\n" + string.Join("\n", console));
    }
}
