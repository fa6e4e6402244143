using Bunit;
using Bunit.TestDoubles;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using MudBlazor.Services;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Shared.Storage;
using NagrywanieRozmow.Shared.Time;

namespace NagrywanieRozmow.Tests.Infrastructure;

/// <summary>
/// bUnit with MudBlazor 9 and the app's real data services: a migrated SQLite file and a file store in a temp folder.
/// Disposed asynchronously (MudBlazor's services are async-only).
/// </summary>
public abstract class MudTestContext : BunitContext, IAsyncLifetime
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "nr-bunit", Guid.NewGuid().ToString("N"));

    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));

    protected MudTestContext()
    {
        Directory.CreateDirectory(root);
        // As the app does for every request: Polish unless the user chose English.
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo("pl-PL");
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddLocalization();
        Services.AddSingleton<TimeProvider>(Clock);
        Services.AddSingleton(new DisplayTime(TimeZoneInfo.FindSystemTimeZoneById("Europe/Warsaw")));
        var store = new FileSystemRecordingStore(Path.Combine(root, "recordings"), Path.Combine(root, "archive"));
        Services.AddSingleton<IRecordingStore>(store);
        Services.AddSingleton(store.Archive!);
        Services.AddDbContextFactory<SqliteAppDbContext>(o => o.UseSqlite($"Data Source={Path.Combine(root, "app.db")}"));
        Services.AddSingleton<IDbContextFactory<AppDbContext>>(sp => new Forward(sp.GetRequiredService<IDbContextFactory<SqliteAppDbContext>>()));
        // Pages write searches and access attempts to the real audit log in the test database.
        Services.AddSingleton<AuditLog>();
        Services.AddScoped<CircuitClient>();
        Services.AddSingleton<NagrywanieRozmow.Features.Recordings.RecordingArrivals>();
        Services.AddSingleton<NagrywanieRozmow.Features.Recordings.KnownDids>();
        Services.AddSingleton<NagrywanieRozmow.Features.Recordings.RecordingFinder>();
        Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new NagrywanieRozmow.Features.Retention.RetentionOptions()));
        Services.AddSingleton<NagrywanieRozmow.Features.Retention.RetentionPolicies>();
        Services.AddSingleton<NagrywanieRozmow.Features.Recordings.IRetentionSchedule>(sp => sp.GetRequiredService<NagrywanieRozmow.Features.Retention.RetentionPolicies>());
        Services.AddSingleton<NagrywanieRozmow.Features.Retention.RetentionImpact>();
        Services.AddSingleton<NagrywanieRozmow.Features.Retention.RetentionOverview>();
        Services.AddSingleton<NagrywanieRozmow.Features.Retention.LegalHolds>();
        Services.AddSingleton<NagrywanieRozmow.Features.Retention.RecordingEraser>();
        Services.AddSingleton<NagrywanieRozmow.Features.Retention.ManualDeletion>();
        Services.AddSingleton<NagrywanieRozmow.Features.Retention.ArchiveRestores>();
        Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new NagrywanieRozmow.Features.Evidence.DownloadOptions()));
        Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new NagrywanieRozmow.Features.Recordings.CrmOptions { CaseUrlTemplate = "https://crm.example/cases/{case}" }));
        Services.AddSingleton<NagrywanieRozmow.Features.Recordings.RecordingLabels>();
        Services.AddSingleton<NagrywanieRozmow.Features.Quality.Scorecards>();
        Services.AddSingleton<NagrywanieRozmow.Features.Quality.Evaluations>();
        Services.AddSingleton<NagrywanieRozmow.Features.Quality.TimelineComments>();
        Services.AddSingleton<NagrywanieRozmow.Features.Quality.Collections>();
        Services.AddSingleton<NagrywanieRozmow.Features.Watches.Watchlist>();
        Services.AddSingleton<NagrywanieRozmow.Features.Watches.WatchNotices>();
        Auth = AddAuthorization();
        Auth.SetAuthorized("handler@example.com");
        // The role decides which recordings are in scope (RecordingScope); a complaint handler sees every call.
        Auth.SetRoles(Roles.ComplaintHandler);
        SignIn();
    }

    /// <summary>Who is looking: by default a complaint handler, who may listen and download.</summary>
    protected BunitAuthorizationContext Auth { get; }

    protected void SignIn(params string[] policies) =>
        Auth.SetPolicies(policies.Length > 0 ? policies : [Policies.ListenRecordings, Policies.DownloadRecordings]);

    protected IRecordingStore Store => Services.GetRequiredService<IRecordingStore>();

    protected async Task WithDbAsync(Func<AppDbContext, Task> action)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        await action(db);
    }

    protected T WithDb<T>(Func<AppDbContext, T> query)
    {
        using var db = Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContext();
        return query(db);
    }

    public virtual async Task InitializeAsync()
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        await db.Database.MigrateAsync();
        Render<MudPopoverProvider>();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(root, recursive: true); } catch (IOException) { }
    }

    private sealed class Forward(IDbContextFactory<SqliteAppDbContext> inner) : IDbContextFactory<AppDbContext>
    {
        public AppDbContext CreateDbContext() => inner.CreateDbContext();
    }
}
