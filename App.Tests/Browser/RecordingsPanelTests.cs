using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace NagrywanieRozmow.Tests.Browser;

/// <summary>What a complaint handler does: find the customer's call by a piece of the number and a date, listen, download.</summary>
[Collection(BrowserCollection.Name)]
public sealed class RecordingsPanelTests(BrowserFixture app)
{
    private static ILocator Rows(IPage page) => page.GetByTestId("recording-row");

    [Fact]
    public async Task Find_a_call_by_number_fragment_and_date_then_listen_seek_change_speed_and_download()
    {
        var page = await app.SignedInPageAsync(Roles.ComplaintHandler);
        await Expect(Rows(page)).ToHaveCountAsync(9);

        // Typed filters apply by themselves after a short pause: both calls of this customer, whichever way the PBX wrote it.
        await page.GetByTestId("filter-number").FillAsync("601 234");
        await Expect(page).ToHaveURLAsync(new Regex("number=601"));
        await Expect(Rows(page)).ToHaveCountAsync(2);

        await page.GetByTestId("filter-date-preset").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Ostatnie 7 dni" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("preset=last7"));
        await Expect(Rows(page)).ToHaveCountAsync(1);
        await Expect(Rows(page).First).ToHaveAttributeAsync("data-recording-id", app.Complaint.Id.ToString());
        await Expect(page.GetByTestId("result-count")).ToContainTextAsync("1");

        // Play in the row opens the docked player on the same page, and time moves.
        var url = page.Url;
        await Rows(page).First.GetByTestId("row-play").ClickAsync();
        var audio = page.GetByTestId("audio-player");
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=audio-player]')?.currentTime > 0.5");
        Assert.Equal(url, page.Url);
        await Expect(page.GetByTestId("player-elapsed")).Not.ToHaveTextAsync("0:00");

