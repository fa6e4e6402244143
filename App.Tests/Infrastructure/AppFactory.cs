using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Access;
using NagrywanieRozmow.Shared.Storage;

namespace NagrywanieRozmow.Tests.Infrastructure;

/// <summary>
/// The real app on a throw-away SQLite file and recording folder. Requests carrying <see cref="TestAuth.Header"/> are
/// signed in as that role; requests without it go through the real sign-in (cookie or X-Api-Key; 401 on the API otherwise).
/// </summary>
public class AppFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "nr-tests", Guid.NewGuid().ToString("N"));
    public string DatabasePath => Path.Combine(Root, "app.db");
    public string StorePath => Path.Combine(Root, "recordings");

    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>The database the app runs on: a SQLite file under <see cref="Root"/> unless a subclass names another.</summary>
    protected virtual (DatabaseProvider Provider, string ConnectionString) Database => (DatabaseProvider.Sqlite, $"Data Source={DatabasePath}");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(Root);
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", Database.Provider.ToString());
        builder.UseSetting("ConnectionStrings:Default", Database.ConnectionString);
        builder.UseSetting("Storage:RootPath", StorePath);
        builder.UseSetting("Demo:Seed", "false");
        builder.UseSetting("Evidence:SigningKeyPath", Path.Combine(Root, "evidence-signing.key"));
        // The test client talks plain http to http://localhost, where .NET's cookie container never sends a Secure cookie
        // back; SecurityTests run with the production defaults (__Host- cookies) over https.
        builder.UseSetting("Security:SecureCookies", "false");
        // The suites call the API hundreds of times a minute as one test person; RateLimitTests set small limits of their own.
        builder.UseSetting("RateLimits:ApiPermitLimit", "0");
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
        builder.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureTestServices(services =>
        {
            services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, TestAuth>(TestAuth.SchemeName, _ => { })
                .AddPolicyScheme(TestAuth.Selector, TestAuth.Selector, o => o.ForwardDefaultSelector = ctx =>
                    ctx.Request.Headers.ContainsKey(TestAuth.Header) ? TestAuth.SchemeName : AccessFeature.DefaultScheme);
            services.Configure<AuthenticationOptions>(o =>
            {
                o.DefaultScheme = TestAuth.Selector;
                o.DefaultAuthenticateScheme = TestAuth.Selector;
                o.DefaultChallengeScheme = TestAuth.Selector;
            });
        });
    }

    public IRecordingStore Store => Services.GetRequiredService<IRecordingStore>();

    public async Task WithDbAsync(Func<AppDbContext, Task> action)
    {
        await using var scope = Services.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    public async Task<T> WithDbAsync<T>(Func<AppDbContext, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    /// <summary>Runs a command-line verb as `dotnet App.dll VERB …` would, against this app's database and store.</summary>
    public async Task<(int Exit, string Output)> RunCliAsync(Func<IServiceProvider, NagrywanieRozmow.Shared.Cli.CliArgs, TextWriter, Task<int>> verb, params string[] args)
    {
        var output = new StringWriter();
        await using var scope = Services.CreateAsyncScope();
        var exit = await verb(scope.ServiceProvider, NagrywanieRozmow.Shared.Cli.CliArgs.Parse(args), output);
        return (exit, output.ToString());
    }

    /// <summary>A client signed in with the given role (and team, when the role is team-scoped).</summary>
    public HttpClient ClientAs(string role, string? team = null, string email = "tester@example.com", string? ownExtension = null, bool mayDelete = false)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add(TestAuth.Header, TestAuth.Value(email, role, team, ownExtension, mayDelete));
        return client;
    }

    public HttpClient AnonymousClient() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    /// <summary>A client that authenticates with a real API key (created in this app's database).</summary>
    /// <summary>What a page's form carries for this person: the antiforgery cookie, and the form field's name and token.</summary>
    public (string Cookie, string Field, string Token) AntiforgeryFor(System.Security.Claims.ClaimsPrincipal user)
    {
        var http = new Microsoft.AspNetCore.Http.DefaultHttpContext { User = user, RequestServices = Services };
        var tokens = Services.GetRequiredService<Microsoft.AspNetCore.Antiforgery.IAntiforgery>().GetAndStoreTokens(http);
        return (http.Response.Headers.SetCookie.ToString().Split(';')[0], tokens.FormFieldName, tokens.RequestToken!);
    }

    public async Task<HttpClient> KeyClientAsync(string scope, string? team = null)
    {
        await using var scopeServices = Services.CreateAsyncScope();
        var (_, secret) = await scopeServices.ServiceProvider.GetRequiredService<ApiKeys>().CreateAsync($"test-{Guid.NewGuid():N}"[..20], scope, team);
        var client = AnonymousClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthentication.Header, secret);
        return client;
    }

    public virtual async Task InitializeAsync()
    {
        // Start the host (migrates the database the same way the real app does).
        _ = Server;
        await Services.GetRequiredService<IHost>().MigrateDatabaseAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        // Idle pooled connections (Hangfire's too) would hold a PostgreSQL test database open and count against max_connections.
        Npgsql.NpgsqlConnection.ClearAllPools();
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

public sealed class TestAuth(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Test";
    public const string Selector = "TestOrCookie";
    public const string Header = "X-Test-User";

    /// <summary>The header's value: who, in which role, limited to which teams (comma-separated), hearing which own extension, allowed to delete.</summary>
    public static string Value(string email, string role, string? team, string? ownExtension = null, bool mayDelete = false) =>
        $"{email}|{role}|{team}|{ownExtension}|{(mayDelete ? "delete" : "")}";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var value = Request.Headers[Header].ToString();
        if (string.IsNullOrEmpty(value)) return Task.FromResult(AuthenticateResult.NoResult());
        var parts = value.Split('|');
        var principal = Principal(parts[0], parts[1], parts.ElementAtOrDefault(2), parts.ElementAtOrDefault(3) is { Length: > 0 } x ? x : null,
            parts.ElementAtOrDefault(4) == "delete");
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    /// <summary>The person a request or a page sees: e-mail, role, teams (comma-separated), own extension, deletion permission.</summary>
    public static ClaimsPrincipal Principal(string email, string role, string? team = null, string? ownExtension = null, bool mayDelete = false)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, email),
            new(ClaimTypes.Name, email),
            new(ClaimTypes.Email, email),
            new(ClaimTypes.Role, role),
        };
        claims.AddRange(RecordingScope.ParseTeams(team).Select(t => new Claim(RecordingScope.TeamClaim, t)));
        if (ownExtension is not null) claims.Add(new Claim(RecordingScope.OwnExtensionClaim, ownExtension));
        if (mayDelete) claims.Add(new Claim(Permissions.MayDeleteClaim, "true"));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
    }
}
