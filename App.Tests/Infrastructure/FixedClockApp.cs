using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NagrywanieRozmow.Data;

namespace NagrywanieRozmow.Tests.Infrastructure;

/// <summary>
/// The real app on the given database (SQLite under <see cref="AppFactory.Root"/> when none is named) with a clock stopped
/// at <see cref="Now"/>, so two apps seeded alike hold the same rows whatever their provider.
/// </summary>
public sealed class FixedClockApp(DatabaseProvider provider = DatabaseProvider.Sqlite, string? connectionString = null) : AppFactory
{
    public static readonly DateTime Now = new(2026, 11, 20, 10, 0, 0, DateTimeKind.Utc);
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(Now));

    protected override (DatabaseProvider Provider, string ConnectionString) Database =>
        connectionString is null ? base.Database : (provider, connectionString);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}
