using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Features.Evidence;
using NagrywanieRozmow.Features.Panel;

namespace NagrywanieRozmow.Tests.Features.Panel;

/// <summary>Choosing what to download: one page at a time, or everything the filter finds up to the ZIP limit.</summary>
public sealed class SelectionTests : MudTestContext
{
    public SelectionTests() => Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new DownloadOptions { MaxRecordings = 40 }));

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await WithDbAsync(async db =>
        {
            for (var i = 0; i < 60; i++) db.Recordings.Add(TestData.Recording(startedAt: new DateTime(2026, 11, 2, 8, 0, 0, DateTimeKind.Utc).AddMinutes(i), caller: $"4860100{i:0000}"));
            db.Recordings.Add(TestData.Recording(caller: "48221234567"));
            await db.SaveChangesAsync();
        });
    }

    private IRenderedComponent<RecordingsPage> RenderAt(string url)
    {
        SignIn(Policies.ListenRecordings, Policies.DownloadRecordings, Policies.LabelRecordings);
        Services.GetRequiredService<NavigationManager>().NavigateTo(url);
        return Render<RecordingsPage>();
    }

    [Fact]
    public void The_header_box_selects_the_page_and_select_all_matching_stops_at_the_limit_and_says_so()
    {
        var page = RenderAt("/recordings?number=4860100");
        page.WaitForAssertion(() => Assert.Equal(25, page.FindAll("tr.recording-row").Count));
        Assert.Empty(page.FindAll("[data-testid=bulk-download]"));

        page.Find("[data-testid=select-page]").Change(true);
        page.WaitForAssertion(() => Assert.Contains("(ZIP, 25)", page.Find("[data-testid=bulk-download]").TextContent));
        Assert.All(page.FindAll("[data-testid=row-select]"), box => Assert.True(box.HasAttribute("checked")));

        page.Find("[data-testid=select-all-matching]").Click();
        page.WaitForAssertion(() => Assert.Contains("(ZIP, 40)", page.Find("[data-testid=bulk-download]").TextContent));
        Assert.Contains("pierwsze 40", Services.GetRequiredService<MudBlazor.ISnackbar>().ShownSnackbars.Single().Message?.ToString());
        // The hidden form field carries exactly what the ZIP will hold: 40 ids, all of them matching the filter.
        var ids = page.Find("input[name=ids]").GetAttribute("value")!.Split(',').Select(long.Parse).ToList();
        Assert.Equal(40, ids.Distinct().Count());
        Assert.DoesNotContain(ids, id => WithDb(db => db.Recordings.Single(r => r.Id == id).CallerNumber) == "48221234567");
    }

    [Fact]
    public void One_case_number_goes_onto_every_selected_call_each_audited()
    {
        var page = RenderAt("/recordings?number=4860100");
        page.WaitForAssertion(() => Assert.Equal(25, page.FindAll("tr.recording-row").Count));
        page.Find("[data-testid=select-page]").Change(true);
        page.WaitForAssertion(() => Assert.NotNull(page.Find("input[data-testid=bulk-case-input]")));
        page.Find("input[data-testid=bulk-case-input]").Input("REK-2026/0500");
        page.Find("[data-testid=bulk-case-add]").Click();
        page.WaitForAssertion(() => Assert.Equal(25, WithDb(db => db.RecordingCases.Count(c => c.CaseNumber == "REK-2026/0500"))));
        Assert.Equal(25, WithDb(db => db.AuditLog.Count(a => a.Action == AuditActions.CaseAdded)));
        Assert.Equal(0, WithDb(db => db.RecordingCases.Count(c => c.CaseNumber == "REK-2026/0500" && c.RecordingId == db.Recordings.Single(r => r.CallerNumber == "48221234567").Id)));
    }
}
