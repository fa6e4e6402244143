using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace NagrywanieRozmow.Data;

public sealed class DatabaseOptions
{
    [Required] public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;
}

public static class DatabaseFeature
{
    public const string DefaultSqliteConnection = "Data Source=data/app.db";

    public static IHostApplicationBuilder AddDatabase(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration("Database").ValidateDataAnnotations().ValidateOnStart();
        var provider = builder.Configuration.GetValue("Database:Provider", DatabaseProvider.Sqlite);
        var connectionString = builder.Configuration.GetConnectionString("Default");

        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                var sqlite = ResolveSqlitePath(connectionString ?? DefaultSqliteConnection, builder.Environment.ContentRootPath);
                Register<SqliteAppDbContext>(builder, o => o.UseSqlite(sqlite, s => s.CommandTimeout(120)).AddInterceptors(SqliteMemoryMap.Instance));
                break;
            case DatabaseProvider.SqlServer:
                if (string.IsNullOrWhiteSpace(connectionString))
                    throw new InvalidOperationException("Database:Provider is SqlServer but ConnectionStrings:Default is empty.");
                Register<SqlServerAppDbContext>(builder, o => o.UseSqlServer(connectionString));
                break;
            case DatabaseProvider.PostgreSql:
                var postgres = CheckPostgreSqlConnection(connectionString);
                Register<PostgreSqlAppDbContext>(builder, o => o.UseNpgsql(postgres, s => s.CommandTimeout(120)));
                break;
            default:
                throw new InvalidOperationException($"Database:Provider '{provider}' is not supported; use Sqlite, SqlServer or PostgreSql.");
        }
        // The keys behind sign-in cookies and antiforgery tokens live in the database, so every instance behind a load
        // balancer reads what another wrote (a cookie from one is good on all), and a backup of the database holds them.
        builder.Services.AddDataProtection().SetApplicationName("NagrywanieRozmow").PersistKeysToDbContext<AppDbContext>();
        return builder;
    }

    /// <summary>An empty or malformed connection string stops the start with the key to fix, not a failure at the first query.</summary>
    internal static string CheckPostgreSqlConnection(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidOperationException("Database:Provider is PostgreSql but ConnectionStrings:Default is empty (e.g. Host=db;Database=nagrywanie;Username=app;Password=…).");
        try
        {
            var csb = new NpgsqlConnectionStringBuilder(connectionString);
            if (string.IsNullOrWhiteSpace(csb.Host))
                throw new InvalidOperationException("Database:Provider is PostgreSql but ConnectionStrings:Default names no Host.");
            return connectionString;
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"ConnectionStrings:Default is not a valid PostgreSQL connection string: {e.Message}", e);
        }
    }

    /// <summary>The provider's context, handed out as <see cref="AppDbContext"/> (scoped, and from a factory).</summary>
    private static void Register<TContext>(IHostApplicationBuilder builder, Action<DbContextOptionsBuilder> provider) where TContext : AppDbContext
    {
        builder.Services.AddDbContextFactory<TContext>(o => provider(Quiet(o)));
        builder.Services.AddScoped<AppDbContext>(sp => sp.GetRequiredService<IDbContextFactory<TContext>>().CreateDbContext());
        builder.Services.AddSingleton<IDbContextFactory<AppDbContext>, ForwardingFactory<TContext>>();
    }

    /// <summary>Capped counts take the first N matches in any order on purpose; that is not a mistake worth a warning.</summary>
    private static DbContextOptionsBuilder Quiet(DbContextOptionsBuilder options) =>
        options.ConfigureWarnings(w => w.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.RowLimitingOperationWithoutOrderByWarning));

    /// <summary>Relative SQLite paths are taken from the content root, and the folder is created, so `data/app.db` lands in App/data.</summary>
    internal static string ResolveSqlitePath(string connectionString, string contentRoot)
    {
        var csb = new SqliteConnectionStringBuilder(connectionString);
        if (csb.DataSource is { Length: > 0 } ds && ds != ":memory:" && !ds.StartsWith("file:", StringComparison.Ordinal) && csb.Mode != SqliteOpenMode.Memory)
        {
            var full = Path.GetFullPath(Path.IsPathRooted(ds) ? ds : Path.Combine(contentRoot, ds));
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            csb.DataSource = full;
        }
        if (csb.DefaultTimeout < 30) csb.DefaultTimeout = 30;
        return csb.ToString();
    }

    /// <summary>
    /// Instances started together on a new server database migrate it one after the other: each waits here for a session
    /// lock on a connection of its own, held until its migrations are done, then finds them applied. EF's own migration
    /// lock did not hold on PostgreSQL (three instances at once failed with "relation already exists",
    /// `ConcurrentFirstStartTests`); SQLite needs nothing more (EF's lock table, and one file on one machine).
    /// </summary>
    private static async Task<IAsyncDisposable> MigrationLockAsync(AppDbContext db)
    {
        var (take, release) = db.Provider switch
        {
            DatabaseProvider.PostgreSql => ("SELECT pg_advisory_lock(7226351448)", "SELECT pg_advisory_unlock(7226351448)"),
            DatabaseProvider.SqlServer => (
                "EXEC sp_getapplock @Resource = N'migrations', @LockMode = N'Exclusive', @LockOwner = N'Session', @LockTimeout = -1",
                "EXEC sp_releaseapplock @Resource = N'migrations', @LockOwner = N'Session'"),
            _ => (null, null),
        };
        if (take is null) return NoLock.Instance;
        var connection = DbProviderFactories.GetFactory(db.Database.GetDbConnection())!.CreateConnection()!;
        connection.ConnectionString = db.Database.GetConnectionString();
        await connection.OpenAsync();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = take;
            command.CommandTimeout = 0; // as long as another instance's migrations take
            await command.ExecuteNonQueryAsync();
        }
        return new HeldLock(connection, release!);
    }

    private sealed class HeldLock(DbConnection connection, string release) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = release;
                await command.ExecuteNonQueryAsync();
            }
            await connection.DisposeAsync();
        }
    }

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    public static Task MigrateDatabaseAsync(this IHost app) => app.Services.MigrateDatabaseAsync();

    public static async Task MigrateDatabaseAsync(this IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await using (await MigrationLockAsync(db))
            await db.Database.MigrateAsync();
        if (db.Provider == DatabaseProvider.Sqlite)
        {
            // WAL lets the panel read while ingestion writes.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }
    }

    /// <summary>
    /// Every connection reads the database file through a memory map: a page another connection (or an earlier request)
    /// has read is then a memory access, not a read() into a per-connection 2 MB cache. At 1M rows a search that fetches a
    /// few thousand rows by id went from 11–30 ms to 3–5 ms. The OS keeps the pages (they count towards the resident size
    /// as file cache it may drop), the limit is the SQLite build's (2 GB in e_sqlite3's default build), and the WAL is read
    /// as before.
    /// </summary>
    internal sealed class SqliteMemoryMap : DbConnectionInterceptor
    {
        public static readonly SqliteMemoryMap Instance = new();
        private const string Pragma = "PRAGMA mmap_size=17179869184;"; // 16 GiB: as much as the build allows

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            using var command = connection.CreateCommand();
            command.CommandText = Pragma;
            command.ExecuteNonQuery();
        }

        public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Pragma;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private sealed class ForwardingFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<AppDbContext>
        where TContext : AppDbContext
    {
        public AppDbContext CreateDbContext() => inner.CreateDbContext();
    }
}
