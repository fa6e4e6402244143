using static Microsoft.Playwright.Assertions;

namespace NagrywanieRozmow.Tests.Browser;

/// <summary>An administrator opens the API reference from the menu and reads an operation; the document link opens the JSON.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ApiPageBrowserTests(BrowserFixture app)
{
    [Fact]
    public async Task An_administrator_finds_the_api_reference_in_the_menu_and_reads_who_may_call_an_operation()
    {
        var page = await app.SignedInPageAsync(Roles.Administrator);
        await page.GetByLabel("Menu", new() { Exact = true }).ClickAsync();
        await page.GetByTestId("nav-api").ClickAsync();
        await page.WaitForURLAsync("**/admin/api");

        var get = page.Locator("[data-testid=api-operation][data-method=GET][data-path='/api/v1/recordings/{id}']");
        await Expect(get).ToBeVisibleAsync();
        await Expect(get).ToContainTextAsync("Get one recording");
        await Expect(get).ToContainTextAsync("Zakresy kluczy API: read");
        await Expect(get.Locator("[data-testid=api-response][data-status='404']")).ToContainTextAsync("application/problem+json");
        await Expect(page.GetByTestId("api-document-link")).ToHaveAttributeAsync("href", "/openapi/v1.json");
        await BrowserFixture.ScreenshotAsync(page, "api-page");

        // The link opens the document itself, with this person's cookie.
        var document = await page.Context.APIRequest.GetAsync(app.BaseUrl + "/openapi/v1.json");
        Assert.Equal(200, document.Status);
        Assert.Contains("\"/api/v1/recordings/{id}\"", await document.TextAsync());
        await page.Context.CloseAsync();
    }
}
