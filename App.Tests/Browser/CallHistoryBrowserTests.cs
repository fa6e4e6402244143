using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using NagrywanieRozmow.Features.Calls;
using NagrywanieRozmow.Features.Ingestion;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Features.Retention;
using static Microsoft.Playwright.Assertions;

namespace NagrywanieRozmow.Tests.Browser;

/// <summary>
/// Its own app: a customer's three calls in the CDR two days ago — one nobody answered, one whose recording retention
/// deleted, one recorded — beside the shared fixture's recordings.
/// </summary>
public sealed class CallHistoryBrowserFixture : BrowserFixture
{
    public const string Customer = "48600700800";
    public const string Unanswered = "1795000001.11", Deleted = "1795000002.12", Recorded = "1795000003.13";
    public long RecordingId { get; private set; }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Warsaw");
        var day = TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow, zone).Date.AddDays(-2);
        DateTime At(int hour, int minute) => TimeZoneInfo.ConvertTimeToUtc(day.AddHours(hour).AddMinutes(minute), zone);
        CallDetailRecord Row(string id, DateTime at, string channel, string disposition, int duration, int billsec) => new()
        {
            UniqueId = id, LinkedId = id, StartedAt = at, Source = "600700800", Destination = "221234500", Context = "from-trunk",
            DestinationChannel = channel, Disposition = disposition, DurationSeconds = duration, BillSeconds = billsec, ReadAt = at,
        };
        await WithDbAsync(async db =>
        {
            db.CdrRecords.AddRange(
                Row(Unanswered, At(9, 5), "PJSIP/201-00000001", "NO ANSWER", 35, 0),
                Row(Deleted, At(10, 40), "PJSIP/202-00000002", "ANSWERED", 75, 64),
                Row(Recorded, At(14, 15), "PJSIP/201-00000003", "ANSWERED", 52, 40));
            await db.SaveChangesAsync();
        });
        await Services.GetRequiredService<CallSummaries>().CatchUpAsync();
        var kept = await TestData.AddWithAudioAsync(this, TestData.Recording(startedAt: At(14, 15), caller: "600700800", callee: "201", callId: Recorded, durationSeconds: 40));
        var doomed = await TestData.AddAsync(this, TestData.Recording(startedAt: At(10, 40), caller: "600700800", callee: "202", extension: "202",
            userName: "Piotr Nowak", callId: Deleted, durationSeconds: 64));
        await Services.GetRequiredService<RecordingEraser>().EraseAsync([new Erasure(doomed.Id, "domyślna: 90 dni")], ErasureCause.Retention, RetentionPurgeJob.Actor);
        RecordingId = kept.Id;
    }
}

/// <summary>
/// "Did this customer call us on the 14th, and who took it?": a complaint handler finds the customer's calls in the call
/// history, sees why two have no recording, and opens the third's recording.
/// </summary>
public sealed class CallHistoryBrowserTests(CallHistoryBrowserFixture app) : IClassFixture<CallHistoryBrowserFixture>
{
    private static ILocator Row(IPage page, string linkedId) => page.Locator($"[data-testid=call-row][data-linkedid='{linkedId}']");

    [Fact]
    public async Task A_complaint_handler_finds_an_unanswered_call_and_a_deleted_recording_and_opens_a_recorded_call()
    {
        var page = await app.SignedInPageAsync(Roles.ComplaintHandler, path: "/recordings");
        var console = new List<string>();
        page.Console += (_, m) => console.Add($"{m.Type}: {m.Text}");
        try { await FindAndOpenAsync(page); }
        catch (Exception e)
        {
            await BrowserFixture.ScreenshotAsync(page, "call-history-failure");
            throw new InvalidOperationException("Browser console:\n" + string.Join("\n", console), e);
        }
    }

    private async Task FindAndOpenAsync(IPage page)
    {
        // The panel, once its recordings are listed, switches to the call history.
        await Expect(page.GetByTestId("recording-row").First).ToBeVisibleAsync();
        await page.GetByTestId("view-switch-calls").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/calls"));
        // The panel's own number field is there until the call history has rendered in its place.
        await Expect(page.GetByTestId("calls-grid")).ToBeVisibleAsync();

        await page.GetByTestId("filter-number").FillAsync("600 700 800");
        await Expect(page).ToHaveURLAsync(new Regex("number=600"));
        await Expect(page.GetByTestId("call-row")).ToHaveCountAsync(3);

        var unanswered = Row(page, CallHistoryBrowserFixture.Unanswered);
        await Expect(unanswered.GetByTestId("call-disposition")).ToHaveTextAsync("Nieodebrane");
        await Expect(unanswered.GetByTestId("call-no-recording")).ToHaveAttributeAsync("data-reason", "NotAnswered");
        await Expect(unanswered.GetByTestId("call-no-recording")).ToHaveTextAsync("nieodebrane");
        await Expect(unanswered.GetByTestId("call-recording-link")).ToHaveCountAsync(0);

        var deleted = Row(page, CallHistoryBrowserFixture.Deleted);
        await Expect(deleted.GetByTestId("call-no-recording")).ToHaveAttributeAsync("data-reason", "DeletedByRetention");
        var today = TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Warsaw"));
        await Expect(deleted.GetByTestId("call-no-recording")).ToHaveTextAsync($"usunięte przez retencję {today:dd.MM.yyyy} (reguła: domyślna: 90 dni)");
        // Who took it, though the recording is gone: the CDR names the phone.
        await Expect(deleted).ToContainTextAsync("Piotr Nowak");

        // The missed-calls preset leaves only the unanswered one, and the missed count says so.
        await page.GetByTestId("preset-missed").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("disposition=NoAnswer"));
        await Expect(page.GetByTestId("call-row")).ToHaveCountAsync(1);
        await Expect(unanswered).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("missed-chart")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "call-history-missed");

        await page.GoBackAsync();
        await Expect(page.GetByTestId("call-row")).ToHaveCountAsync(3);
        await BrowserFixture.ScreenshotAsync(page, "call-history");

        var recorded = Row(page, CallHistoryBrowserFixture.Recorded);
        await recorded.GetByTestId("call-recording-link").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/recordings/{app.RecordingId}"));
        await BrowserFixture.WaitInteractiveAsync(page);
        await Expect(page.GetByTestId("recording-details")).ToContainTextAsync("600700800");
        await Expect(page.GetByTestId("audio-player")).ToHaveCountAsync(1);
    }
}
