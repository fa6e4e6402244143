using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Playwright;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Access;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Tests.Infrastructure;

/// <summary>
/// The real app on Kestrel (a free port) driven by Debian's Chromium through Playwright. A missing Chromium fails the run.
/// </summary>
public class BrowserFixture : AppFactory
{
    public const string Password = "Browser-Test-1!";
    public const string ChromiumPath = "/usr/bin/chromium";

    public string BaseUrl { get; private set; } = "";
    public IPlaywright Playwright { get; private set; } = default!;
    public IBrowser Browser { get; private set; } = default!;

    public override async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"Chromium is not installed at {ChromiumPath}: run ./test.sh as root or apt-get install chromium.");
        UseKestrel(0);
        StartServer();
        BaseUrl = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .First().Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1").TrimEnd('/');
        await Services.GetRequiredService<IHost>().MigrateDatabaseAsync();
        await using (var scope = Services.CreateAsyncScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
            foreach (var role in Roles.All)
            {
                var errors = await accounts.CreateAsync(EmailOf(role), Password, role, team: null, extension: role == Roles.Agent ? "201" : null);
                if (errors.Count > 0) throw new InvalidOperationException(string.Join(" ", errors));
            }
            var teamErrors = await accounts.CreateAsync(TeamManagerEmail, Password, Roles.QualityManager, team: "Reklamacje", extension: null);
            if (teamErrors.Count > 0) throw new InvalidOperationException(string.Join(" ", teamErrors));
        }
        await SeedCallsAsync();
        // Generous waits: a busy 2-core CI machine is slower than a developer's, and a wait ends as soon as it is met.
        Assertions.SetDefaultExpectTimeout(15_000);
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await LaunchChromiumAsync(Playwright);
    }

    /// <summary>Debian's Chromium, headless; a missing Chromium fails the run.</summary>
    public static Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright)
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"Chromium is not installed at {ChromiumPath}: run ./test.sh as root or apt-get install chromium.");
        return playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required", "--mute-audio",
            ],
        });
    }

    /// <summary>The customer who complains: two calls, yesterday and three weeks ago, written two ways by the PBX.</summary>
    public Recording Complaint { get; private set; } = default!;
    public Recording OlderComplaint { get; private set; } = default!;
    public Recording Missing { get; private set; } = default!;

    private async Task SeedCallsAsync()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Warsaw");
        var today = TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow, zone).Date;
        DateTime At(int daysAgo, int hour) => TimeZoneInfo.ConvertTimeToUtc(today.AddDays(-daysAgo).AddHours(hour), zone);
        await WithDbAsync(async db =>
        {
            db.Directory.AddRange(
                new DirectoryEntry { Extension = "201", DisplayName = "Anna Kowalska", Team = "Reklamacje" },
                new DirectoryEntry { Extension = "202", DisplayName = "Piotr Nowak", Team = "Reklamacje" });
            await db.SaveChangesAsync();
        });
        Complaint = await TestData.AddWithAudioAsync(this, TestData.Recording(startedAt: At(1, 10), caller: "+48 601 234 567", callee: "201", durationSeconds: 40));
        OlderComplaint = await TestData.AddWithAudioAsync(this,
            TestData.Recording(startedAt: At(21, 11), caller: "48601234567", callee: "202", extension: "202", userName: "Piotr Nowak", durationSeconds: 20));
        for (var i = 0; i < 6; i++)
            await TestData.AddWithAudioAsync(this, TestData.Recording(startedAt: At(i, 9), caller: $"4822765432{i}", callee: "400", extension: "205",
                userName: "Magdalena Kamińska", team: "Obsługa klienta", type: CallType.Queue, durationSeconds: 5 + i));
        Missing = await TestData.AddAsync(this, TestData.Recording(startedAt: At(2, 12), caller: "48500100200", callee: "201", durationSeconds: 30));
    }

    public static string EmailOf(string role) => $"{role.ToLowerInvariant()}@browser.test";

    /// <summary>A QualityManager of the "Reklamacje" team.</summary>
    public const string TeamManagerEmail = "team-manager@browser.test";

    /// <summary>A fresh browser context (own cookies) with a page signed in as the role, waiting until Blazor is interactive.</summary>
    /// <remarks><paramref name="phone"/> makes it a touch phone (mobile viewport, touch events, 3× pixels), as a person holds it.</remarks>
    public Task<IPage> SignedInPageAsync(string role, int width = 1366, int height = 850, string path = "/recordings", string? email = null, string password = Password,
        bool phone = false) =>
        SignInAsync(Browser, BaseUrl, email ?? EmailOf(role), password, path, width, height, phone);

    /// <summary>A fresh browser context (own cookies) with a page signed in on the app at <paramref name="baseUrl"/>, waiting until Blazor is interactive.</summary>
    public static async Task<IPage> SignInAsync(IBrowser browser, string baseUrl, string email, string password, string path, int width = 1366, int height = 850,
        bool phone = false)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            IsMobile = phone,
            HasTouch = phone,
            DeviceScaleFactor = phone ? 3 : null,
            AcceptDownloads = true,
            Locale = "pl-PL",
            TimezoneId = "Europe/Warsaw",
        });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        var console = new List<string>();
        page.Console += (_, m) => console.Add($"{m.Type}: {m.Text}");
        page.PageError += (_, e) => console.Add($"pageerror: {e}");
        await page.GotoAsync($"/account/login?returnUrl={Uri.EscapeDataString(path)}");
        await page.GetByTestId("login-email").FillAsync(email);
        await page.GetByTestId("login-password").FillAsync(password);
        await page.GetByTestId("login-submit").ClickAsync();
        try { await page.WaitForURLAsync(url => !url.Contains("/account/login")); }
        catch (TimeoutException) { throw new InvalidOperationException("Sign-in did not leave the sign-in page: " + await page.InnerTextAsync("body")); }
        try { await WaitInteractiveAsync(page); }
        catch (TimeoutException) { throw new InvalidOperationException($"{page.Url} never became interactive. Browser console:\n{string.Join("\n", console)}"); }
        return page;
    }

    public static Task WaitInteractiveAsync(IPage page) =>
        page.Locator("[data-interactive=true]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(dir);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, name + ".png"), FullPage = true });
    }

    public override async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        Playwright?.Dispose();
        await base.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
