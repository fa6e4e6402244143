using Hangfire;
using Hangfire.SqlServer;
using Microsoft.Data.SqlClient;
using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Data;

namespace NagrywanieRozmow.Tests.Data;

/// <summary>
/// The app on SQL Server beside SQLite (<see cref="ServerDatabaseAppTests"/>). SQL Server cannot run on this machine: the
/// suite runs when <c>TEST_SQLSERVER</c> holds a connection string to a server where the login may create databases (a
/// database of its own is created and dropped), and is reported skipped, saying so, otherwise. Its migrations and script
/// are tested without a server in <see cref="MigrationTests"/>.
/// </summary>
public sealed class SqlServerAppTests(SqlServerAppTests.Apps apps) : ServerDatabaseAppTests(apps), IClassFixture<SqlServerAppTests.Apps>
{
    public const string Variable = "TEST_SQLSERVER";

    public sealed class Apps : ServerDatabaseApps
    {
        private string? server, database;
        protected override DatabaseProvider Provider => DatabaseProvider.SqlServer;

        protected override async Task<(string?, string?)> CreateDatabaseAsync()
        {
            server = Environment.GetEnvironmentVariable(Variable);
            if (string.IsNullOrWhiteSpace(server))
                return (null,
                    $"SQL Server is not available here: set {Variable} to a connection string (e.g. Server=localhost;User Id=sa;Password=…;TrustServerCertificate=True) to run this suite.");
            database = $"nr_test_{Guid.NewGuid():N}";
            await ExecuteAsync($"CREATE DATABASE [{database}]");
            return (new SqlConnectionStringBuilder(server) { InitialCatalog = database }.ConnectionString, null);
        }

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            if (database is null) return;
            SqlConnection.ClearAllPools();
            await ExecuteAsync($"ALTER DATABASE [{database}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{database}]");
        }

        private async Task ExecuteAsync(string sql)
        {
            await using var connection = new SqlConnection(new SqlConnectionStringBuilder(server) { InitialCatalog = "master" }.ConnectionString);
            await connection.OpenAsync();
            await using var command = new SqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    [SkippableFact]
    public void Hangfire_keeps_its_jobs_in_the_sql_server_database()
    {
        RequireServer();
        Assert.IsType<SqlServerStorage>(Server.Services.GetRequiredService<JobStorage>());
    }
}
