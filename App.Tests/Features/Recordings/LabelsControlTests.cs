using Bunit;
using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Tests.Features.Recordings;

/// <summary>The labels panel of a recording's page: case numbers with their CRM links, tags, and the stable link.</summary>
public sealed class LabelsControlTests : MudTestContext
{
    private Recording recording = default!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        recording = TestData.Recording();
        recording.Cases.Add(new RecordingCase { CaseNumber = "REK-2026/0113", AddedAt = DateTime.UtcNow });
        recording.Tags.Add(new RecordingTag { Tag = "dobra rozmowa" });
        await WithDbAsync(async db =>
        {
            db.Recordings.Add(recording);
            await db.SaveChangesAsync();
        });
    }

    private IRenderedComponent<LabelsControl> RenderAs(string role, params string[] policies)
    {
        Auth.SetRoles(role);
        SignIn(policies);
        return Render<LabelsControl>(p => p.Add(c => c.Recording, recording));
    }

    [Fact]
    public void A_case_number_links_to_the_crm_and_the_recording_has_its_stable_link()
    {
        var panel = RenderAs(Roles.ComplaintHandler, Policies.ListenRecordings, Policies.LabelRecordings);
        var crm = panel.Find("[data-testid=case-crm-link]");
        Assert.Equal("https://crm.example/cases/REK-2026%2F0113", crm.GetAttribute("href"));
        Assert.Equal("_blank", crm.GetAttribute("target"));
        Assert.Contains("dobra rozmowa", panel.Find("[data-testid=tag-chip]").TextContent);
        Assert.Equal(2, panel.FindAll(".mud-chip-close-button").Count);
        Assert.EndsWith($"/recordings/{recording.Id}", panel.Find("[data-testid=recording-link]").GetAttribute("value"));
        // Suggestions: the values in use, offered to the native list beside the field.
        panel.WaitForAssertion(() => Assert.Contains("REK-2026/0113", panel.Find($"#case-suggestions-{recording.Id}").InnerHtml));
    }

    [Fact]
    public async Task Adding_from_the_panel_stores_it_and_a_comma_is_refused_in_polish()
    {
        var panel = RenderAs(Roles.ComplaintHandler, Policies.ListenRecordings, Policies.LabelRecordings);
        panel.Find("input[data-testid=case-add-input]").Input("REK-2026/0200");
        await panel.InvokeAsync(() => panel.Find("[data-testid=case-add]").Click());
        panel.WaitForAssertion(() => Assert.Equal(2, WithDb(db => db.RecordingCases.Count(c => c.RecordingId == recording.Id))));

        panel.Find("input[data-testid=tag-add-input]").Input("a, b");
        await panel.InvokeAsync(() => panel.Find("[data-testid=tag-add]").Click());
        panel.WaitForAssertion(() => Assert.Contains("nie może zawierać przecinków", panel.Find("[data-testid=label-problem]").TextContent));
        Assert.Equal(1, WithDb(db => db.RecordingTags.Count(t => t.RecordingId == recording.Id)));
        Assert.Equal(1, WithDb(db => db.AuditLog.Count(a => a.Action == AuditActions.CaseAdded)));
    }

    [Fact]
    public void Who_may_not_label_sees_the_labels_but_no_way_to_change_them()
    {
        var panel = RenderAs(Roles.Compliance, Policies.ListenRecordings);
        Assert.Single(panel.FindAll("[data-testid=case-chip]"));
        Assert.Empty(panel.FindAll("[data-testid=case-add-input]"));
        Assert.Empty(panel.FindAll("[data-testid=tag-add]"));
        Assert.Empty(panel.FindAll(".mud-chip-close-button"));
    }
}
