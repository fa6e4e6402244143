using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Features.Panel;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Tests.Features.Panel;

/// <summary>"N nowe nagrania" above the grid: only what the open view would show this user, and a click that keeps the view.</summary>
public sealed class NewRecordingsNoticeTests : MudTestContext
{
    private static readonly DateTime Day = new(2026, 11, 23, 9, 0, 0, DateTimeKind.Utc);

    private RecordingArrivals Arrivals => Services.GetRequiredService<RecordingArrivals>();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await AddAsync(TestData.Recording(startedAt: Day, caller: "48601234567"));
    }

    private Task AddAsync(params Recording[] recordings) => WithDbAsync(async db =>
    {
        db.Recordings.AddRange(recordings);
        await db.SaveChangesAsync();
    });

    private IRenderedComponent<RecordingsPage> RenderAt(string url)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo(url);
        return Render<RecordingsPage>();
    }

    private static string Notice(IRenderedComponent<RecordingsPage> page) => page.Find("[data-testid=new-recordings-notice]").TextContent.Trim();

    [Fact]
    public async Task Only_new_recordings_matching_the_filters_are_counted_and_a_click_shows_them_with_the_same_filters()
    {
        var page = RenderAt("/recordings?number=601234&type=Incoming");
        page.WaitForAssertion(() => Assert.Single(page.FindAll("tr.recording-row")));
        Assert.Empty(page.FindAll("[data-testid=new-recordings-notice]"));

        await AddAsync(
            TestData.Recording(startedAt: Day.AddHours(1), caller: "48601234567"),
            TestData.Recording(startedAt: Day.AddHours(1), caller: "48221112233"),
            TestData.Recording(startedAt: Day.AddHours(1), caller: "48601234567", type: CallType.Outgoing));
        Arrivals.Announce();
        page.WaitForAssertion(() => Assert.Equal("1 nowe nagranie", Notice(page)), TimeSpan.FromSeconds(10));

        var more = Enumerable.Range(0, 4).Select(i => TestData.Recording(startedAt: Day.AddHours(2 + i), caller: "+48 601 234 567")).ToArray();
        await AddAsync(more);
        Arrivals.Announce();
        page.WaitForAssertion(() => Assert.Equal("5 nowych nagrań", Notice(page)), TimeSpan.FromSeconds(10));

        var navigation = Services.GetRequiredService<NavigationManager>();
        var url = navigation.Uri;
        page.Find("[data-testid=new-recordings-notice]").Click();
        page.WaitForAssertion(() => Assert.Equal(6, page.FindAll("tr.recording-row").Count));
        Assert.Contains($"rid-{more[^1].Id}", page.FindAll("tr.recording-row")[0].ClassName);
        Assert.Empty(page.FindAll("[data-testid=new-recordings-notice]"));
        Assert.Equal(url, navigation.Uri);
        Assert.Equal("601234", page.Find("[data-testid=filter-number]").GetAttribute("value"));
    }

    [Fact]
    public async Task A_team_scoped_quality_manager_hears_only_about_their_teams_calls()
    {
        Auth.SetRoles(Roles.QualityManager);
        Auth.SetClaims(new Claim(RecordingScope.TeamClaim, "Reklamacje"));
        var page = RenderAt("/recordings");
        page.WaitForAssertion(() => Assert.Single(page.FindAll("tr.recording-row")));

        await AddAsync(
            TestData.Recording(startedAt: Day.AddHours(1), team: "Obsługa klienta", extension: "205"),
            TestData.Recording(startedAt: Day.AddHours(1), team: null, extension: null),
            TestData.Recording(startedAt: Day.AddHours(2), team: "Reklamacje"),
            TestData.Recording(startedAt: Day.AddHours(3), team: "Sprzedaż", extension: "301"));
        Arrivals.Announce();

        page.WaitForAssertion(() => Assert.Equal("1 nowe nagranie", Notice(page)), TimeSpan.FromSeconds(10));
        page.Find("[data-testid=new-recordings-notice]").Click();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("tr.recording-row").Count));
    }

    [Fact]
    public async Task Closing_the_page_stops_its_listening()
    {
        var page = RenderAt("/recordings");
        page.WaitForAssertion(() => Assert.Single(page.FindAll("tr.recording-row")));
        Assert.Equal(1, ListenerCount());

        // What leaving the page does: the renderer disposes the page and every component in it.
        await DisposeComponentsAsync();

        Assert.Equal(0, ListenerCount());
    }

    private int ListenerCount()
    {
        var field = typeof(RecordingArrivals).GetField(nameof(RecordingArrivals.Arrived), System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!;
        return (field.GetValue(Arrivals) as Delegate)?.GetInvocationList().Length ?? 0;
    }
}
