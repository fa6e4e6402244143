using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Features.Quality;

namespace NagrywanieRozmow.Tests.Features.Quality;

/// <summary>
/// The scorecard editor as a quality manager uses it: a new card is stored as version 1, each change of the questions makes
/// a new version, a bad form is refused naming what is wrong, and a card can be archived and brought back.
/// The clock stands at 24.11.2026 09:00 UTC (10:00 in Warsaw).
/// </summary>
public sealed class ScorecardEditorTests : MudTestContext
{
    private const string Manager = "jakosc@example.com";
    private static readonly AuditActor ManagerActor = new(Manager, "10.0.0.5");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Auth.SetAuthorized(Manager);
        Auth.SetRoles(Roles.QualityManager);
        SignIn(Policies.ManageScorecards);
    }

    private Scorecards Cards => Services.GetRequiredService<Scorecards>();
    private NavigationManager Nav => Services.GetRequiredService<NavigationManager>();

    private IRenderedComponent<ScorecardEditorPage> Open(int? id = null)
    {
        Nav.NavigateTo(id is null ? "/quality/scorecards/new" : $"/quality/scorecards/{id}");
        var page = Render<ScorecardEditorPage>(p => p.Add(x => x.Id, id));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=question-text]")));
        return page;
    }

    /// <summary>The card as stored: every version's number and its question keys, oldest first.</summary>
    private List<(string Name, int Number, List<string> Keys)> Stored() => WithDb(db => db.ScorecardVersions.Include(v => v.Scorecard).OrderBy(v => v.Id).AsEnumerable()
        .Select(v => (v.Scorecard!.Name, v.Number, ScorecardForm.FromJson(v.Definition).Questions.Select(q => q.Key).ToList())).ToList());

    private static IElement Input(IRenderedComponent<ScorecardEditorPage> page, string testId, int index = 0) =>
        page.FindAll($"[data-testid={testId}]")[index];

    private static List<string> Problems(IRenderedComponent<ScorecardEditorPage> page) =>
        page.FindAll("[data-testid=scorecard-problem]").Select(p => p.TextContent.Trim()).ToList();

    private static void Save(IRenderedComponent<ScorecardEditorPage> page) => page.Find("[data-testid=scorecard-save]").Click();

    /// <summary>A card made through the service, as another manager (or an earlier visit) left it: version 1, two questions.</summary>
    private async Task<int> StoredCardAsync()
    {
        var form = new ScorecardForm([new FormSection("Powitanie", 1,
        [
            new FormQuestion("przedstawienie", "Przedstawił się imieniem i nazwą firmy", QuestionKind.YesNo, AllowNotApplicable: false),
            new FormQuestion("weryfikacja", "Zweryfikował tożsamość klienta", QuestionKind.YesNo, Critical: true),
        ])]);
        var (version, _, problems) = await Cards.SaveAsync(0, "Infolinia", null, form, ManagerActor);
        Assert.Empty(problems);
        return version!.ScorecardId;
    }

    [Fact]
    public async Task A_new_card_with_a_section_and_a_question_is_stored_as_version_1_and_opened()
    {
        var page = Open();
        Assert.Empty(page.FindAll("[data-testid=scorecard-archive]"));
        Input(page, "scorecard-name").Change("Reklamacje – standard");
        Input(page, "section-title").Change("Powitanie");
        Input(page, "question-text").Change("Przedstawił się z imienia");
        // The key follows the text, without Polish letters, until the card is saved.
        Assert.Equal("przedstawil-sie-z-imienia", Input(page, "question-key").GetAttribute("value"));
        Save(page);

        page.WaitForAssertion(() => Assert.Single(Stored()));
        var (name, number, keys) = Stored().Single();
        Assert.Equal("Reklamacje – standard", name);
        Assert.Equal(1, number);
        Assert.Equal(["przedstawil-sie-z-imienia"], keys);
        var revision = (await Cards.ListAsync()).Single();
        Assert.Equal(1, revision.LatestVersion);
        var form = (await Cards.LatestAsync(revision.Id))!.Form;
        Assert.Equal("Powitanie", Assert.Single(form.Sections).Title);
        Assert.Equal("Przedstawił się z imienia", Assert.Single(form.Questions).Text);
        Assert.Empty(Problems(page));
        // The editor moves to the stored card's own address.
        Assert.EndsWith($"/quality/scorecards/{revision.Id}", Nav.Uri);
        var saved = Assert.Single(WithDb(db => db.AuditLog.Where(a => a.Action == AuditActions.ScorecardSaved).ToList()));
        Assert.Equal(Manager, saved.Actor);
    }

    [Fact]
    public async Task A_changed_question_makes_version_2_and_the_list_shows_both_versions()
    {
        var id = await StoredCardAsync();
        var page = Open(id);
        Assert.Single(page.FindAll("[data-testid=scorecard-version-row]"));
        Assert.Equal(2, page.FindAll("[data-testid=scorecard-question]").Count);
        // A saved question keeps its key: answers and reports use it.
        Assert.True(Input(page, "question-key", 1).HasAttribute("disabled"));

        Input(page, "question-text", 1).Change("Zweryfikował tożsamość (PESEL lub numer klienta)");
        page.Find("[data-testid=section-add-question]").Click();
        Input(page, "question-text", 2).Change("Podsumował rozmowę");
        Save(page);

        page.WaitForAssertion(() => Assert.Equal("Zapisano wersję 2.", page.Find("[data-testid=scorecard-saved]").TextContent.Trim()));
        Assert.Equal([("Infolinia", 1, "przedstawienie,weryfikacja"), ("Infolinia", 2, "przedstawienie,weryfikacja,podsumowal-rozmowe")],
            Stored().Select(v => (v.Name, v.Number, string.Join(",", v.Keys))));
        var latest = (await Cards.LatestAsync(id))!;
        Assert.Equal(2, latest.Version.Number);
        Assert.Equal("Zweryfikował tożsamość (PESEL lub numer klienta)", latest.Form.Find("weryfikacja")!.Text);

        var rows = page.FindAll("[data-testid=scorecard-version-row]").Select(r => string.Join(" | ", r.QuerySelectorAll("td").Select(td => td.TextContent.Trim()))).ToList();
        Assert.Equal(["v2 | 24.11.2026 10:00 | " + Manager, "v1 | 24.11.2026 10:00 | " + Manager], rows);
        // Saving again without a change makes no version 3.
        Save(page);
        page.WaitForAssertion(() => Assert.Equal("Bez zmian: wersja pozostaje ta sama.", page.Find("[data-testid=scorecard-saved]").TextContent.Trim()));
        Assert.Equal(2, Stored().Count);
        Assert.Equal(2, page.FindAll("[data-testid=scorecard-version-row]").Count);
    }

    [Fact]
    public void A_card_without_a_name_is_refused_and_nothing_is_stored()
    {
        var page = Open();
        Input(page, "section-title").Change("Powitanie");
        Input(page, "question-text").Change("Przedstawił się");
        Save(page);

        page.WaitForAssertion(() => Assert.Equal(["Podaj nazwę karty (1–200 znaków)."], Problems(page)));
        Assert.Empty(Stored());
        Assert.EndsWith("/quality/scorecards/new", Nav.Uri);
        Assert.Empty(page.FindAll("[data-testid=scorecard-saved]"));
    }

    [Fact]
    public void A_section_without_questions_is_refused_naming_the_section()
    {
        var page = Open();
        Input(page, "scorecard-name").Change("Sprzedaż");
        Input(page, "section-title").Change("Powitanie");
        page.Find("[data-testid=question-remove]").Click();
        Assert.Empty(page.FindAll("[data-testid=scorecard-question]"));
        Save(page);

        page.WaitForAssertion(() => Assert.Equal(["Sekcja „Powitanie” nie ma pytań."], Problems(page)));
        Assert.Empty(Stored());
        Assert.EndsWith("/quality/scorecards/new", Nav.Uri);
    }

    [Fact]
    public void Two_questions_with_the_same_key_are_refused_naming_the_key()
    {
        var page = Open();
        Input(page, "scorecard-name").Change("Sprzedaż");
        Input(page, "section-title").Change("Rozmowa");
        Input(page, "question-text").Change("Rozpoznanie potrzeby");
        page.Find("[data-testid=section-add-question]").Click();
        Input(page, "question-text", 1).Change("Rozpoznanie potrzeby");
        Save(page);

        page.WaitForAssertion(() => Assert.Equal(["Dwa pytania mają ten sam klucz „rozpoznanie-potrzeby”."], Problems(page)));
        Assert.Empty(Stored());
    }

    [Fact]
    public void A_key_typed_with_capitals_or_spaces_is_refused_naming_the_key_and_the_question()
    {
        var page = Open();
        Input(page, "scorecard-name").Change("Sprzedaż");
        Input(page, "section-title").Change("Rozmowa");
        Input(page, "question-text").Change("Ustalił kolejny krok");
        Input(page, "question-key").Change("Kolejny krok");
        Save(page);

        page.WaitForAssertion(() => Assert.Equal(["Klucz „Kolejny krok” pytania „Ustalił kolejny krok” może zawierać tylko małe litery a–z, cyfry i „-”."], Problems(page)));
        Assert.Empty(Stored());
    }

    [Fact]
    public void A_key_made_from_a_text_with_letters_outside_a_z_is_one_the_form_accepts()
    {
        var page = Open();
        Input(page, "scorecard-name").Change("Sprzedaż");
        Input(page, "section-title").Change("Rozmowa");
        Input(page, "question-text").Change("Straße – Øresund 2");
        Assert.Equal("stra-e-resund-2", Input(page, "question-key").GetAttribute("value"));
        Save(page);

        page.WaitForAssertion(() => Assert.Single(Stored()));
        Assert.Equal(["stra-e-resund-2"], Stored().Single().Keys);
        Assert.Empty(Problems(page));
    }

    [Fact]
    public void A_cleared_key_or_section_title_is_refused_rather_than_failing()
    {
        var page = Open();
        Input(page, "scorecard-name").Change("Sprzedaż");
        Input(page, "section-title").Change("Rozmowa");
        Input(page, "question-text").Change("Ustalił kolejny krok");
        Input(page, "question-key").Change("");
        Input(page, "section-title").Change("");
        Save(page);

        page.WaitForAssertion(() => Assert.Equal(["Sekcja 1 nie ma tytułu.", "Pytanie „Ustalił kolejny krok” potrzebuje klucza (1–40 znaków)."], Problems(page)));
        Assert.Empty(Stored());
    }

    [Fact]
    public async Task A_bad_change_to_a_stored_card_makes_no_new_version()
    {
        var id = await StoredCardAsync();
        var page = Open(id);
        page.Find("[data-testid=scorecard-add-section]").Click();
        Input(page, "section-title", 1).Change("Zakończenie");
        Input(page, "section-weight", 1).Change("0");
        Input(page, "question-text", 2).Change("Pożegnał się");
        Save(page);

        page.WaitForAssertion(() => Assert.Equal(["Sekcja „Zakończenie” potrzebuje wagi większej od 0."], Problems(page)));
        Assert.Equal([1], Stored().Select(v => v.Number));
        Assert.Single(page.FindAll("[data-testid=scorecard-version-row]"));
        Assert.Empty(page.FindAll("[data-testid=scorecard-saved]"));
    }

    [Fact]
    public async Task Archiving_hides_the_card_from_new_samples_and_unarchiving_brings_it_back()
    {
        var id = await StoredCardAsync();
        var page = Open(id);
        var button = page.Find("[data-testid=scorecard-archive]");
        Assert.Equal("Archiwizuj", button.TextContent.Trim());

        button.Click();
        page.WaitForAssertion(() => Assert.Equal("Przywróć z archiwum", page.Find("[data-testid=scorecard-archive]").TextContent.Trim()));
        Assert.True(WithDb(db => db.Scorecards.Single(s => s.Id == id).Archived));
        Assert.Empty(await Cards.ListAsync(includeArchived: false));
        var entry = Assert.Single(WithDb(db => db.AuditLog.Where(a => a.Action == AuditActions.ScorecardArchived).ToList()));
        Assert.Equal(Manager, entry.Actor);
        // Archiving keeps every version.
        Assert.Equal([1], Stored().Select(v => v.Number));

        page.Find("[data-testid=scorecard-archive]").Click();
        page.WaitForAssertion(() => Assert.Equal("Archiwizuj", page.Find("[data-testid=scorecard-archive]").TextContent.Trim()));
        Assert.False(WithDb(db => db.Scorecards.Single(s => s.Id == id).Archived));
        Assert.Single(await Cards.ListAsync(includeArchived: false));
    }

    [Fact]
    public void A_card_that_does_not_exist_says_so()
    {
        Nav.NavigateTo("/quality/scorecards/999");
        var page = Render<ScorecardEditorPage>(p => p.Add(x => x.Id, 999));
        page.WaitForAssertion(() => Assert.Equal("Nie ma takiej karty oceny.", page.Find("[data-testid=scorecard-not-found]").TextContent.Trim()));
        Assert.Empty(page.FindAll("[data-testid=scorecard-save]"));
    }
}
