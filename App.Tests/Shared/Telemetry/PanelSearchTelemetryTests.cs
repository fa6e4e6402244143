using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Shared.Telemetry;

using NagrywanieRozmow.Features.Panel;

namespace NagrywanieRozmow.Tests.Shared.Telemetry;

/// <summary>The panel's grid is timed like the API's search, as the panel's.</summary>
public sealed class PanelSearchTelemetryTests : MudTestContext
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await WithDbAsync(async db =>
        {
            db.Recordings.AddRange(TestData.Recording(caller: "+48 601 234 567"), TestData.Recording(caller: "48221112233"));
            await db.SaveChangesAsync();
        });
    }

    [Fact]
    public void A_grid_search_by_number_is_measured_as_a_panel_number_search_without_the_number()
    {
        using var capture = new TelemetryCapture();
        SignIn();
        Services.GetRequiredService<NavigationManager>().NavigateTo("/recordings?number=601234");
        var page = Render<RecordingsPage>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("tr.recording-row")));

        var searches = capture.Of("nagrywanie.search.duration");
        Assert.NotEmpty(searches);
        Assert.All(searches, search => Assert.Equal(("number", "panel", "first"),
            ((string?)search.Tags[AppTelemetry.Tags.SearchKind], (string?)search.Tags[AppTelemetry.Tags.SearchSurface], (string?)search.Tags[AppTelemetry.Tags.SearchPaging])));
        Assert.DoesNotContain(capture.AllTagValues(), v => v.Contains("601"));
    }
}