        // Seek to 30 s: the audio jumps there (served by range requests).
        await page.GetByTestId("player-seek").FillAsync("30");
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=audio-player]').currentTime >= 30");
        await Expect(page.GetByTestId("player-elapsed")).ToHaveTextAsync(new Regex("^0:3"));

        await page.GetByTestId("player-speed").SelectOptionAsync("1.5");
        Assert.Equal(1.5, await audio.EvaluateAsync<double>("a => a.playbackRate"));

        await page.GetByTestId("player-play").ClickAsync();
        Assert.True(await audio.EvaluateAsync<bool>("a => a.paused"));

        var download = await page.RunAndWaitForDownloadAsync(() => Rows(page).First.GetByTestId("row-download").ClickAsync());
        Assert.Matches(@"^\d{4}-\d\d-\d\d_10-00_\+48601234567_to_201_incoming\.wav$", download.SuggestedFilename);
        var saved = Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".wav");
        await download.SaveAsAsync(saved);
        Assert.Equal(app.Complaint.SizeBytes, new FileInfo(saved).Length);
        File.Delete(saved);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_shared_link_reopens_the_same_view_and_the_back_button_returns_to_the_previous_one()
    {
        var page = await app.SignedInPageAsync(Roles.ComplaintHandler, path: "/recordings?number=48601234567");
        await Expect(Rows(page)).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("filter-number")).ToHaveValueAsync("48601234567");

        await page.GetByTestId("filter-number").FillAsync("22765");
        await page.GetByTestId("filter-number").PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new Regex("number=22765"));
        await Expect(Rows(page)).ToHaveCountAsync(6);

        // The browser's back button: a history step inside the app. There is no page load, so the URL is polled
        // (WaitForURLAsync would also wait for a load event that never comes).
        await page.EvaluateAsync("() => history.back()");
        await Expect(page).ToHaveURLAsync(new Regex("number=48601234567"));
        await Expect(Rows(page)).ToHaveCountAsync(2);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Wrong_values_in_the_address_are_named_and_the_rest_of_the_page_works()
    {
        var page = await app.SignedInPageAsync(Roles.ComplaintHandler, path: "/recordings?minDuration=abc&type=Fax&number=601234");
        await Expect(page.GetByTestId("filter-errors")).ToContainTextAsync("minDuration");
        await Expect(page.GetByTestId("filter-errors")).ToContainTextAsync("Fax");
        await Expect(Rows(page)).ToHaveCountAsync(2);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_call_whose_file_is_missing_says_so_and_offers_no_play()
    {
        var page = await app.SignedInPageAsync(Roles.ComplaintHandler, path: "/recordings?number=500100200");
        await Expect(Rows(page)).ToHaveCountAsync(1);
        await Expect(Rows(page).First.GetByTestId("file-missing")).ToBeVisibleAsync();
        await Expect(Rows(page).First.GetByTestId("row-play")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task On_a_390_px_phone_the_list_and_the_player_fit_and_work()
    {
        var page = await app.SignedInPageAsync(Roles.ComplaintHandler, width: 390, height: 844);
        await page.GetByTestId("filter-number").FillAsync("601234567");
        await Expect(page).ToHaveURLAsync(new Regex("number=601234567"));
        await Expect(Rows(page)).ToHaveCountAsync(2);
        Assert.True(await page.EvaluateAsync<bool>("() => document.scrollingElement.scrollWidth <= 390"), "the page scrolls sideways");

        await Rows(page).First.GetByTestId("row-play").ClickAsync();
        var player = page.GetByTestId("player");
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=audio-player]')?.currentTime > 0.5");
        var box = await player.BoundingBoxAsync();
        Assert.True(box!.X >= 0 && box.X + box.Width <= 390, $"player spans {box.X}..{box.X + box.Width}");
        await Expect(page.GetByTestId("player-seek")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("player-speed")).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => document.scrollingElement.scrollWidth <= 390"), "the page scrolls sideways with the player open");

        var download = await page.RunAndWaitForDownloadAsync(() => Rows(page).First.GetByTestId("row-download").ClickAsync());
        Assert.EndsWith(".wav", download.SuggestedFilename);
        await BrowserFixture.ScreenshotAsync(page, "phone-playing");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_team_quality_manager_sees_only_the_teams_calls_and_another_teams_call_is_not_found()
    {
        var page = await app.SignedInPageAsync(Roles.QualityManager, email: BrowserFixture.TeamManagerEmail);
        await Expect(Rows(page)).ToHaveCountAsync(3);
        await Expect(page.GetByTestId("result-count")).ToContainTextAsync("3");

        var otherTeam = await app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstAsync(
            db.Recordings.Where(r => r.Team == "Obsługa klienta")));
        await page.GotoAsync($"/recordings/{otherTeam.Id}");
        await BrowserFixture.WaitInteractiveAsync(page);
        await Expect(page.GetByTestId("recording-not-found")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_recording_page_shows_the_call_and_plays_it()
    {
        var page = await app.SignedInPageAsync(Roles.ComplaintHandler, path: $"/recordings/{app.Complaint.Id}");
        await Expect(page.GetByTestId("recording-details")).ToContainTextAsync(app.Complaint.Sha256);
        await Expect(page.GetByTestId("recording-details")).ToContainTextAsync("Anna Kowalska");
        await page.GetByTestId("player-play").ClickAsync();
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=audio-player]').currentTime > 0.3");

        // The keyboard: space pauses and resumes, → jumps five seconds ahead.
        await page.Locator("h1").First.ClickAsync();
        await page.Keyboard.PressAsync("Space");
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=audio-player]').paused");
        var before = await page.GetByTestId("audio-player").EvaluateAsync<double>("a => a.currentTime");
        await page.Keyboard.PressAsync("ArrowRight");
        var after = await page.GetByTestId("audio-player").EvaluateAsync<double>("a => a.currentTime");
        Assert.InRange(after - before, 4.9, 5.1);
        await page.Keyboard.PressAsync("Space");
        try
        {
            await page.WaitForFunctionAsync("() => !document.querySelector('[data-testid=audio-player]').paused");
        }
        catch (TimeoutException)
        {
            var state = await page.GetByTestId("audio-player").EvaluateAsync<string>(
                "a => JSON.stringify({ paused: a.paused, t: a.currentTime, ready: a.readyState, net: a.networkState, error: a.error && a.error.code, " +
                "msg: a.error && a.error.message, ended: a.ended, src: a.currentSrc, active: document.activeElement && document.activeElement.outerHTML.slice(0, 120) })");
            throw new TimeoutException("The player did not resume: " + state);
        }

        await page.GotoAsync("/recordings/99999999");
        await BrowserFixture.WaitInteractiveAsync(page);
        await Expect(page.GetByTestId("recording-not-found")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }
}
