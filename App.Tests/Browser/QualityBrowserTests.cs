using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using NagrywanieRozmow.Features.Quality;
using static Microsoft.Playwright.Assertions;

namespace NagrywanieRozmow.Tests.Browser;

/// <summary>A quality manager's audit: draw a blind sample, evaluate a call with a pinned answer, submit, see the agent.</summary>
[Collection(BrowserCollection.Name)]
public sealed class QualityBrowserTests(BrowserFixture app)
{
    [Fact]
    public async Task A_quality_manager_goes_from_a_sample_to_a_submitted_evaluation_with_a_pinned_comment()
    {
        await app.Services.GetRequiredService<Scorecards>().EnsureDemoAsync(new AuditActor("system (test)", null));
        var page = await app.SignedInPageAsync(Roles.QualityManager, path: "/quality/samples");
        var today = DateTime.Now.Date;
        await page.GetByTestId("sample-name").FillAsync("Obsługa klienta – tydzień");
        await page.GetByTestId("sample-from").FillAsync(today.AddDays(-7).ToString("yyyy-MM-dd"));
        await page.GetByTestId("sample-to").FillAsync(today.ToString("yyyy-MM-dd"));
        await page.GetByTestId("sample-agents").FillAsync("205");
        await page.GetByTestId("sample-count").FillAsync("2");
        await page.GetByTestId("sample-blind").ClickAsync();
        await page.GetByTestId("sample-create").ClickAsync();

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/quality/samples/\d+$")); // in-app step: no load event
        var items = page.GetByTestId("sample-item");
        await Expect(items).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("sample-seed-value")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^-?\d+$"));
        await Expect(items.First).ToContainTextAsync("ukryty");
        await items.First.GetByTestId("sample-item-open").ClickAsync();

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/quality/evaluations/\d+$"));
        await BrowserFixture.WaitInteractiveAsync(page);
        await Expect(page.GetByTestId("evaluation-agent")).ToHaveTextAsync("ukryty (tryb ślepy)");
        // Listen a little, then pin what was heard to that moment.
        await Expect(page.GetByTestId("player-play")).ToBeEnabledAsync();
        await page.GetByTestId("player-seek").FillAsync("2");
        await page.GetByTestId("player-seek").DispatchEventAsync("change");
        ILocator Question(string key) => page.Locator($"[data-testid=answer][data-question-key=\"{key}\"]");
        await Question("przedstawienie").GetByTestId("answer-yes").ClickAsync();
        await Question("weryfikacja").GetByTestId("answer-yes").ClickAsync();
        await Question("potrzeba").GetByTestId("answer-value").Nth(4).ClickAsync();
        await Question("potrzeba").GetByTestId("answer-pin").ClickAsync();
        await Expect(Question("potrzeba").GetByTestId("answer-pinned")).ToHaveTextAsync("0:02");
        await Expect(page.GetByTestId("player-mark")).ToHaveCountAsync(1);
        await Question("potrzeba").GetByTestId("answer-note").FillAsync("Dobre pytania otwarte");
        await Question("uprzejmosc").GetByTestId("answer-value").Nth(5).ClickAsync();
        await Question("pozegnanie").GetByTestId("answer-na").ClickAsync();

        // One question left open: submitting names it and changes nothing.
        await page.GetByTestId("evaluation-submit").ClickAsync();
        await Expect(page.GetByTestId("evaluation-problem")).ToContainTextAsync("Ustalony termin");
        await Question("kolejny-krok").GetByTestId("answer-points").FillAsync("3");
        // Powitanie 100 %, Rozmowa (2 × 4/5 + 5/5 + 3/3) / 4 = 90 %, Zakończenie n.d.: (100 + 2 × 90) / 3 = 93,3 %.
        await Expect(page.GetByTestId("evaluation-score")).ToHaveTextAsync("93,3 %");
        // A critical miss shows 0 % with the weighted score beside it and the question named; answered again, it is gone.
        await Question("weryfikacja").GetByTestId("answer-no").ClickAsync();
        await Expect(page.GetByTestId("evaluation-score")).ToContainTextAsync("0 %");
        await Expect(page.GetByTestId("score-weighted")).ToContainTextAsync("ważony 76,7 %");
        await Expect(page.GetByTestId("score-critical")).ToContainTextAsync("Zweryfikował tożsamość klienta");
        await Question("weryfikacja").GetByTestId("answer-yes").ClickAsync();
        await Expect(page.GetByTestId("evaluation-score")).ToHaveTextAsync("93,3 %");
        await page.GetByTestId("evaluation-submit").ClickAsync();

        await Expect(page.Locator("[data-testid=evaluation-state][data-state=Submitted]")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("evaluation-agent")).ToContainTextAsync("Magdalena Kamińska");
        await Expect(Question("potrzeba").GetByTestId("answer-note-text")).ToHaveTextAsync("Dobre pytania otwarte");
        await Expect(Question("potrzeba").GetByTestId("answer-pinned")).ToHaveTextAsync("0:02");
        await BrowserFixture.ScreenshotAsync(page, "quality-evaluation-submitted");

        var id = int.Parse(page.Url.Split('/').Last(), System.Globalization.CultureInfo.InvariantCulture);
        var stored = await app.WithDbAsync(db => db.Evaluations.Include(e => e.Answers).FirstAsync(e => e.Id == id));
        Assert.Equal((EvaluationState.Submitted, 93.3m), (stored.State, stored.Score!.Value));
        var pinned = Assert.Single(stored.Answers, a => a.StartMs is not null);
        Assert.InRange(pinned.StartMs!.Value, 1_500, 2_500);

        // The submitted evaluation is in the quality report: the team's row, the trend chart, the question's average.
        await page.GotoAsync("/quality/reports");
        await BrowserFixture.WaitInteractiveAsync(page);
        var team = page.Locator("[data-testid=report-team-row][data-key='Obsługa klienta']");
        await Expect(team.GetByTestId("report-row-average")).ToHaveTextAsync("93,3 %");
        await Expect(page.Locator("[data-testid=report-chart-teams] svg").First).ToBeVisibleAsync();
        await page.Locator(".mud-tab", new() { HasText = "Pytania" }).ClickAsync();
        await Expect(page.Locator("[data-testid=report-question-row][data-question-key=potrzeba]").GetByTestId("report-question-average")).ToHaveTextAsync("80 %");
        await BrowserFixture.ScreenshotAsync(page, "quality-report");
        await page.Context.CloseAsync();
    }
}
