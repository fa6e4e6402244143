using Microsoft.Playwright;

namespace NagrywanieRozmow.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class SignInTests(BrowserFixture app)
{
    [Fact]
    public async Task A_person_signs_in_and_lands_on_the_recordings_panel()
    {
        var page = await app.SignedInPageAsync(Roles.ComplaintHandler);
        Assert.EndsWith("/recordings", new Uri(page.Url).AbsolutePath);
        await Assertions.Expect(page.GetByTestId("recordings-grid")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Nagrania rozmów" })).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_wrong_password_shows_a_clear_message_and_stays_on_the_sign_in_page()
    {
        var context = await app.Browser.NewContextAsync(new() { BaseURL = app.BaseUrl });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/recordings");
        Assert.Contains("/account/login", page.Url);
        await page.GetByTestId("login-email").FillAsync(BrowserFixture.EmailOf(Roles.Administrator));
        await page.GetByTestId("login-password").FillAsync("not-the-password");
        await page.GetByTestId("login-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("login-error")).ToContainTextAsync("Nieprawidłowy e-mail lub hasło");
        Assert.Contains("/account/login", page.Url);
        var entry = await app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.LastAsync(
            db.AuditLog.Where(a => a.Action == AuditActions.SignIn).OrderBy(a => a.Id)));
        Assert.Equal((BrowserFixture.EmailOf(Roles.Administrator), "failed", "wrong password"), (entry.Actor, entry.Outcome, entry.Reason));
        await context.CloseAsync();
    }
}
