using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace NagrywanieRozmow.Tests.Browser;

/// <summary>A complaint handler asks to be told when the customer calls again, and the PBX then records that call.</summary>
public sealed class WatchBrowserTests(SpoolBrowserFixture app, ITestOutputHelper output) : IClassFixture<SpoolBrowserFixture>
{
    [Fact]
    public async Task Watching_a_number_rings_the_bell_within_seconds_of_the_call_landing_in_the_spool_and_the_notice_opens_the_call()
    {
        var page = await app.SignedInPageAsync(Roles.ComplaintHandler);
        var watch = page.GetByTestId("watch-search");
        await Expect(watch).ToBeDisabledAsync();
        await page.GetByTestId("filter-number").FillAsync("604 555 123");
        await page.GetByTestId("filter-number").PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new Regex("number=604"));
        await Expect(watch).ToBeEnabledAsync();
        await watch.ClickAsync();
        var snackbar = page.Locator(".mud-snackbar");
        await Expect(snackbar).ToContainTextAsync("Obserwujesz: numer 604 555 123");
        await snackbar.Locator("button").ClickAsync();
        await Expect(snackbar).ToHaveCountAsync(0);
        var bell = page.GetByTestId("notifications-bell");
        var count = page.GetByTestId("notifications-count");
        await Expect(count).ToHaveCountAsync(0);

        // The PBX records an incoming call from that number on extension 301.
        var clock = Stopwatch.StartNew();
        var callId = app.DropCall("external", "301", "48604555123");
        await Expect(count).ToHaveTextAsync("1", new() { Timeout = 10_000 });
        clock.Stop();
        output.WriteLine($"From the file landing in the spool to the bell showing 1: {clock.Elapsed.TotalSeconds:0.0} s");

        var id = await app.WithDbAsync(db => db.Recordings.Where(r => r.CallId == callId).Select(r => r.Id).SingleAsync());
        await bell.ClickAsync();
        var item = page.GetByTestId("notification-item");
        await Expect(item).ToHaveCountAsync(1);
        await Expect(item).ToHaveAttributeAsync("data-recording-id", id.ToString());
        await Expect(item).ToContainTextAsync("numer 604 555 123");
        await page.WaitForFunctionAsync("() => getComputedStyle(document.querySelector('.notifications-popover')).opacity === '1'");
        await BrowserFixture.ScreenshotAsync(page, "notifications-bell");

        await item.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/recordings/{id}$"));
        await Expect(page.GetByTestId("player")).ToBeVisibleAsync();
        await Expect(count).ToHaveCountAsync(0);

        // The list of watches: stopping it leaves nothing watched.
        await page.GotoAsync("/notifications");
        await BrowserFixture.WaitInteractiveAsync(page);
        await Expect(page.GetByTestId("watch-row")).ToHaveCountAsync(1);
        await page.GetByTestId("watch-remove").ClickAsync();
        await Expect(page.GetByTestId("watch-row")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("notification-item")).ToHaveCountAsync(1);
        await page.Context.CloseAsync();
    }
}
