using Microsoft.EntityFrameworkCore;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Components;
using NagrywanieRozmow.Features.Panel;
using NagrywanieRozmow.Features.Recordings;


namespace NagrywanieRozmow.Tests.Features.Panel;

/// <summary>The filter bar and grid as components: what they render for a URL, and the URL they make from what is typed.</summary>
public sealed class RecordingsPageTests : MudTestContext
{
    private Recording withAudio = default!, missing = default!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        withAudio = TestData.Recording(startedAt: new DateTime(2026, 11, 23, 9, 15, 0, DateTimeKind.Utc), caller: "+48 601 234 567", durationSeconds: 75, sizeBytes: 1_234_567);
        missing = TestData.Recording(startedAt: new DateTime(2026, 11, 20, 8, 0, 0, DateTimeKind.Utc), caller: "48221112233", callee: "202", extension: "202", userName: "Piotr Nowak");
        await Store.SaveAsync(withAudio.StorageKey, new MemoryStream(TestData.Wav(1)), CancellationToken.None);
        await WithDbAsync(async db =>
        {
            db.Directory.Add(new DirectoryEntry { Extension = "201", DisplayName = "Anna Kowalska", Team = "Reklamacje" });
            db.Recordings.AddRange(withAudio, missing);
            await db.SaveChangesAsync();
        });
    }

    private IRenderedComponent<RecordingsPage> RenderAt(string url, params string[] policies)
    {
        SignIn(policies);
        Services.GetRequiredService<NavigationManager>().NavigateTo(url);
        return Render<RecordingsPage>();
    }

    [Fact]
    public void The_grid_shows_each_call_as_a_person_reads_it()
    {
        var page = RenderAt("/recordings");
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("tr.recording-row").Count));
        var first = page.Find($"tr.rid-{withAudio.Id}");
        Assert.Contains("23.11.2026 10:15", first.TextContent);      // Warsaw time
        Assert.Contains("+48 601 234 567", first.TextContent);
        Assert.Contains("Anna Kowalska", first.TextContent);
        Assert.Contains("Przychodzące", first.TextContent);
        Assert.Contains("1:15", first.TextContent);
        Assert.Contains("1,2 MB", first.TextContent);
        Assert.NotEmpty(first.QuerySelectorAll("[data-testid=row-play]"));
        Assert.Contains("2", page.Find("[data-testid=result-count]").TextContent);

        var orphan = page.Find($"tr.rid-{missing.Id}");
        Assert.Contains("plik niedostępny", orphan.TextContent);
        Assert.Empty(orphan.QuerySelectorAll("[data-testid=row-play]"));
        Assert.Empty(orphan.QuerySelectorAll("[data-testid=row-download]"));
    }

    [Fact]
    public void Filters_in_the_url_fill_the_bar_and_narrow_the_grid()
    {
        var page = RenderAt("/recordings?number=601234&type=Incoming&minDuration=60");
        page.WaitForAssertion(() => Assert.Single(page.FindAll("tr.recording-row")));
        Assert.Equal("601234", page.Find("[data-testid=filter-number]").GetAttribute("value"));
        Assert.Equal("60", page.Find("[data-testid=filter-min-duration]").GetAttribute("value"));
    }

    [Fact]
    public async Task A_search_in_the_panel_is_audited_once_with_its_filters_however_often_the_grid_reloads()
    {
        var page = RenderAt("/recordings?number=601234&type=Incoming");
        page.WaitForAssertion(() => Assert.Single(page.FindAll("tr.recording-row")));
        await page.InvokeAsync(() => page.FindComponent<MudBlazor.MudDataGrid<RecordingsPage.RecordingRow>>().Instance.ReloadServerData());
        var searches = new List<AuditEntry>();
        await WithDbAsync(async db => searches = await db.AuditLog.Where(a => a.Action == AuditActions.Search).ToListAsync());
        var entry = Assert.Single(searches);
        Assert.Equal(("handler@example.com", "{\"number\":\"601234\",\"type\":[\"Incoming\"]}"), (entry.Actor, entry.Details));
    }

    [Fact]
    public void Enter_in_the_number_field_puts_the_filter_in_the_url()
    {
        var page = RenderAt("/recordings");
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("tr.recording-row").Count));
        var input = page.Find("[data-testid=filter-number]");
        input.Input("22 111");
        input.KeyUp(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "Enter" });
        var navigation = Services.GetRequiredService<NavigationManager>();
        page.WaitForAssertion(() => Assert.EndsWith("/recordings?number=22%20111", navigation.Uri));
        page.WaitForAssertion(() => Assert.Single(page.FindAll("tr.recording-row")));
    }

    [Fact]
    public void Who_may_not_download_is_not_offered_the_button()
    {
        var page = RenderAt("/recordings", Policies.ListenRecordings);
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("tr.recording-row").Count));
        Assert.NotEmpty(page.FindAll("[data-testid=row-play]"));
        Assert.Empty(page.FindAll("[data-testid=row-download]"));
    }

    [Fact]
    public void Bad_values_in_the_url_are_listed_and_the_grid_still_loads()
    {
        var page = RenderAt("/recordings?minDuration=abc&sort=colour");
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("tr.recording-row").Count));
        var alert = page.Find("[data-testid=filter-errors]").TextContent;
        Assert.Contains("minDuration", alert);
        Assert.Contains("colour", alert);
    }
}
