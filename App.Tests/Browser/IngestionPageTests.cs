using static Microsoft.Playwright.Assertions;

namespace NagrywanieRozmow.Tests.Browser;

/// <summary>An administrator watches ingestion: arrivals and lag, and a bad file from the PBX in quarantine, discarded.</summary>
public sealed class IngestionPageTests(SpoolBrowserFixture app) : IClassFixture<SpoolBrowserFixture>
{
    [Fact]
    public async Task An_administrator_sees_arrivals_and_a_quarantined_file_with_its_reason_and_can_discard_it()
    {
        var page = await app.SignedInPageAsync(Roles.Administrator, path: "/admin/ingestion");
        await Expect(page.GetByTestId("quarantine-empty")).ToBeVisibleAsync();

        app.DropCall("in", "201", "48601234567");
        app.DropCall("in", "202", "48601234568", "%PDF-1.7 this is an invoice, not a call"u8.ToArray());
        // An unanswered call leaves an empty file: counted, never listed as a rejection.
        app.DropCall("in", "221234500", "48601234569", []);

        // The page follows by itself (every 5 s): the accepted call's arrival, and the rejected file in plain Polish.
        var row = page.GetByTestId("quarantine-row");
        await Expect(row).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Expect(row).ToContainTextAsync("To nie jest nagranie dźwiękowe");
        await Expect(row).ToContainTextAsync("in-202-48601234568-");
        await Expect(page.GetByTestId("ingestion-today")).ToContainTextAsync("odrzucone 1, nieodebrane 1");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("ingestion-last-arrival")).Not.ToContainTextAsync("jeszcze żadnego");
        await BrowserFixture.ScreenshotAsync(page, "ingestion-page");

        await row.GetByTestId("quarantine-discard").ClickAsync();
        await page.GetByTestId("discard-confirm-yes").ClickAsync();
        await Expect(page.GetByTestId("quarantine-empty")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }
}
