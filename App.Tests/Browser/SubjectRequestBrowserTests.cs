using System.IO.Compression;
using Microsoft.EntityFrameworkCore;
using static Microsoft.Playwright.Assertions;

namespace NagrywanieRozmow.Tests.Browser;

/// <summary>Its own app: the test erases the complaining customer's calls, which the shared browser fixture's tests rely on.</summary>
public sealed class ErasureBrowserFixture : BrowserFixture;

/// <summary>A compliance officer puts one of a customer's calls on hold, hands the customer their data, then erases the rest.</summary>
public sealed class SubjectRequestBrowserTests(ErasureBrowserFixture app) : IClassFixture<ErasureBrowserFixture>
{
    [Fact]
    public async Task A_compliance_officer_holds_one_call_exports_the_persons_data_and_erases_everything_the_hold_does_not_keep()
    {
        // 1. A dispute needs the older call: a legal hold on it, from its page.
        var page = await app.SignedInPageAsync(Roles.Compliance, path: $"/recordings/{app.OlderComplaint.Id}");
        await page.GetByTestId("hold-place").ClickAsync();
        await page.GetByTestId("hold-place-confirm").ClickAsync();
        await Expect(page.GetByTestId("hold-problem").First).ToContainTextAsync("Podaj powód");
        await page.GetByTestId("hold-place-case").FillAsync("SPR-7/2026");
        await page.GetByTestId("hold-place-reason").FillAsync("Klient kwestionuje umowę");
        await page.GetByTestId("hold-place-confirm").ClickAsync();
        await Expect(page.GetByTestId("hold-active")).ToContainTextAsync("SPR-7/2026");

        // 2. The customer writes in: every call of their number, however the PBX wrote it.
        await page.GotoAsync("/compliance/subject-requests");
        await BrowserFixture.WaitInteractiveAsync(page);
        await page.GetByTestId("dsr-number").FillAsync("601 234 567");
        await page.GetByTestId("dsr-reference").FillAsync("RODO/2026/17");
        await page.GetByTestId("dsr-search").ClickAsync();
        await Expect(page.GetByTestId("dsr-summary")).ToContainTextAsync("nagrania: 2");
        await Expect(page.GetByTestId("dsr-row")).ToHaveCountAsync(2);
        await Expect(page.Locator($"[data-testid=dsr-row][data-recording-id='{app.OlderComplaint.Id}']")).ToHaveAttributeAsync("data-held", "true");

        // 3. Art. 15: a copy of everything, as a ZIP.
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("dsr-export").ClickAsync());
        using (var zip = ZipFile.OpenRead(await download.PathAsync()))
        {
            Assert.Equal(2, zip.Entries.Count(e => e.FullName.StartsWith("audio/")));
            Assert.Contains(zip.Entries, e => e.FullName == "manifest.csv");
            Assert.Contains(zip.Entries, e => e.FullName == "access-history.csv");
        }

        // 4. Art. 17: erase; the held call stays, and the receipt says why.
        await page.GetByTestId("dsr-erase").ClickAsync();
        await page.GetByTestId("dsr-erase-confirm").ClickAsync();
        await Expect(page.GetByTestId("dsr-receipt")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("dsr-receipt-erased")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("dsr-receipt-erased")).ToContainTextAsync($"nagranie {app.Complaint.Id}");
        await Expect(page.GetByTestId("dsr-receipt-kept")).ToContainTextAsync("SPR-7/2026");
        await Expect(page.GetByTestId("dsr-row")).ToHaveCountAsync(1);
        await BrowserFixture.ScreenshotAsync(page, "subject-request-erased");

        var receipt = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("dsr-receipt-download").ClickAsync());
        {
            var text = await File.ReadAllTextAsync(await receipt.PathAsync());
            Assert.Contains("Potwierdzenie usunięcia danych", text);
            Assert.Contains("RODO/2026/17", text);
            Assert.Contains("sprawa SPR-7/2026", text);
        }

        var left = await app.WithDbAsync(db => db.Recordings.Where(r => r.Id == app.Complaint.Id || r.Id == app.OlderComplaint.Id).Select(r => r.Id).ToListAsync());
        Assert.Equal([app.OlderComplaint.Id], left);
        Assert.False(File.Exists(Path.Combine(app.StorePath, app.Complaint.StorageKey)));
        await page.Context.CloseAsync();
    }
}
