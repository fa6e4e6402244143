using NagrywanieRozmow.Tests.Fixtures;
using Npgsql;
using Xunit.Abstractions;

namespace NagrywanieRozmow.Tests.MultiInstance;

/// <summary>
/// Three instances started at the same moment on an empty PostgreSQL database, as an orchestrator rolls out a new site:
/// the app's migrations and Hangfire's schema are applied once, every instance comes up ready, and they serve the same data.
/// </summary>
public sealed class ConcurrentFirstStartTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly PostgreSqlServer postgres = new();
    private readonly string root = Path.Combine(Path.GetTempPath(), "nr-first-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly List<AppInstance> instances = [];
    private string database = "";

    public async Task InitializeAsync()
    {
        await postgres.InitializeAsync();
        database = await postgres.CreateDatabaseAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var instance in instances) await instance.DisposeAsync();
        await postgres.DisposeAsync();
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task Instances_started_together_on_an_empty_database_migrate_it_once_and_all_come_up()
    {
        for (var i = 0; i < 3; i++)
        {
            instances.Add(AppInstance.Start($"first-{i}", new Dictionary<string, string>
            {
                ["Demo__Seed"] = "false",
                ["Database__Provider"] = "PostgreSql",
                ["ConnectionStrings__Default"] = database,
                ["Storage__RootPath"] = Path.Combine(root, "store"),
                ["Ingestion__StagingPath"] = Path.Combine(root, $"incoming-{i}"),
                ["Ingestion__QuarantinePath"] = Path.Combine(root, $"quarantine-{i}"),
            }));
        }
        await Task.WhenAll(instances.Select(i => i.WaitUntilReadyAsync(TimeSpan.FromSeconds(180))));

        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        var applied = new List<string>();
        await using (var history = new NpgsqlCommand("SELECT \"MigrationId\" FROM \"__EFMigrationsHistory\"", connection))
        await using (var reader = await history.ExecuteReaderAsync())
            while (await reader.ReadAsync()) applied.Add(reader.GetString(0));
        var known = typeof(NagrywanieRozmow.Data.PostgreSqlAppDbContext).Assembly.GetTypes()
            .Where(t => t.Namespace?.EndsWith("Migrations.PostgreSql", StringComparison.Ordinal) == true && typeof(Microsoft.EntityFrameworkCore.Migrations.Migration).IsAssignableFrom(t))
            .Select(t => ((Microsoft.EntityFrameworkCore.Migrations.MigrationAttribute)Attribute.GetCustomAttribute(t, typeof(Microsoft.EntityFrameworkCore.Migrations.MigrationAttribute))!).Id)
            .Order().ToList();
        output.WriteLine($"{applied.Count} migrations applied, {known.Count} known");
        Assert.NotEmpty(known);
        Assert.Equal(known, applied.Order());

        await using (var hangfire = new NpgsqlCommand("SELECT COUNT(*) FROM hangfire.server", connection))
            Assert.True((long)(await hangfire.ExecuteScalarAsync())! >= 3, "every instance registered as a Hangfire server");
        foreach (var instance in instances)
        {
            using var health = await instance.Http.GetAsync("/health/ready");
            Assert.True(health.IsSuccessStatusCode, $"{instance.Name}: {(int)health.StatusCode}\n{instance.Log}");
        }
    }
}
