using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Demo;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Features.Retention;
using NagrywanieRozmow.Tests.Fixtures;

namespace NagrywanieRozmow.Tests.Data;

/// <summary>The app on PostgreSQL beside SQLite (<see cref="ServerDatabaseAppTests"/>), and what only PostgreSQL has.</summary>
public sealed class PostgreSqlAppTests(PostgreSqlAppTests.Apps apps) : ServerDatabaseAppTests(apps), IClassFixture<PostgreSqlAppTests.Apps>
{
    /// <summary>A cluster of its own (never skipped: without PostgreSQL's binaries the fixture fails and says what to install).</summary>
    public sealed class Apps : ServerDatabaseApps
    {
        public PostgreSqlServer Cluster { get; } = new();
        protected override DatabaseProvider Provider => DatabaseProvider.PostgreSql;

        protected override async Task<(string?, string?)> CreateDatabaseAsync()
        {
            await Cluster.InitializeAsync();
            return (await Cluster.CreateDatabaseAsync(), null);
        }

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            await Cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_bulk_seeder_leaves_the_indexes_as_migrated_and_appends_on_a_second_run()
    {
        Assert.Equal("Npgsql.EntityFrameworkCore.PostgreSQL", await Server.WithDbAsync(db => Task.FromResult(db.Database.ProviderName)));
        // Every index the migration made is back, built again after the COPY (the same definitions, the same names).
        var fresh = new FixedClockApp(DatabaseProvider.PostgreSql, await ((Apps)Fixture).Cluster.CreateDatabaseAsync());
        await fresh.InitializeAsync();
        try
        {
            const string indexes = "SELECT indexdef AS \"Value\" FROM pg_indexes WHERE tablename = 'Recordings' ORDER BY indexname";
            var migrated = await fresh.WithDbAsync(db => db.Database.SqlQueryRaw<string>(indexes).ToListAsync());
            Assert.Equal(17, migrated.Count);
            Assert.Equal(migrated, await Server.WithDbAsync(db => db.Database.SqlQueryRaw<string>(indexes).ToListAsync()));

            // A second load appends after the first (new call ids, new ids).
            foreach (var _ in new[] { 1, 2 })
                Assert.Equal(0, (await fresh.RunCliAsync(SeedDemoCli.RunAsync, "--recordings", "50", "--audio", "none")).Exit);
            Assert.Equal(100, await fresh.WithDbAsync(db => db.Recordings.Select(r => r.CallId).Distinct().CountAsync()));
        }
        finally
        {
            await ((IAsyncLifetime)fresh).DisposeAsync();
        }
    }

    [Fact]
    public async Task Hangfire_keeps_recurring_jobs_in_the_postgres_database()
    {
        Assert.IsType<PostgreSqlStorage>(Server.Services.GetRequiredService<JobStorage>());
        using (var connection = Server.Services.GetRequiredService<JobStorage>().GetConnection())
            Assert.Single(connection.GetRecurringJobs([RetentionPurgeJob.Id]));
        // In the database itself, where another instance (or this one after a restart) finds it.
        var stored = await Server.WithDbAsync(db => db.Database.SqlQueryRaw<string>(
            "SELECT value AS \"Value\" FROM hangfire.set WHERE key = 'recurring-jobs'").ToListAsync());
        Assert.Contains(RetentionPurgeJob.Id, stored);

        Assert.IsNotType<PostgreSqlStorage>(Sqlite.Services.GetRequiredService<JobStorage>());
    }

    /// <summary>
    /// The fragment search must reach the GIN trigram index (LIKE), not read every row (strpos, which Contains becomes).
    /// </summary>
    [Fact]
    public async Task A_rare_fragment_is_looked_up_in_the_trigram_index()
    {
        var fragment = PickFragment(5, common: false);
        var plan = await Server.WithDbAsync(async db =>
        {
            await db.Database.ExecuteSqlRawAsync("ANALYZE \"Recordings\"");
            await using var command = RecordingSearch.Filter(db, new RecordingFilter { Number = fragment }).Select(r => r.Id).CreateDbCommand();
            command.CommandText = "EXPLAIN " + command.CommandText;
            await db.Database.OpenConnectionAsync();
            var lines = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) lines.Add(reader.GetString(0));
            return string.Join('\n', lines);
        });
        Assert.Contains("Bitmap Index Scan on \"IX_Recordings_CallerDigits_Trigram\"", plan);
        Assert.Contains("Bitmap Index Scan on \"IX_Recordings_CalleeDigits_Trigram\"", plan);
    }
}
