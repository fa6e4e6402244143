using System.IO.Compression;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace NagrywanieRozmow.Tests.Browser;

/// <summary>A complaint handler's case work: three ticked calls as one ZIP; a recording's link pasted from the CRM.</summary>
[Collection(BrowserCollection.Name)]
public sealed class BulkDownloadBrowserTests(BrowserFixture app)
{
    [Fact]
    public async Task Three_ticked_calls_download_as_one_zip_with_their_files_and_a_manifest()
    {
        var page = await app.SignedInPageAsync(Roles.ComplaintHandler);
        var rows = page.GetByTestId("recording-row");
        await Expect(rows).ToHaveCountAsync(9);
        await Expect(page.GetByTestId("bulk-download")).ToHaveCountAsync(0);

        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            await rows.Nth(i).GetByTestId("row-select").CheckAsync();
            ids.Add((await rows.Nth(i).GetAttributeAsync("data-recording-id"))!);
        }
        await Expect(page.GetByTestId("bulk-download")).ToContainTextAsync("3");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("bulk-download").ClickAsync());
        Assert.Matches(@"^recordings-\d{4}-\d\d-\d\d-\d{4}\.zip$", download.SuggestedFilename);
        using var zip = ZipFile.OpenRead(await download.PathAsync());
        var audio = zip.Entries.Where(e => e.FullName.EndsWith(".wav")).Select(e => e.FullName).ToList();
        Assert.Equal(3, audio.Count);
        foreach (var id in ids) Assert.Single(audio, name => name.EndsWith($"_{id}.wav"));
        using var manifest = new StreamReader(zip.GetEntry("manifest.csv")!.Open());
        var lines = (await manifest.ReadToEndAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.NotNull(zip.GetEntry("README.txt"));

        // The page stays where it was, selection and all.
        await Expect(page.GetByTestId("bulk-download")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_recordings_link_from_the_crm_signs_in_first_and_then_opens_that_call()
    {
        var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseUrl, Locale = "pl-PL", TimezoneId = "Europe/Warsaw" });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/recordings/{app.Complaint.Id}");
        await Expect(page.GetByTestId("login-email")).ToBeVisibleAsync();
        await page.GetByTestId("login-email").FillAsync(BrowserFixture.EmailOf(Roles.ComplaintHandler));
        await page.GetByTestId("login-password").FillAsync(BrowserFixture.Password);
        await page.GetByTestId("login-submit").ClickAsync();
        await page.WaitForURLAsync($"**/recordings/{app.Complaint.Id}");
        await BrowserFixture.WaitInteractiveAsync(page);
        await Expect(page.GetByTestId("recording-link")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex($"/recordings/{app.Complaint.Id}$"));

        // The case number goes on from the same page, and the panel finds the call by it.
        await page.GetByTestId("case-add-input").FillAsync("REK-2026/0777");
        await page.GetByTestId("case-add").ClickAsync();
        await Expect(page.GetByTestId("case-chip")).ToContainTextAsync("REK-2026/0777");
        await page.GotoAsync("/recordings?case=REK-2026%2F0777");
        await Expect(page.GetByTestId("recording-row")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("evidence-package")).ToBeVisibleAsync();
        await context.CloseAsync();
    }
}
