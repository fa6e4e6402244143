using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace NagrywanieRozmow.Tests.Browser;

/// <summary>A complaint handler keeps a filtered panel open while the PBX writes a new call into the watched spool.</summary>
public sealed class NewRecordingsTests(SpoolBrowserFixture app) : IClassFixture<SpoolBrowserFixture>
{
    private static ILocator Rows(IPage page) => page.GetByTestId("recording-row");

    [Fact]
    public async Task A_call_landing_in_the_spool_is_announced_on_the_open_panel_and_a_click_shows_it_with_the_filter_kept()
    {
        var page = await app.SignedInPageAsync(Roles.ComplaintHandler, height: 500, path: "/recordings?number=601234");
        await Expect(Rows(page)).ToHaveCountAsync(2);
        var notice = page.GetByTestId("new-recordings-notice");
        await Expect(notice).ToHaveCountAsync(0);
        await page.EvaluateAsync("() => window.scrollTo(0, 60)");
        var scrolled = await page.EvaluateAsync<double>("() => window.scrollY");

        var callId = app.DropCall("in", "201", "48601234567");

        await Expect(notice).ToHaveTextAsync("1 nowe nagranie");
        await BrowserFixture.ScreenshotAsync(page, "new-recordings-notice");
        var id = await app.WithDbAsync(db => db.Recordings.Where(r => r.CallId == callId).Select(r => r.Id).SingleAsync());

        await notice.ClickAsync();
        await Expect(Rows(page)).ToHaveCountAsync(3);
        await Expect(Rows(page).First).ToHaveAttributeAsync("data-recording-id", id.ToString());
        await Expect(notice).ToHaveCountAsync(0);
        await Expect(page).ToHaveURLAsync(new Regex(@"/recordings\?number=601234$"));
        await Expect(page.GetByTestId("filter-number")).ToHaveValueAsync("601234");
        Assert.Equal(scrolled, await page.EvaluateAsync<double>("() => window.scrollY"));
        await page.Context.CloseAsync();
    }
}

/// <summary>The browser fixture with a watched FreePBX spool that settles in 1 s.</summary>
public sealed class SpoolBrowserFixture : BrowserFixture
{
    private int sequence;

    public string Spool => Path.Combine(Root, "spool");

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Ingestion:SpoolPath"] = Spool,
        ["Ingestion:SettleSeconds"] = "1",
        ["Ingestion:QuarantinePath"] = Path.Combine(Root, "quarantine"),
    };

    public override Task InitializeAsync()
    {
        Directory.CreateDirectory(Spool);
        return base.InitializeAsync();
    }

    /// <summary>Writes a 3 s call (or the given bytes) that starts now, as MixMonitor names and files it; returns its uniqueid.</summary>
    public string DropCall(string type, string to, string from, byte[]? content = null)
    {
        var now = DateTimeOffset.UtcNow;
        var local = TimeZoneInfo.ConvertTime(now, TimeZoneInfo.FindSystemTimeZoneById("Europe/Warsaw"));
        var uniqueId = $"{now.ToUnixTimeSeconds()}.{Interlocked.Increment(ref sequence)}";
        var path = Path.Combine(Spool, local.ToString("yyyy/MM/dd", System.Globalization.CultureInfo.InvariantCulture),
            $"{type}-{to}-{from}-{local.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture)}-{uniqueId}.wav");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content ?? TestData.Wav(3));
        return uniqueId;
    }
}
