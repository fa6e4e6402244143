using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Features.Audit;
using NagrywanieRozmow.Features.Recordings;

using NagrywanieRozmow.Features.Panel;

namespace NagrywanieRozmow.Tests.Features.Audit;

/// <summary>The audit page and the recording page's "who accessed this" as a Compliance officer and as others see them.</summary>
public sealed class AuditPageTests : MudTestContext
{
    private Recording customer = default!, other = default!;
    private AuditEntry listened = default!, downloaded = default!, refused = default!, signedIn = default!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        customer = TestData.Recording(startedAt: new DateTime(2026, 11, 23, 9, 15, 0, DateTimeKind.Utc), caller: "+48 601 234 567");
        other = TestData.Recording(caller: "48221112233", callee: "202");
        await WithDbAsync(async db =>
        {
            db.Recordings.AddRange(customer, other);
            await db.SaveChangesAsync();
        });
        var log = Services.GetRequiredService<AuditLog>();
        Clock.SetUtcNow(new DateTimeOffset(2026, 11, 24, 10, 0, 5, TimeSpan.Zero));
        listened = await log.AppendAsync("anna@example.com", AuditActions.Listen, AuditOutcomes.Success, customer.Id, ip: "10.0.0.5");
        Clock.SetUtcNow(new DateTimeOffset(2026, 11, 24, 11, 30, 0, TimeSpan.Zero));
        downloaded = await log.AppendAsync("piotr@example.com", AuditActions.Download, AuditOutcomes.Success, customer.Id, ip: "10.0.0.6");
        refused = await log.AppendAsync("piotr@example.com", AuditActions.RecordingAccess, AuditOutcomes.Denied, other.Id,
            reason: AuditLog.NotFoundReason, details: AuditLog.Details(new { path = $"/recordings/{other.Id}", note = new string('x', 120) }));
        signedIn = await log.AppendAsync("anna@example.com", AuditActions.SignIn, AuditOutcomes.Success, ip: "10.0.0.5");
        await log.AppendAsync("system", "future.action", AuditOutcomes.Success);
    }

    private void SignInAs(string role, params string[] policies)
    {
        Auth.SetRoles(role);
        SignIn(policies);
    }

    private IRenderedComponent<AuditPage> RenderAuditAt(string url)
    {
        SignInAs(Roles.Compliance, Policies.ListenRecordings, Policies.ViewAudit);
        Services.GetRequiredService<NavigationManager>().NavigateTo(url);
        return Render<AuditPage>();
    }

    [Fact]
    public void Each_entry_shows_when_who_from_where_what_and_which_recording()
    {
        var page = RenderAuditAt("/audit");
        page.WaitForAssertion(() => Assert.Equal(5, page.FindAll("tr.audit-row").Count));
        var row = page.Find($"tr.aid-{listened.Id}");
        Assert.Contains("24.11.2026 11:00:05", row.TextContent);        // Warsaw time, with seconds
        Assert.Contains("anna@example.com", row.TextContent);
        Assert.Contains("10.0.0.5", row.TextContent);
        Assert.Contains("Odsłuchanie", row.TextContent);
        Assert.Contains("recording.listen", row.TextContent);
        Assert.Contains("powodzenie", row.TextContent);
        Assert.Equal($"/recordings/{customer.Id}", row.QuerySelector("[data-testid=audit-recording-link]")?.GetAttribute("href"));

        var denied = page.Find($"tr.aid-{refused.Id}");
        Assert.Contains("Próba dostępu do nagrania", denied.TextContent);
        Assert.Contains("odmowa", denied.TextContent);
        Assert.Contains(AuditLog.NotFoundReason, denied.TextContent);
        var details = denied.QuerySelector("details")!;
        Assert.Contains("…", details.QuerySelector("summary")!.TextContent);
        Assert.Contains(new string('x', 120), details.GetAttribute("title"));

        Assert.Empty(page.Find($"tr.aid-{signedIn.Id}").QuerySelectorAll("[data-testid=audit-recording-link]"));
        Assert.Contains("future.action", page.FindAll("tr.audit-row")[0].TextContent);   // an unknown action keeps its code
        // Newest first.
        Assert.Equal([signedIn.Id, refused.Id, downloaded.Id, listened.Id],
            page.FindAll("tr.audit-row").Skip(1).Select(r => long.Parse(r.ClassList.First(c => c.StartsWith("aid-"))[4..])));
    }

    [Fact]
    public void Filters_in_the_url_fill_the_bar_narrow_the_grid_and_go_into_the_export_link()
    {
        var page = RenderAuditAt($"/audit?actor=piotr&recording={customer.Id}");
        page.WaitForAssertion(() => Assert.Single(page.FindAll("tr.audit-row")));
        Assert.NotNull(page.Find($"tr.aid-{downloaded.Id}"));
        Assert.Equal("piotr", page.Find("[data-testid=audit-filter-actor]").GetAttribute("value"));
        Assert.Equal(customer.Id.ToString(), page.Find("[data-testid=audit-filter-recording]").GetAttribute("value"));
        Assert.Equal($"/api/v1/audit/export?actor=piotr&recording={customer.Id}", page.Find("[data-testid=audit-export]").GetAttribute("href"));
    }

    [Fact]
    public void The_number_and_action_filters_find_entries_of_that_recording()
    {
        var page = RenderAuditAt("/audit?number=601%20234&action=recording.download");
        page.WaitForAssertion(() => Assert.Single(page.FindAll("tr.audit-row")));
        Assert.NotNull(page.Find($"tr.aid-{downloaded.Id}"));

        var byDay = RenderAuditAt("/audit?from=2026-11-25");
        byDay.WaitForAssertion(() => Assert.Contains("Brak wpisów", byDay.Find("[data-testid=audit-grid]").TextContent));
    }

    [Fact]
    public void Enter_in_the_person_field_puts_the_filter_in_the_url()
    {
        var page = RenderAuditAt("/audit");
        page.WaitForAssertion(() => Assert.Equal(5, page.FindAll("tr.audit-row").Count));
        var input = page.Find("[data-testid=audit-filter-actor]");
        input.Input("anna");
        input.KeyUp(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "Enter" });
        var navigation = Services.GetRequiredService<NavigationManager>();
        page.WaitForAssertion(() => Assert.EndsWith("/audit?actor=anna", navigation.Uri));
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("tr.audit-row").Count));
    }

    [Fact]
    public void A_bad_filter_in_the_url_is_named_and_the_rest_still_applies()
    {
        var page = RenderAuditAt("/audit?action=recording.play&actor=piotr");
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("tr.audit-row").Count));
        Assert.Contains("recording.play", page.Find("[data-testid=filter-errors]").TextContent);
    }

    [Fact]
    public void The_recording_page_shows_who_accessed_it_to_compliance()
    {
        SignInAs(Roles.Compliance, Policies.ListenRecordings, Policies.ViewAudit);
        var page = Render<RecordingPage>(p => p.Add(r => r.Id, customer.Id));
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=access-history-row]").Count));
        var rows = page.FindAll("[data-testid=access-history-row]");
        Assert.Contains("piotr@example.com", rows[0].TextContent);
        Assert.Contains("Pobranie", rows[0].TextContent);
        Assert.Contains("24.11.2026 12:30:00", rows[0].TextContent);
        Assert.Contains("anna@example.com", rows[1].TextContent);
        Assert.Contains("Odsłuchanie", rows[1].TextContent);
        Assert.Contains("10.0.0.5", rows[1].TextContent);
        Assert.Equal($"/audit?recording={customer.Id}", page.Find("[data-testid=access-history-link]").GetAttribute("href"));
    }

    [Fact]
    public void Who_may_not_read_the_audit_log_does_not_see_who_accessed_a_recording()
    {
        SignInAs(Roles.ComplaintHandler, Policies.ListenRecordings, Policies.DownloadRecordings);
        var page = Render<RecordingPage>(p => p.Add(r => r.Id, customer.Id));
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=recording-details]")));
        Assert.Empty(page.FindAll("[data-testid=access-history]"));
        Assert.DoesNotContain("piotr@example.com", page.Markup);
    }

    [Fact]
    public async Task Only_the_newest_entries_of_a_busy_recording_are_listed_with_a_note()
    {
        var log = Services.GetRequiredService<AuditLog>();
        for (var i = 0; i < RecordingAccessHistory.Shown; i++)
            await log.AppendAsync($"listener{i}@example.com", AuditActions.Listen, AuditOutcomes.Success, other.Id);
        SignInAs(Roles.Administrator, Policies.ListenRecordings, Policies.ViewAudit);
        var history = Render<RecordingAccessHistory>(p => p.Add(r => r.RecordingId, other.Id));
        history.WaitForAssertion(() => Assert.Equal(RecordingAccessHistory.Shown, history.FindAll("[data-testid=access-history-row]").Count));
        Assert.Contains($"listener{RecordingAccessHistory.Shown - 1}@", history.FindAll("[data-testid=access-history-row]")[0].TextContent);
        Assert.DoesNotContain("Próba dostępu do nagrania", history.Markup);   // the oldest entry (the refusal) is past the limit
        Assert.Contains("200", history.Find("[data-testid=access-history-more]").TextContent);
    }
}
