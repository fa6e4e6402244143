using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Extensions;
using NagrywanieRozmow.Features.Access;
using NagrywanieRozmow.Features.Quality;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Tests.Features.Quality;

/// <summary>
/// The sample form as a quality manager fills it in. The clock stands at Tuesday 24.11.2026, so the form opens on the last
/// full week, 16–22.11.2026. Calls in that week: six of extension 201 (60 s), four of 202 (60 s), two short ones of 201
/// (20 s) and two of 301 in another team; one more of 201 falls the week before.
/// </summary>
public sealed class SampleFormTests : MudTestContext
{
    private const string Manager = "jakosc@example.com", SecondManager = "jakosc2@example.com";
    private static readonly AuditActor ManagerActor = new(Manager, "10.0.0.5");
    private static readonly DateTime Monday = new(2026, 11, 16, 7, 0, 0, DateTimeKind.Utc);
    private int versionId;

    public SampleFormTests()
    {
        Services.AddSingleton<Sampler>();
        Services.AddSingleton<Samples>();
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Auth.SetAuthorized(Manager);
        Auth.SetRoles(Roles.QualityManager);
        SignIn(Policies.RunQualityAudits);
        await WithDbAsync(async db =>
        {
            var roles = new[] { Roles.QualityManager, Roles.Agent }.ToDictionary(r => r, r => new IdentityRole(r) { NormalizedName = r.ToUpperInvariant() });
            db.Roles.AddRange(roles.Values);
            foreach (var (email, role, team, disabled) in new[]
            {
                (Manager, Roles.QualityManager, (string?)null, false), (SecondManager, Roles.QualityManager, null, false),
                ("byly@example.com", Roles.QualityManager, null, true), ("agent201@example.com", Roles.Agent, "Reklamacje", false),
            })
            {
                var user = new AppUser { UserName = email, NormalizedUserName = email.ToUpperInvariant(), Email = email, NormalizedEmail = email.ToUpperInvariant(),
                    Team = team, IsDisabled = disabled };
                db.Users.Add(user);
                db.UserRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = roles[role].Id });
            }
            var calls = new List<Recording>();
            for (var i = 0; i < 6; i++) calls.Add(TestData.Recording(startedAt: Monday.AddDays(i).AddHours(1), extension: "201", durationSeconds: 60));
            for (var i = 0; i < 4; i++) calls.Add(TestData.Recording(startedAt: Monday.AddDays(i).AddHours(2), extension: "202", userName: "Piotr Nowak", durationSeconds: 60));
            for (var i = 0; i < 2; i++) calls.Add(TestData.Recording(startedAt: Monday.AddDays(i).AddHours(3), extension: "201", durationSeconds: 20));
            for (var i = 0; i < 2; i++) calls.Add(TestData.Recording(startedAt: Monday.AddDays(i).AddHours(4), extension: "301", userName: "Ewa Lis", team: "Sprzedaż", durationSeconds: 60));
            calls.Add(TestData.Recording(startedAt: Monday.AddDays(-1), extension: "201", durationSeconds: 60));
            db.Recordings.AddRange(calls);
            db.Directory.Add(new DirectoryEntry { Extension = "301", DisplayName = "Ewa Lis", Team = "Sprzedaż" });
            await db.SaveChangesAsync();
        });
        await Services.GetRequiredService<Scorecards>().EnsureDemoAsync(ManagerActor);
        versionId = (await Services.GetRequiredService<Scorecards>().ListAsync()).Single().LatestVersionId;
    }

    private Sampler Sampler => Services.GetRequiredService<Sampler>();
    private Samples SampleService => Services.GetRequiredService<Samples>();
    private NavigationManager Nav => Services.GetRequiredService<NavigationManager>();

    private IRenderedComponent<SamplesPage> Open(string url = "/quality/samples")
    {
        Nav.NavigateTo(url);
        var page = Render<SamplesPage>();
        page.WaitForAssertion(() => Assert.Equal(versionId, Select<int>(page, "sample-scorecard").Instance.GetState(x => x.Value)));
        return page;
    }

    private static IRenderedComponent<MudSelect<T>> Select<T>(IRenderedComponent<SamplesPage> page, string testId) =>
        page.FindComponents<MudSelect<T>>().Single(s => Equals(s.Instance.UserAttributes.GetValueOrDefault("data-testid"), testId));

    /// <summary>Chooses the values in a multi-select, as ticking them in its list does.</summary>
    private static Task ChooseAsync<T>(IRenderedComponent<SamplesPage> page, string testId, params T[] values)
    {
        var select = Select<T>(page, testId);
        return page.InvokeAsync(() => select.Instance.SelectedValuesChanged.InvokeAsync(values));
    }

    private static Task ChooseOneAsync<T>(IRenderedComponent<SamplesPage> page, string testId, T value)
    {
        var select = Select<T>(page, testId);
        return page.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(value));
    }

    private static IElement Field(IRenderedComponent<SamplesPage> page, string testId) => page.Find($"[data-testid={testId}]");

    private static IElement Switch(IRenderedComponent<SamplesPage> page, string testId) =>
        page.Find($"[data-testid={testId}]") is { TagName: "INPUT" } input ? input : page.Find($"[data-testid={testId}] input");

    private static List<string> Problems(IRenderedComponent<SamplesPage> page) =>
        page.FindAll("[data-testid=sample-problem]").Select(p => p.TextContent.Trim()).ToList();

    private List<AuditSample> StoredSamples() => WithDb(db => db.AuditSamples.Include(s => s.Items).OrderBy(s => s.Id).ToList());

    private static SampleCriteria Week(int? perAgent = null, int? total = null, IReadOnlyList<string>? teams = null, IReadOnlyList<string>? agents = null,
        IReadOnlyList<CallType>? types = null, int minDuration = 0, bool excludeEvaluated = true) =>
        new(new DateOnly(2026, 11, 16), new DateOnly(2026, 11, 22), teams ?? [], agents ?? [], types ?? [], minDuration, perAgent, total, excludeEvaluated);

    private async Task<(int Picked, int Candidates)> DrawAsync(SampleCriteria criteria, int seed = 0)
    {
        var (calls, candidates, problem) = await Sampler.PickAsync(criteria, seed, TestAuth.Principal(Manager, Roles.QualityManager));
        Assert.Null(problem);
        return (calls.Count, candidates);
    }

    [Fact]
    public void The_form_opens_on_last_week_with_the_card_and_me_as_evaluator()
    {
        var page = Open();
        Assert.Equal("2026-11-16", Field(page, "sample-from").GetAttribute("value"));
        Assert.Equal("2026-11-22", Field(page, "sample-to").GetAttribute("value"));
        Assert.Equal([Manager], Select<string>(page, "sample-evaluators").Instance.GetState(x => x.SelectedValues));
        Assert.True(Select<bool>(page, "sample-mode").Instance.GetState(x => x.Value));
        Assert.Equal("5", Field(page, "sample-count").GetAttribute("value"));
        Assert.Equal("true", Switch(page, "sample-exclude-evaluated").GetAttribute("aria-checked"));
        Assert.Equal("samples-empty", page.Find("[data-testid=samples-empty]").GetAttribute("data-testid"));
        // Only active quality managers and administrators may evaluate; the teams come from the accounts and the directory.
        var evaluators = Select<string>(page, "sample-evaluators").FindComponents<MudSelectItem<string>>().Select(i => i.Instance.Value).ToList();
        Assert.Equal([SecondManager, Manager], evaluators);
        Assert.Equal(["Reklamacje", "Sprzedaż"], Select<string>(page, "sample-team").FindComponents<MudSelectItem<string>>().Select(i => i.Instance.Value));
    }

    [Fact]
    public async Task Preview_shows_how_many_calls_the_sampler_would_draw()
    {
        var page = Open();
        Field(page, "sample-count").Change("3");
        page.Find("[data-testid=sample-preview]").Click();

        // Per agent: 3 of 201's eight, 3 of 202's four, both of 301's two.
        Assert.Equal((8, 14), await DrawAsync(Week(perAgent: 3)));
        page.WaitForAssertion(() => Assert.Equal("Zostanie wylosowanych 8 z 14 pasujących rozmów.", page.Find("[data-testid=sample-preview-result]").TextContent.Trim()));

        // Narrowed to a team, calls of a minute or more, and a total instead of a count per agent.
        await ChooseAsync(page, "sample-team", "Reklamacje");
        Field(page, "sample-min-duration").Change("30");
        await ChooseOneAsync(page, "sample-mode", false);
        Field(page, "sample-count").Change("7");
        page.Find("[data-testid=sample-preview]").Click();

        Assert.Equal((7, 10), await DrawAsync(Week(total: 7, teams: ["Reklamacje"], minDuration: 30)));
        page.WaitForAssertion(() => Assert.Equal("Zostanie wylosowanych 7 z 10 pasujących rozmów.", page.Find("[data-testid=sample-preview-result]").TextContent.Trim()));

        // One agent, more than there are: all of that agent's calls.
        Field(page, "sample-agents").Change("202");
        page.Find("[data-testid=sample-preview]").Click();
        page.WaitForAssertion(() => Assert.Equal("Zostanie wylosowanych 4 z 4 pasujących rozmów.", page.Find("[data-testid=sample-preview-result]").TextContent.Trim()));
        Assert.Empty(Problems(page));
        // A preview stores nothing.
        Assert.Empty(StoredSamples());
    }

    [Fact]
    public async Task Creating_stores_the_sample_with_the_given_seed_and_it_is_listed()
    {
        var page = Open();
        Field(page, "sample-name").Change("Listopad, tydzień 47");
        await ChooseOneAsync(page, "sample-mode", false);
        Field(page, "sample-count").Change("4");
        await ChooseAsync(page, "sample-evaluators", Manager, SecondManager);
        Field(page, "sample-seed").Change("1234");
        Switch(page, "sample-blind").Change(true);
        page.Find("[data-testid=sample-create]").Click();

        page.WaitForAssertion(() => Assert.Single(StoredSamples()));
        var sample = StoredSamples().Single();
        Assert.Equal("Listopad, tydzień 47", sample.Name);
        Assert.Equal(1234, sample.Seed);
        Assert.True(sample.Blind);
        Assert.Equal(versionId, sample.ScorecardVersionId);
        Assert.Equal(Manager, sample.CreatedBy);
        Assert.Equal(Week(total: 4).ToJson(), sample.Criteria);
        // The same calls in the same order as the sampler draws with that seed.
        var expected = (await Sampler.PickAsync(Week(total: 4), 1234, TestAuth.Principal(Manager, Roles.QualityManager))).Calls.Select(c => c.RecordingId);
        Assert.Equal(expected, sample.Items.OrderBy(i => i.Position).Select(i => i.RecordingId));
        // Handed round robin to the two evaluators.
        var evaluators = WithDb(db => db.Evaluations.Where(e => e.SampleId == sample.Id).GroupBy(e => e.Evaluator).Select(g => new { g.Key, Count = g.Count() }).ToList());
        Assert.Equal([(Manager, 2), (SecondManager, 2)], evaluators.OrderBy(e => e.Key).Select(e => (e.Key, e.Count)));
        Assert.Empty(Problems(page));
        Assert.EndsWith($"/quality/samples/{sample.Id}", Nav.Uri);

        var list = Open();
        var row = list.Find("[data-testid=sample-row]");
        Assert.Equal(sample.Id.ToString(), row.GetAttribute("data-sample-id"));
        var cells = row.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList();
        Assert.StartsWith("Listopad, tydzień 47", cells[0]);
        Assert.Equal(["24.11.2026 10:00", Manager, "1234", "4", "0 / 4"], cells.Skip(1));
    }

    [Fact]
    public void A_period_that_ends_before_it_starts_is_refused_and_nothing_is_stored()
    {
        var page = Open();
        Field(page, "sample-name").Change("Odwrotnie");
        Field(page, "sample-from").Change("2026-11-22");
        Field(page, "sample-to").Change("2026-11-16");
        page.Find("[data-testid=sample-create]").Click();

        page.WaitForAssertion(() => Assert.Equal(["Początek okresu jest po jego końcu."], Problems(page)));
        Assert.Empty(StoredSamples());
        Assert.EndsWith("/quality/samples", Nav.Uri);

        page.Find("[data-testid=sample-preview]").Click();
        page.WaitForAssertion(() => Assert.Equal(["Początek okresu jest po jego końcu."], Problems(page)));
        Assert.Empty(page.FindAll("[data-testid=sample-preview-result]"));
    }

    [Fact]
    public async Task No_evaluator_is_refused_and_nothing_is_stored()
    {
        var page = Open();
        Field(page, "sample-name").Change("Bez oceniających");
        await ChooseAsync<string>(page, "sample-evaluators");
        page.Find("[data-testid=sample-create]").Click();

        page.WaitForAssertion(() => Assert.Equal(["Wybierz co najmniej jednego oceniającego."], Problems(page)));
        Assert.Empty(StoredSamples());
        Assert.Empty(WithDb(db => db.Evaluations.ToList()));
        Assert.EndsWith("/quality/samples", Nav.Uri);
    }

    [Fact]
    public void A_count_of_0_cannot_be_given_the_field_holds_1_to_1000()
    {
        var page = Open();
        Field(page, "sample-name").Change("Zero");
        Field(page, "sample-count").Change("0");
        Assert.Equal("1", Field(page, "sample-count").GetAttribute("value"));
        Field(page, "sample-count").Change("5000");
        Assert.Equal("1000", Field(page, "sample-count").GetAttribute("value"));
        Field(page, "sample-count").Change("0");
        page.Find("[data-testid=sample-create]").Click();

        // One call of each agent: 201, 202 and 301.
        page.WaitForAssertion(() => Assert.Single(StoredSamples()));
        Assert.Equal(Week(perAgent: 1).ToJson(), StoredSamples().Single().Criteria);
        Assert.Equal(3, StoredSamples().Single().Items.Count);
        Assert.Empty(Problems(page));
    }

    [Fact]
    public void Several_bad_inputs_are_all_named_and_nothing_is_stored()
    {
        var page = Open();
        Field(page, "sample-seed").Change("12a");
        Field(page, "sample-min-duration").Change("90000");
        page.Find("[data-testid=sample-create]").Click();

        page.WaitForAssertion(() => Assert.Equal(["Ziarno musi być liczbą całkowitą (albo puste)."], Problems(page)));
        Field(page, "sample-seed").Change("12");
        page.Find("[data-testid=sample-create]").Click();
        page.WaitForAssertion(() => Assert.Equal(["Minimalna długość musi wynosić 0–86400 s.", "Podaj nazwę próby (1–200 znaków)."], Problems(page)));
        Assert.Empty(StoredSamples());
    }

    [Fact]
    public async Task From_a_stored_sample_the_form_is_refilled_with_everything_and_draws_the_same_calls_for_the_same_evaluators()
    {
        var criteria = Week(total: 3, teams: ["Reklamacje"], agents: ["201", "202"], types: [CallType.Incoming], minDuration: 30, excludeEvaluated: false);
        var (first, problems) = await SampleService.CreateAsync("Tydzień 47", criteria, 777, versionId, [SecondManager, Manager], blind: true, calibration: false,
            TestAuth.Principal(Manager, Roles.QualityManager), ManagerActor);
        Assert.Empty(problems);

        var page = Open($"/quality/samples?from={first!.Id}");
        Assert.Equal("Tydzień 47", Field(page, "sample-name").GetAttribute("value"));
        Assert.Equal("2026-11-16", Field(page, "sample-from").GetAttribute("value"));
        Assert.Equal("2026-11-22", Field(page, "sample-to").GetAttribute("value"));
        Assert.Equal(["Reklamacje"], Select<string>(page, "sample-team").Instance.GetState(x => x.SelectedValues));
        Assert.Equal("201, 202", Field(page, "sample-agents").GetAttribute("value"));
        Assert.Equal([CallType.Incoming], Select<CallType>(page, "sample-type").Instance.GetState(x => x.SelectedValues));
        Assert.Equal("30", Field(page, "sample-min-duration").GetAttribute("value"));
        Assert.False(Select<bool>(page, "sample-mode").Instance.GetState(x => x.Value));
        Assert.Equal("3", Field(page, "sample-count").GetAttribute("value"));
        Assert.Equal("777", Field(page, "sample-seed").GetAttribute("value"));
        Assert.Equal("false", Switch(page, "sample-exclude-evaluated").GetAttribute("aria-checked"));
        Assert.Equal("true", Switch(page, "sample-blind").GetAttribute("aria-checked"));
        Assert.Equal(versionId, Select<int>(page, "sample-scorecard").Instance.GetState(x => x.Value));
        Assert.Equal([SecondManager, Manager], Select<string>(page, "sample-evaluators").Instance.GetState(x => x.SelectedValues));
        Assert.Equal("false", Switch(page, "sample-calibration").GetAttribute("aria-checked"));

        page.Find("[data-testid=sample-create]").Click();
        page.WaitForAssertion(() => Assert.Equal(2, StoredSamples().Count));
        var (original, again) = (StoredSamples()[0], StoredSamples()[1]);
        Assert.Equal(777, again.Seed);
        Assert.Equal(original.Criteria, again.Criteria);
        Assert.Equal(original.Items.OrderBy(i => i.Position).Select(i => i.RecordingId), again.Items.OrderBy(i => i.Position).Select(i => i.RecordingId));
        // Evaluator by evaluator: the same call at the same position goes to the same person.
        Assert.Equal(Assignments(original.Id), Assignments(again.Id));
        Assert.Equal([SecondManager, Manager, SecondManager], Assignments(again.Id).Select(a => a.Evaluator));
    }

    [Fact]
    public async Task Drawing_a_calibration_again_gives_every_call_to_every_evaluator_again()
    {
        var (first, problems) = await SampleService.CreateAsync("Kalibracja", Week(total: 2, excludeEvaluated: false), 5, versionId, [Manager, SecondManager],
            blind: false, calibration: true, TestAuth.Principal(Manager, Roles.QualityManager), ManagerActor);
        Assert.Empty(problems);
        var page = Open($"/quality/samples?from={first!.Id}");
        Assert.Equal("true", Switch(page, "sample-calibration").GetAttribute("aria-checked"));
        page.Find("[data-testid=sample-create]").Click();
        page.WaitForAssertion(() => Assert.Equal(2, StoredSamples().Count));
        Assert.Equal(Assignments(first.Id), Assignments(StoredSamples()[1].Id));
        Assert.Equal(4, Assignments(first.Id).Count);
    }

    /// <summary>Who evaluates which call of a sample: (position, recording, evaluator), in order.</summary>
    private List<(int Position, long RecordingId, string Evaluator)> Assignments(int sampleId) => WithDb(db => db.Evaluations.Where(e => e.SampleId == sampleId)
        .Join(db.SampleItems, e => e.SampleItemId, i => i.Id, (e, i) => new { i.Position, i.RecordingId, e.Evaluator }).ToList())
        .Select(a => (a.Position, a.RecordingId, a.Evaluator)).OrderBy(a => a.Position).ThenBy(a => a.Evaluator).ToList();

    [Fact]
    public void From_a_sample_that_does_not_exist_the_form_opens_as_usual()
    {
        var page = Open("/quality/samples?from=999");
        Assert.True(string.IsNullOrEmpty(Field(page, "sample-name").GetAttribute("value")));
        Assert.True(string.IsNullOrEmpty(Field(page, "sample-seed").GetAttribute("value")));
        Assert.Equal("2026-11-16", Field(page, "sample-from").GetAttribute("value"));
        Assert.True(Select<bool>(page, "sample-mode").Instance.GetState(x => x.Value));
    }
}
