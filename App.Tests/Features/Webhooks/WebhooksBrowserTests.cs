using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Tests.Features.Webhooks;

/// <summary>In Chromium: an administrator registers a receiver, copies the secret shown once, and watches the delivery arrive in the log.</summary>
[Collection(BrowserCollection.Name)]
public sealed class WebhooksBrowserTests(BrowserFixture app)
{
    [Fact]
    public async Task An_administrator_registers_a_receiver_and_its_delivery_shows_in_the_log()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var page = await app.SignedInPageAsync(Roles.Administrator, path: "/admin/webhooks");

        await page.GetByTestId("webhook-url").FillAsync(receiver.Url);
        await page.Locator("input[data-event='recording.case_added'], [data-event='recording.case_added'] input").CheckAsync();
        await page.GetByTestId("webhook-add").ClickAsync();
        receiver.Secret = (await page.GetByTestId("webhook-secret").InnerTextAsync()).Trim();
        Assert.StartsWith("whsec_", receiver.Secret);

        // A case number on one of the shared recordings, taken off again at the end: the other browser tests count those recordings.
        var admin = TestAuth.Principal("admin@example.com", Roles.Administrator);
        var labels = app.Services.GetRequiredService<RecordingLabels>();
        await labels.AddAsync(app.Complaint.Id, LabelKind.Case, "BROWSER-1", admin, AuditActor.Of(admin, null));
        await receiver.WaitForAsync(r => r.Count == 1, TimeSpan.FromSeconds(30), "the delivery");
        Assert.True(receiver.Received[0].Verified, receiver.Received[0].Problem);

        var row = page.Locator($"[data-testid=webhook-row]:has(code:text-is('{receiver.Url}'))");
        await row.GetByTestId("webhook-deliveries").ClickAsync();
        var delivery = page.GetByTestId("delivery-row");
        await Assertions.Expect(delivery).ToHaveCountAsync(1);
        // The log is read when asked: refresh until the attempt's outcome is written.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (await delivery.GetAttributeAsync("data-state") != "Delivered")
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"the log still says {await delivery.GetAttributeAsync("data-state")} after 15 s");
            await page.GetByTestId("deliveries-refresh").ClickAsync();
            await Task.Delay(100);
        }
        await Assertions.Expect(delivery.GetByTestId("delivery-code")).ToHaveTextAsync("200");
        await Assertions.Expect(delivery).ToContainTextAsync(receiver.Received[0].MessageId);
        await BrowserFixture.ScreenshotAsync(page, "webhooks-page");

        // Reloading the page never shows the secret again.
        await page.ReloadAsync();
        await BrowserFixture.WaitInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("webhook-secret")).ToHaveCountAsync(0);
        Assert.DoesNotContain(receiver.Secret, await page.ContentAsync());
        await labels.RemoveAsync(app.Complaint.Id, LabelKind.Case, "BROWSER-1", admin, AuditActor.Of(admin, null));
        await page.Context.CloseAsync();
    }
}
