using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Tests.Features.Ingestion;
using static Microsoft.Playwright.Assertions;

namespace NagrywanieRozmow.Tests.Browser;

/// <summary>
/// The corrected FreePBX sample spool lands in a watched spool, its Master.csv a moment later, as on a live PBX: a complaint
/// handler filters by the number the customer dialled and sees who answered once the CDR says, and not a guess before.
/// </summary>
public sealed class PbxSampleBrowserTests(PbxSampleBrowserTests.Fixture app) : IClassFixture<PbxSampleBrowserTests.Fixture>
{
    public sealed class Fixture : BrowserFixture
    {
        public string Spool => Path.Combine(Root, "spool");
        public string Cdr => Path.Combine(Root, "cdr", "Master.csv");

        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Ingestion:SpoolPath"] = Spool,
            ["Ingestion:CdrCsvPath"] = Cdr,
            ["Ingestion:SettleSeconds"] = "1",
            ["Ingestion:QuarantinePath"] = Path.Combine(Root, "quarantine"),
        };

        public override Task InitializeAsync()
        {
            Directory.CreateDirectory(Spool);
            Directory.CreateDirectory(Path.GetDirectoryName(Cdr)!);
            return base.InitializeAsync();
        }
    }

    private static readonly string Sample = Path.Combine(AppContext.BaseDirectory, "Fixtures", "freepbx-spool");

    [Fact]
    public async Task Calls_on_a_DID_say_who_answered_only_once_the_CDR_names_the_phone()
    {
        var page = await app.SignedInPageAsync(Roles.ComplaintHandler, path: "/recordings?did=221234500");
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Sample, "monitor"), "in-*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(app.Spool, Path.GetRelativePath(Path.Combine(Sample, "monitor"), file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        // Three of the sample's in- calls hold audio; their answering phones are only in the CDR, which has not come yet.
        await IngestionApp.EventuallyAsync(async () => await app.WithDbAsync(db => db.Recordings.CountAsync(r => r.Did == "221234500")) == 3, "three DID calls in");
        await page.ReloadAsync();
        await page.WaitForSelectorAsync("[data-interactive=true]");
        var rows = page.GetByTestId("recording-row");
        await Expect(rows).ToHaveCountAsync(3);
        await Expect(page.GetByTestId("answer-pending")).ToHaveCountAsync(3);
        await Expect(page.GetByTestId("answer-pending").First).ToHaveTextAsync("nie wiadomo jeszcze, kto odebrał");
        await Expect(page.GetByTestId("row-did").First).ToHaveTextAsync("221234500");
        await BrowserFixture.ScreenshotAsync(page, "did-before-cdr");

        File.Copy(Path.Combine(Sample, "cdr-csv", "Master.csv"), app.Cdr);
        await IngestionApp.EventuallyAsync(async () => await app.WithDbAsync(db => db.Recordings.CountAsync(r => r.Did == "221234500" && r.Extension != null)) == 3,
            "the CDR names the answering phones");
        await page.ReloadAsync();
        await page.WaitForSelectorAsync("[data-interactive=true]");
        await Expect(page.GetByTestId("answer-pending")).ToHaveCountAsync(0);
        // 201 and 202 are in the phone directory: the person, then the extension.
        await Expect(rows.Filter(new() { HasText = "Anna Kowalska · 201" })).ToHaveCountAsync(2);
        await Expect(rows.Filter(new() { HasText = "Piotr Nowak · 202" })).ToHaveCountAsync(1);
        await BrowserFixture.ScreenshotAsync(page, "did-after-cdr");

        // The agent's filter now finds the DID calls that phone answered.
        await page.GotoAsync("/recordings?extension=202&did=221234500");
        await page.WaitForSelectorAsync("[data-interactive=true]");
        await Expect(rows).ToHaveCountAsync(1);
        await page.Context.CloseAsync();
    }
}
