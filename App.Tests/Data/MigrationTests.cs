using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Infrastructure;
using NagrywanieRozmow.Data;

namespace NagrywanieRozmow.Tests.Data;

public sealed class MigrationTests
{
    [Fact]
    public void Sql_server_migrations_produce_a_full_script_without_a_server()
    {
        using var db = new SqlServerDesignTimeFactory().CreateDbContext([]);
        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        Assert.Contains("CREATE TABLE [Recordings]", script);
        Assert.Contains("CREATE INDEX [IX_Recordings_StartedAt_Id]", script);
        Assert.Contains("CREATE INDEX [IX_Recordings_StartedAt_Id_CallerDigits_CalleeDigits]", script);
        Assert.Contains("CREATE TABLE [AspNetUsers]", script);
        Assert.DoesNotContain("fts5", script, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Sql_server_model_has_no_pending_changes_against_its_migrations()
    {
        using var db = new SqlServerDesignTimeFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(), "Run: dotnet ef migrations add <Name> --context SqlServerAppDbContext --output-dir Data/Migrations/SqlServer");
    }

    [Fact]
    public async Task Sqlite_migrations_create_the_number_index_and_keep_it_in_sync()
    {
        var path = Path.Combine(Path.GetTempPath(), $"nr-migrate-{Guid.NewGuid():N}.db");
        try
        {
            await using (var db = new SqliteAppDbContext(new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite($"Data Source={path}").Options))
            {
                Assert.False(db.Database.HasPendingModelChanges(), "Run: dotnet ef migrations add <Name> --context SqliteAppDbContext --output-dir Data/Migrations/Sqlite");
                await db.Database.MigrateAsync();
                db.Recordings.Add(TestData.Recording(caller: "+48 601 234 567"));
                await db.SaveChangesAsync();
                var hits = await db.Database.SqlQuery<long>($"SELECT rowid AS Value FROM RecordingNumbers WHERE RecordingNumbers MATCH '\"1234\"'").ToListAsync();
                Assert.Single(hits);

                await db.Recordings.ExecuteDeleteAsync();
                hits = await db.Database.SqlQuery<long>($"SELECT rowid AS Value FROM RecordingNumbers WHERE RecordingNumbers MATCH '\"1234\"'").ToListAsync();
                Assert.Empty(hits);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(path);
        }
    }
}
