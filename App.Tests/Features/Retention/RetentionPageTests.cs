using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Features.Retention;

namespace NagrywanieRozmow.Tests.Features.Retention;

/// <summary>
/// The administrators' retention page: what saves at once, what asks first (and how many recordings it names per rule), and
/// what is refused. The clock stands at 24.11.2026 10:00 in Warsaw; the next purge is 25.11.2026 02:30 there (01:30 UTC).
/// </summary>
public sealed class RetentionPageTests : MudTestContext
{
    private static readonly DateTime NextPurge = new(2026, 11, 25, 1, 30, 0, DateTimeKind.Utc);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Auth.SetAuthorized("admin@example.com");
        Auth.SetRoles(Roles.Administrator);
        SignIn(Policies.ManageRetention);
    }

    /// <summary>A recording that is <paramref name="daysOld"/> days old at the next purge (plus an hour, clear of the cut-off).</summary>
    private async Task<Recording> AddAsync(int daysOld, string team = "Reklamacje", CallType type = CallType.Incoming, bool held = false)
    {
        var r = TestData.Recording(startedAt: NextPurge.AddDays(-daysOld).AddHours(-1), team: team, type: type);
        r.LegalHold = held;
        await WithDbAsync(async db =>
        {
            db.Recordings.Add(r);
            await db.SaveChangesAsync();
        });
        return r;
    }

    private IRenderedComponent<RetentionPage> Open()
    {
        var page = Render<RetentionPage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=retention-save]")));
        return page;
    }

    /// <summary>Picks a value in the n-th select with that test id, as choosing it from the list does.</summary>
    private static Task ChooseAsync(IRenderedComponent<RetentionPage> page, string testId, int index, string value)
    {
        var select = page.FindComponents<MudSelect<string>>().Where(s => Equals(s.Instance.UserAttributes.GetValueOrDefault("data-testid"), testId)).ElementAt(index);
        return page.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(value));
    }

    private static void ChooseDefault(IRenderedComponent<RetentionPage> page, string label) =>
        page.FindAll("[data-testid=retention-default-days] label.mud-radio").Single(l => l.TextContent.Trim() == label).QuerySelector("input")!.Click();

    private List<AuditEntry> PolicyChanges() => Query(db => db.AuditLog.Where(a => a.Action == AuditActions.RetentionPolicyChanged).ToList());

    /// <summary>The policy as stored, in the invariant wording; empty while no administrator has saved one.</summary>
    private List<string> SavedRules() => Query(db => db.Set<RetentionRule>().AsEnumerable().Select(r => r.Describe()).Order().ToList());

    /// <summary>Synchronous, so it can sit inside WaitForAssertion.</summary>
    private T Query<T>(Func<AppDbContext, T> query)
    {
        using var db = Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContext();
        return query(db);
    }

    [Fact]
    public async Task A_change_that_deletes_nothing_more_is_saved_at_once_and_audited()
    {
        await AddAsync(daysOld: 400);   // already due under the 365-day default
        var page = Open();
        Assert.Contains("checked", page.FindAll("[data-testid=retention-default-days] label.mud-radio").Single(l => l.TextContent.Contains("365")).InnerHtml);

        ChooseDefault(page, "bez usuwania");
        page.Find("[data-testid=retention-add-rule]").Click();
        await ChooseAsync(page, "retention-rule-team", 0, "Reklamacje");
        page.Find("[data-testid=retention-rule-days]").Change("30");
        page.Find("[data-testid=retention-save]").Click();

        // Recordings of Reklamacje older than 30 days go under the new override, but the old one was due anyway.
        page.WaitForAssertion(() => Assert.Equal(["default: keep", "team Reklamacje: 30 days"], SavedRules()));
        Assert.Empty(page.FindAll("[data-testid=retention-preview]"));
        var entry = Assert.Single(PolicyChanges());
        Assert.Equal("admin@example.com", entry.Actor);
        Assert.Contains("\"before\":[\"default: 365 days\"]", entry.Details);
        Assert.Contains("team Reklamacje: 30 days", entry.Details);
        // Reloaded from what was saved.
        Assert.Contains("checked", page.FindAll("[data-testid=retention-default-days] label.mud-radio").Single(l => l.TextContent.Contains("bez usuwania")).InnerHtml);
        Assert.Equal("30", page.Find("[data-testid=retention-rule-days]").GetAttribute("value"));
    }

    [Fact]
    public async Task Shortening_shows_per_rule_what_the_next_purge_would_delete_and_saves_only_on_confirm()
    {
        await AddAsync(daysOld: 400);                                   // due already under 365 days
        await AddAsync(daysOld: 200);                                   // newly due under 180 days
        await AddAsync(daysOld: 200, held: true);                       // due, but on legal hold
        await AddAsync(daysOld: 50);                                    // young enough
        await AddAsync(daysOld: 100, team: "Sprzedaż", type: CallType.Outgoing);   // newly due under the team's 90 days
        await AddAsync(daysOld: 30, team: "Sprzedaż");                  // young enough
        var page = Open();

        ChooseDefault(page, "180 dni");
        page.Find("[data-testid=retention-add-rule]").Click();
        await ChooseAsync(page, "retention-rule-team", 0, "Sprzedaż");
        page.Find("[data-testid=retention-rule-days]").Change("90");
        page.Find("[data-testid=retention-save]").Click();

        var preview = page.WaitForElement("[data-testid=retention-preview]");
        Assert.Contains("dodatkowo: 2", preview.TextContent);
        var lines = page.FindAll("[data-testid=retention-preview-rule]").Select(l => System.Text.RegularExpressions.Regex.Replace(l.TextContent, @"\s+", " ").Trim()).ToList();
        Assert.Equal(
        [
            "zespół Sprzedaż: 90 dni — do usunięcia: 1 (więcej niż teraz: 1); zatrzymane blokadą prawną: 0",
            "domyślna: 180 dni — do usunięcia: 2 (więcej niż teraz: 1); zatrzymane blokadą prawną: 1",
        ], lines);
        Assert.Empty(SavedRules());

        page.Find("[data-testid=retention-cancel]").Click();
        Assert.Empty(page.FindAll("[data-testid=retention-preview]"));
        Assert.Empty(SavedRules());
        Assert.Empty(PolicyChanges());
        Assert.Equal(365, (await Services.GetRequiredService<RetentionPolicies>().CurrentAsync(fresh: true)).Default.Days);

        page.Find("[data-testid=retention-save]").Click();
        page.WaitForElement("[data-testid=retention-confirm]").Click();
        page.WaitForAssertion(() => Assert.Equal(["default: 180 days", "team Sprzedaż: 90 days"], SavedRules()));
        Assert.Empty(page.FindAll("[data-testid=retention-preview]"));
        var entry = Assert.Single(PolicyChanges());
        Assert.Equal("admin@example.com", entry.Actor);
    }

    [Fact]
    public async Task Archive_after_is_edited_on_the_default_and_an_override_shown_again_and_refused_when_not_before_deletion()
    {
        var page = Open();
        Assert.Contains("archiwum (osobny folder)", page.Find("[data-testid=retention-archive-store]").TextContent);
        page.Find("[data-testid=retention-default-archive]").Change("30");
        page.Find("[data-testid=retention-add-rule]").Click();
        await ChooseAsync(page, "retention-rule-type", 0, "Incoming");
        page.Find("[data-testid=retention-rule-days]").Change("90");
        page.Find("[data-testid=retention-rule-archive]").Change("90");
        page.Find("[data-testid=retention-save]").Click();

        var problem = page.WaitForElement("[data-testid=retention-problem]");
        Assert.Contains("muszą trafić do archiwum przed usunięciem", problem.TextContent);
        Assert.Contains("archiwum po 90 dniach", problem.TextContent);
        Assert.Empty(SavedRules());

        page.Find("[data-testid=retention-rule-archive]").Change("14");
        page.Find("[data-testid=retention-save]").Click();
        page.WaitForAssertion(() => Assert.Equal(["default: 365 days, archive after 30 days", "type Incoming: 90 days, archive after 14 days"], SavedRules()));
        Assert.Contains("archive after 14 days", Assert.Single(PolicyChanges()).Details);

        var reopened = Open();
        Assert.Equal("30", reopened.Find("[data-testid=retention-default-archive]").GetAttribute("value"));
        Assert.Equal("14", reopened.Find("[data-testid=retention-rule-archive]").GetAttribute("value"));
    }

    [Fact]
    public async Task A_rule_given_twice_is_named_and_nothing_is_saved()
    {
        var page = Open();
        for (var i = 0; i < 2; i++)
        {
            page.Find("[data-testid=retention-add-rule]").Click();
            await ChooseAsync(page, "retention-rule-type", i, nameof(CallType.Queue));
        }
        page.Find("[data-testid=retention-save]").Click();

        var problem = Assert.Single(page.FindAll("[data-testid=retention-problem]"));
        Assert.Equal("Zasada „Kolejka: 365 dni” występuje 2 razy: każdy zespół i typ może mieć tylko jedną zasadę.", problem.TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid=retention-preview]"));
        Assert.Empty(SavedRules());
        Assert.Empty(PolicyChanges());

        // A custom default left empty is named too, in the page's words for the rule.
        ChooseDefault(page, "inna liczba dni");
        page.Find("[data-testid=retention-rule-remove]").Click();
        page.Find("[data-testid=retention-save]").Click();
        Assert.Equal("Zasada „domyślna: 0 dni”: liczba dni musi wynosić od 1 do 36500 albo „bez usuwania”.",
            Assert.Single(page.FindAll("[data-testid=retention-problem]")).TextContent.Trim());
        Assert.Empty(PolicyChanges());
    }

    [Fact]
    public async Task The_next_purge_and_the_last_runs_from_the_audit_log_are_shown()
    {
        var log = Services.GetRequiredService<AuditLog>();
        await log.AppendAsync(RetentionPurgeJob.Actor, AuditActions.RetentionPurge, AuditOutcomes.Success,
            details: AuditLog.Details(new { dryRun = false, deleted = 1234, keptOnHold = 7, filesStillPending = 0 }));
        Clock.Advance(TimeSpan.FromMinutes(30));
        await log.AppendAsync("system (command line)", AuditActions.RetentionPurge, AuditOutcomes.Success,
            details: AuditLog.Details(new { dryRun = true, deleted = 12, keptOnHold = 0, filesStillPending = 0 }));

        var page = Open();

        Assert.Contains("25.11.2026 02:30", page.Find("[data-testid=retention-next-purge]").TextContent);
        var runs = page.FindAll("[data-testid=retention-runs] tr[data-testid=retention-run]");
        Assert.Equal(2, runs.Count);
        Assert.Contains("24.11.2026 10:30", runs[0].TextContent);      // newest first, Warsaw time
        Assert.Contains("próba", runs[0].TextContent);
        Assert.Contains("24.11.2026 10:00", runs[1].TextContent);
        Assert.Contains(RetentionPurgeJob.Actor, runs[1].TextContent);
        Assert.Contains("1234", runs[1].TextContent);
        Assert.DoesNotContain("próba", runs[1].TextContent);
    }
}
