using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using NagrywanieRozmow.Features.Access;
using NagrywanieRozmow.Features.Quality;
using static Microsoft.Playwright.Assertions;

namespace NagrywanieRozmow.Tests.Browser;

/// <summary>
/// A quality manager with the customer's call open for blind evaluation looks for it the ways a person would: the panel's
/// number search, the recording's own link, then the evaluation itself, which plays the call and shows the day only.
/// An administrator searching the same number sees the call as always.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BlindEvaluatorBrowserTests(BrowserFixture app)
{
    private const string Evaluator = "blind-evaluator@browser.test";
    private const string Audio = "document.querySelector('[data-testid=audio-player]')";

    private static ILocator Row(IPage page, long id) => page.Locator($"[data-testid=recording-row][data-recording-id=\"{id}\"]");

    [Fact]
    public async Task The_blind_evaluator_cannot_find_the_call_in_the_panel_or_by_its_link_but_hears_it_in_the_evaluation()
    {
        await using (var scope = app.Services.CreateAsyncScope())
            Assert.Empty(await scope.ServiceProvider.GetRequiredService<UserAccounts>().CreateAsync(Evaluator, BrowserFixture.Password, Roles.QualityManager, team: null, extension: null));
        var scorecards = app.Services.GetRequiredService<Scorecards>();
        await scorecards.EnsureDemoAsync(new AuditActor("system (test)", null));
        var version = (await scorecards.ListAsync()).First().LatestVersionId;
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(app.Complaint.StartedAt, TimeZoneInfo.FindSystemTimeZoneById("Europe/Warsaw")));
        var (sample, problems) = await app.Services.GetRequiredService<Samples>().CreateAsync("Ślepa kalibracja",
            new SampleCriteria(day, day, [], ["201"], [], 0, null, 1, false), 1, version, [Evaluator], blind: true, calibration: false,
            TestAuth.Principal("admin@browser.test", Roles.Administrator), new AuditActor("admin@browser.test", null));
        Assert.Empty(problems);
        var evaluation = await app.WithDbAsync(db => db.Evaluations.SingleAsync(e => e.SampleId == sample!.Id));
        Assert.Equal(app.Complaint.Id, evaluation.RecordingId);

        // The panel: the customer's number finds their older call, never the one under evaluation.
        var page = await app.SignedInPageAsync(Roles.QualityManager, email: Evaluator);
        await page.GetByTestId("filter-number").FillAsync("601 234");
        await Expect(page).ToHaveURLAsync(new Regex("number=601"));
        await Expect(Row(page, app.OlderComplaint.Id)).ToHaveCountAsync(1);
        await Expect(Row(page, app.Complaint.Id)).ToHaveCountAsync(0);
        await Expect(page.Locator("body")).Not.ToContainTextAsync("Anna Kowalska");
        await BrowserFixture.ScreenshotAsync(page, "blind-evaluator-panel");

        // The recording's own link says what it says for another team's call, and the attempt is written down.
        await page.GotoAsync($"/recordings/{app.Complaint.Id}");
        await BrowserFixture.WaitInteractiveAsync(page);
        await Expect(page.GetByTestId("recording-not-found")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("player")).ToHaveCountAsync(0);
        var attempt = await app.WithDbAsync(db => db.AuditLog.Where(a => a.Actor == Evaluator && a.RecordingId == app.Complaint.Id).ToListAsync());
        Assert.Contains(attempt, a => a.Action == AuditActions.RecordingAccess && a.Reason == AuditLog.WithheldReason && a.Details!.Contains($"/recordings/{app.Complaint.Id}"));

        // The evaluation: agent hidden, the day without the hour, and the call plays through the evaluation's own route.
        await page.GotoAsync($"/quality/evaluations/{evaluation.Id}");
        await BrowserFixture.WaitInteractiveAsync(page);
        await Expect(page.GetByTestId("evaluation-agent")).ToHaveTextAsync("ukryty (tryb ślepy)");
        var local = TimeZoneInfo.ConvertTimeFromUtc(app.Complaint.StartedAt, TimeZoneInfo.FindSystemTimeZoneById("Europe/Warsaw"));
        await Expect(page.Locator("main")).ToContainTextAsync(local.ToString("dd.MM.yyyy"));
        await Expect(page.Locator("main")).Not.ToContainTextAsync(local.ToString("HH:mm"));
        await Expect(page.GetByTestId("player-play")).ToBeEnabledAsync();
        await page.GetByTestId("player-play").ClickAsync();
        await page.WaitForFunctionAsync($"() => !{Audio}.paused && {Audio}.currentTime > 0.3");
        Assert.Contains($"/api/v1/evaluations/{evaluation.Id}/audio", await page.EvaluateAsync<string>($"() => {Audio}.currentSrc"));
        Assert.DoesNotContain($"/recordings/{app.Complaint.Id}", await page.ContentAsync());
        await BrowserFixture.ScreenshotAsync(page, "blind-evaluator-evaluation");

        // An administrator's view is unchanged.
        var admin = await app.SignedInPageAsync(Roles.Administrator, path: "/recordings?number=601234");
        await Expect(Row(admin, app.Complaint.Id)).ToHaveCountAsync(1);
        await Expect(Row(admin, app.Complaint.Id)).ToContainTextAsync("Anna Kowalska");
    }
}
