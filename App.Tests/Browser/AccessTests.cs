using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using NagrywanieRozmow.Features.Access;

namespace NagrywanieRozmow.Tests.Browser;

/// <summary>Each role signs in and finds exactly its part of the panel; an administrator manages accounts and keys.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessTests(BrowserFixture app)
{
    private static readonly string[] AllNav =
        ["nav-recordings", "nav-audit", "nav-holds", "nav-subject-requests", "nav-deletions", "nav-users", "nav-apikeys", "nav-api", "nav-webhooks", "nav-ingestion",
         "nav-retention", "nav-jobs"];

    [Theory]
    [InlineData(Roles.Administrator, "nav-recordings nav-audit nav-holds nav-users nav-apikeys nav-api nav-webhooks nav-ingestion nav-retention nav-jobs")]
    [InlineData(Roles.QualityManager, "nav-recordings")]
    [InlineData(Roles.ComplaintHandler, "nav-recordings")]
    [InlineData(Roles.Compliance, "nav-recordings nav-audit nav-holds nav-subject-requests")]
    [InlineData(Roles.Agent, "")]
    public async Task Each_role_sees_its_own_menu(string role, string expected)
    {
        var page = await app.SignedInPageAsync(role);
        if (role == Roles.Agent)
        {
            // An Agent without "own recordings" has no panel: the sign-in ends on a page that says so.
            await Assertions.Expect(page.GetByTestId("forbidden")).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("recordings-grid")).ToHaveCountAsync(0);
        }
        await page.GetByTestId("user-menu").ClickAsync();
        await Assertions.Expect(page.GetByTestId("user-role")).ToHaveTextAsync(role switch
        {
            Roles.Administrator => "Administrator",
            Roles.QualityManager => "Kierownik jakości",
            Roles.ComplaintHandler => "Obsługa reklamacji",
            Roles.Compliance => "Inspektor zgodności",
            _ => "Konsultant",
        });
        await page.Keyboard.PressAsync("Escape");
        await page.GetByLabel("Menu", new() { Exact = true }).ClickAsync();
        var shown = expected.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        foreach (var item in AllNav)
        {
            if (shown.Contains(item)) await Assertions.Expect(page.GetByTestId(item)).ToBeVisibleAsync();
            else await Assertions.Expect(page.GetByTestId(item)).ToHaveCountAsync(0);
        }
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_agent_without_own_recordings_signs_in_to_a_page_that_says_why_and_no_refusal_is_logged()
    {
        var context = await app.Browser.NewContextAsync(new() { BaseURL = app.BaseUrl });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.GetByTestId("login-email").FillAsync(BrowserFixture.EmailOf(Roles.Agent));
        await page.GetByTestId("login-password").FillAsync(BrowserFixture.Password);
        var signedInAt = await app.WithDbAsync(db => db.AuditLog.MaxAsync(a => (long?)a.Id)) ?? 0;
        await page.GetByTestId("login-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("forbidden")).ToContainTextAsync("Twoje konto nie ma dostępu do nagrań");
        Assert.EndsWith(AccessFeature.ForbiddenPath, new Uri(page.Url).AbsolutePath);
        var refusals = await app.WithDbAsync(db => db.AuditLog.CountAsync(a => a.Id > signedInAt && a.Action == AuditActions.AccessDenied));
        Assert.Equal(0, refusals);
        await context.CloseAsync();
    }

    [Fact]
    public async Task A_compliance_officer_who_opens_an_admin_page_is_refused_and_the_attempt_is_logged()
    {
        var page = await app.SignedInPageAsync(Roles.Compliance);
        await page.GotoAsync("/admin/users");
        await Assertions.Expect(page.GetByTestId("forbidden")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("users-table")).ToHaveCountAsync(0);
        var entry = await app.WithDbAsync(db => db.AuditLog.Where(a => a.Action == AuditActions.AccessDenied && a.Actor == BrowserFixture.EmailOf(Roles.Compliance))
            .OrderByDescending(a => a.Id).FirstOrDefaultAsync());
        Assert.NotNull(entry);
        Assert.Contains("/admin/users", entry.Details);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_compliance_officer_sees_who_listened_filters_the_log_and_exports_it()
    {
        // Someone listens first: the complaint handler plays the customer's call.
        var handler = await app.SignedInPageAsync(Roles.ComplaintHandler, path: $"/recordings/{app.Complaint.Id}");
        await handler.GetByTestId("player-play").ClickAsync();
        await Assertions.Expect(handler.GetByTestId("audio-player")).ToHaveJSPropertyAsync("paused", false);
        await handler.Context.CloseAsync();

        var page = await app.SignedInPageAsync(Roles.Compliance, path: $"/recordings/{app.Complaint.Id}");
        var history = page.GetByTestId("access-history");
        await Assertions.Expect(history.GetByTestId("access-history-row").Filter(new() { HasText = BrowserFixture.EmailOf(Roles.ComplaintHandler) })
            .Filter(new() { HasText = "Odsłuchanie" }).First).ToBeVisibleAsync();

        await page.GotoAsync($"/audit?recording={app.Complaint.Id}");
        await BrowserFixture.WaitInteractiveAsync(page);
        var rows = page.GetByTestId("audit-grid").Locator("[data-testid=audit-row]");
        await Assertions.Expect(rows.Filter(new() { HasText = "recording.listen" })).Not.ToHaveCountAsync(0);
        await page.GetByTestId("audit-filter-actor").FillAsync(BrowserFixture.EmailOf(Roles.ComplaintHandler));
        await page.GetByTestId("audit-search").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("actor="));
        await Assertions.Expect(rows.Filter(new() { HasNotText = BrowserFixture.EmailOf(Roles.ComplaintHandler) })).ToHaveCountAsync(0);

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("audit-export").ClickAsync());
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.StartsWith("\uFEFFid,at_utc,actor,ip,action,recording_id,outcome,reason,details,hash", csv);
        Assert.Contains($"{BrowserFixture.EmailOf(Roles.ComplaintHandler)},", csv);
        Assert.Contains("recording.listen", csv);
        Assert.DoesNotContain(BrowserFixture.EmailOf(Roles.Compliance) + ",", csv.Split('\n').Skip(1).FirstOrDefault() ?? "");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_administrator_creates_an_agent_lets_them_hear_their_own_calls_and_disables_the_account()
    {
        var page = await app.SignedInPageAsync(Roles.Administrator, path: "/admin/users");
        await page.GetByTestId("user-create").ClickAsync();
        await page.GetByTestId("user-email").FillAsync("nowy.konsultant@browser.test");
        await page.GetByTestId("user-password").FillAsync("Konsultant-2026");
        await page.GetByTestId("user-role-select").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Konsultant" }).ClickAsync();
        await page.GetByTestId("user-team").FillAsync("Reklamacje");
        await page.GetByTestId("user-extension").FillAsync("20a");
        await page.GetByTestId("user-save").ClickAsync();
        // A bad extension is named, and nothing is created.
        await Assertions.Expect(page.GetByTestId("user-errors")).ToContainTextAsync("'20a' is not an extension");
        await page.GetByTestId("user-extension").FillAsync("202");
        await page.GetByTestId("user-own-recordings").CheckAsync();
        await page.GetByTestId("user-save").ClickAsync();

        var row = page.Locator("[data-testid=user-row][data-email='nowy.konsultant@browser.test']");
        await Assertions.Expect(row).ToBeVisibleAsync();
        await Assertions.Expect(row.GetByTestId("user-row-role")).ToHaveTextAsync("Konsultant");

        // The new agent signs in and hears exactly the calls on extension 202.
        var agent = await app.SignedInPageAsync(Roles.Agent, email: "nowy.konsultant@browser.test", password: "Konsultant-2026");
        await Assertions.Expect(agent.GetByTestId("recording-row")).ToHaveCountAsync(1);
        await Assertions.Expect(agent.GetByTestId("row-download")).ToHaveCountAsync(0);

        await row.GetByTestId("user-disable").ClickAsync();
        await page.GetByTestId("user-disable-reason").FillAsync("left the company");
        await page.GetByTestId("user-confirm-disable-yes").ClickAsync();
        await Assertions.Expect(row.GetByTestId("user-row-status")).ToContainTextAsync("wyłączone");

        // The disabled account cannot sign in again.
        var context = await app.Browser.NewContextAsync(new() { BaseURL = app.BaseUrl });
        var again = await context.NewPageAsync();
        await again.GotoAsync("/account/login");
        await again.GetByTestId("login-email").FillAsync("nowy.konsultant@browser.test");
        await again.GetByTestId("login-password").FillAsync("Konsultant-2026");
        await again.GetByTestId("login-submit").ClickAsync();
        await Assertions.Expect(again.GetByTestId("login-error")).ToContainTextAsync("wyłączone");

        var actions = await app.WithDbAsync(db => db.AuditLog.Where(a => a.Details != null && a.Details.Contains("nowy.konsultant@browser.test"))
            .OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
        Assert.Equal([AuditActions.UserCreated, AuditActions.UserDisabled], actions);
        await Task.WhenAll(page.Context.CloseAsync(), agent.Context.CloseAsync(), context.CloseAsync());
    }

    [Fact]
    public async Task An_administrator_creates_a_key_sees_it_once_and_revokes_it()
    {
        var page = await app.SignedInPageAsync(Roles.Administrator, path: "/admin/apikeys");
        await page.GetByTestId("apikey-name").FillAsync("CRM reklamacje");
        // Read is ticked already; the CRM also attaches case numbers.
        await page.GetByTestId("apikey-scope-label").CheckAsync();
        await page.GetByTestId("apikey-create").ClickAsync();
        var secret = (await page.GetByTestId("apikey-secret").InnerTextAsync()).Trim();
        Assert.StartsWith("nr_", secret);

        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        http.DefaultRequestHeaders.Add(ApiKeyAuthentication.Header, secret);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("/api/v1/recordings")).StatusCode);
        // The key attaches a case number and takes it off again (the shared recordings stay as other tests expect them).
        var labelled = await http.PostAsync($"/api/v1/recordings/{app.Complaint.Id}/cases",
            new StringContent("{\"case\":\"KEY-TEST-1\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.OK, labelled.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.DeleteAsync($"/api/v1/recordings/{app.Complaint.Id}/cases/KEY-TEST-1")).StatusCode);

        var row = page.Locator("[data-testid=apikey-row][data-name='CRM reklamacje']");
        await Assertions.Expect(row).ToContainTextAsync("read, label");
        await row.GetByTestId("apikey-revoke").ClickAsync();
        await page.GetByTestId("apikey-confirm-revoke-yes").ClickAsync();
        await Assertions.Expect(row.GetByTestId("apikey-status")).ToContainTextAsync("unieważniony");
        var refused = await http.GetAsync("/api/v1/recordings");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("unknown or revoked", await refused.Content.ReadAsStringAsync());

        // Reloading the page never shows the secret again.
        await page.ReloadAsync();
        await BrowserFixture.WaitInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("apikey-secret")).ToHaveCountAsync(0);
        Assert.DoesNotContain(secret, await page.ContentAsync());
        await page.Context.CloseAsync();
    }
}
