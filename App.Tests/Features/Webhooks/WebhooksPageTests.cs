using System.Net;
using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Features.Webhooks;

namespace NagrywanieRozmow.Tests.Features.Webhooks;

/// <summary>/admin/webhooks as an administrator uses it: register (the secret once), the list, switch off and on, the delivery log and "send again".</summary>
public sealed class WebhooksPageTests : MudTestContext
{
    public WebhooksPageTests()
    {
        Services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());
        Services.AddSingleton<WebhookSignal>();
        Services.AddSingleton<WebhookEndpoints>();
        Auth.SetAuthorized("admin@example.com");
        Auth.SetRoles(Roles.Administrator);
        SignIn(Policies.Administration);
    }

    private static IElement Switch(IRenderedComponent<WebhooksPage> page, string selector) =>
        page.Find(selector) is { TagName: "INPUT" } input ? input : page.Find(selector + " input");

    private Task<List<string>> AuditedAsync() => Task.FromResult(WithDb(db => db.AuditLog.OrderBy(a => a.Id).Select(a => a.Action + " " + a.Actor).ToList()));

    [Fact]
    public async Task An_administrator_registers_an_endpoint_sees_the_secret_once_and_sends_a_failed_delivery_again()
    {
        var page = Render<WebhooksPage>();
        Assert.NotNull(page.Find("[data-testid=webhooks-empty]"));

        page.Find("input[data-testid=webhook-url]").Change("https://crm.example/hooks");
        Switch(page, "[data-testid=webhook-event][data-event='recording.case_added']").Change(true);
        Switch(page, "[data-testid=webhook-event][data-event='hold.placed']").Change(true);
        page.Find("input[data-testid=webhook-team]").Change("Reklamacje");
        page.Find("[data-testid=webhook-add]").Click();

        page.WaitForAssertion(() => Assert.Matches("^whsec_[A-Za-z0-9+/]+=*$", page.Find("[data-testid=webhook-secret]").TextContent.Trim()));
        var row = page.Find("[data-testid=webhook-row]");
        Assert.Contains("https://crm.example/hooks", row.TextContent);
        Assert.Contains("recording.case_added, hold.placed", row.TextContent);
        Assert.Contains("Reklamacje", row.TextContent);
        Assert.Contains("włączony", page.Find("[data-testid=webhook-status]").TextContent);
        var endpoint = WithDb(db => db.Set<WebhookEndpoint>().Single());
        Assert.Contains("webhook.created admin@example.com", await AuditedAsync());

        // A delivery that failed: the log shows its state, attempts and the receiver's code; "send again" queues the same message.
        await WithDbAsync(async db =>
        {
            db.Add(new WebhookDelivery
            {
                EndpointId = endpoint.Id, MessageId = "msg_0123456789abcdef0123456789abcdef", EventType = WebhookEvents.CaseAdded, RecordingId = 42, AuditEntryId = 1,
                Payload = "{}", State = DeliveryState.Failed, Attempts = 8, MaxAttempts = 8, LastStatusCode = 503, LastError = "HTTP 503 Service Unavailable",
                CreatedAt = Clock.GetUtcNow().UtcDateTime, LastAttemptAt = Clock.GetUtcNow().UtcDateTime, NextAttemptAt = Clock.GetUtcNow().UtcDateTime,
            });
            await db.SaveChangesAsync();
        });
        page.Find("[data-testid=webhook-deliveries]").Click();
        var delivery = page.WaitForElement("[data-testid=delivery-row]");
        Assert.Equal("Failed", delivery.GetAttribute("data-state"));
        Assert.Equal("8", page.Find("[data-testid=delivery-attempts]").TextContent.Trim());
        Assert.Equal("503", page.Find("[data-testid=delivery-code]").TextContent.Trim());
        Assert.Contains("HTTP 503", delivery.TextContent);

        page.Find("[data-testid=delivery-resend]").Click();
        page.WaitForAssertion(() => Assert.Equal("Pending", page.Find("[data-testid=delivery-row]").GetAttribute("data-state")));
        Assert.Empty(page.FindAll("[data-testid=delivery-resend]"));
        var resent = WithDb(db => db.Set<WebhookDelivery>().Single());
        Assert.Equal((DeliveryState.Pending, 9, "msg_0123456789abcdef0123456789abcdef"), (resent.State, resent.MaxAttempts, resent.MessageId));
        Assert.Contains("webhook.resent admin@example.com", await AuditedAsync());

        // Switched off, the row says so and by whom; switched on again.
        page.Find("[data-testid=webhook-disable]").Click();
        page.WaitForAssertion(() => Assert.Contains("wyłączony: disabled by admin@example.com", page.Find("[data-testid=webhook-status]").TextContent));
        page.Find("[data-testid=webhook-enable]").Click();
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=webhook-enable]")));
        Assert.Equal(2, (await AuditedAsync()).Count(a => a.StartsWith(AuditActions.WebhookChanged, StringComparison.Ordinal)));

        page.Find("[data-testid=webhook-delete]").Click();
        page.Find("[data-testid=webhook-confirm-delete-yes]").Click();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=webhooks-empty]")));
        Assert.Equal(0, WithDb(db => db.Set<WebhookDelivery>().Count()));
        Assert.Contains("webhook.deleted admin@example.com", await AuditedAsync());
    }

    [Fact]
    public void A_bad_url_or_no_event_is_refused_with_a_message_and_nothing_is_registered()
    {
        var page = Render<WebhooksPage>();
        page.Find("input[data-testid=webhook-url]").Change("crm.example/hooks");
        Switch(page, "[data-testid=webhook-event][data-event='recording.created']").Change(true);
        page.Find("[data-testid=webhook-add]").Click();
        page.WaitForAssertion(() => Assert.Contains("absolute http:// or https://", page.Find("[data-testid=webhook-error]").TextContent));

        page.Find("input[data-testid=webhook-url]").Change("https://crm.example/hooks");
        Switch(page, "[data-testid=webhook-event][data-event='recording.created']").Change(false);
        page.Find("[data-testid=webhook-add]").Click();
        page.WaitForAssertion(() => Assert.Contains("at least one event", page.Find("[data-testid=webhook-error]").TextContent));

        Assert.Empty(page.FindAll("[data-testid=webhook-secret]"));
        Assert.Equal(0, WithDb(db => db.Set<WebhookEndpoint>().Count()));
    }
}

/// <summary>The page is for administrators only: others are refused, anonymous callers sent to sign in.</summary>
public sealed class WebhooksPageAccessTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Administrators_get_the_page_others_are_refused_and_anonymous_callers_must_sign_in()
    {
        var page = await app.ClientAs(Roles.Administrator).GetAsync("/admin/webhooks");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("data-testid=\"webhook-url\"", await page.Content.ReadAsStringAsync());

        foreach (var role in new[] { Roles.QualityManager, Roles.Compliance, Roles.ComplaintHandler, Roles.Agent })
        {
            var refused = await app.ClientAs(role).GetAsync("/admin/webhooks");
            Assert.True(refused.StatusCode is HttpStatusCode.Forbidden, $"{role}: {(int)refused.StatusCode}");
        }
        var anonymous = await app.AnonymousClient().GetAsync("/admin/webhooks");
        Assert.True(anonymous.StatusCode == HttpStatusCode.Redirect && anonymous.Headers.Location!.OriginalString.Contains("/account/login"),
            $"anonymous: {(int)anonymous.StatusCode} {anonymous.Headers.Location}");
    }
}
