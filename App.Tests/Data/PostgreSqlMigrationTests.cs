using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Tests.Fixtures;

namespace NagrywanieRozmow.Tests.Data;

public sealed class PostgreSqlDesignTimeTests
{
    [Fact]
    public void PostgreSql_model_has_no_pending_changes_and_its_script_makes_the_trigram_indexes()
    {
        using var db = new PostgreSqlDesignTimeFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(), "Run: dotnet ef migrations add <Name> --context PostgreSqlAppDbContext --output-dir Data/Migrations/PostgreSql");
        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
        Assert.Contains("CREATE EXTENSION IF NOT EXISTS pg_trgm", script);
        Assert.Contains("""CREATE INDEX "IX_Recordings_CallerDigits_Trigram" ON "Recordings" USING gin ("CallerDigits" gin_trgm_ops)""", script);
        Assert.Contains("""CREATE INDEX "IX_Recordings_CalleeDigits_Trigram" ON "Recordings" USING gin ("CalleeDigits" gin_trgm_ops)""", script);
        Assert.DoesNotContain("fts5", script, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Null_orders_as_on_sqlite_where_a_key_may_be_null_and_nowhere_else()
    {
        using var db = new PostgreSqlDesignTimeFactory().CreateDbContext([]);
        var byExtension = RecordingSearch.Sort(db.Recordings, new RecordingSort(SortField.Extension, false)).ToQueryString();
        Assert.Contains("ORDER BY r.\"Extension\" NULLS FIRST, r.\"Id\"", byExtension);
        var byExtensionDescending = RecordingSearch.Sort(db.Recordings, new RecordingSort(SortField.Extension, true)).ToQueryString();
        Assert.Contains("ORDER BY r.\"Extension\" DESC NULLS LAST, r.\"Id\" DESC", byExtensionDescending);
        // Not-null keys keep PostgreSQL's plain order, which their indexes serve.
        var newest = RecordingSearch.Sort(db.Recordings, RecordingSort.Default).ToQueryString();
        Assert.DoesNotContain("NULLS", newest);
    }

    [Theory]
    [InlineData(null, "ConnectionStrings:Default is empty")]
    [InlineData("  ", "ConnectionStrings:Default is empty")]
    [InlineData("Hots=db;Database=x", "not a valid PostgreSQL connection string")]
    [InlineData("Database=x;Username=app", "names no Host")]
    public void A_missing_or_malformed_connection_string_is_refused_naming_the_key(string? connectionString, string message)
    {
        var error = Assert.Throws<InvalidOperationException>(() => DatabaseFeature.CheckPostgreSqlConnection(connectionString));
        Assert.Contains(message, error.Message);
    }
}

[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlMigrationTests(PostgreSqlServer server)
{
    private static PostgreSqlAppDbContext Open(string connectionString) =>
        new(new DbContextOptionsBuilder<PostgreSqlAppDbContext>().UseNpgsql(connectionString).Options);

    [Fact]
    public async Task Migrations_apply_on_an_empty_database_with_the_trigram_indexes()
    {
        await using var db = Open(await server.CreateDatabaseAsync());
        await db.Database.MigrateAsync();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Contains("pg_trgm", await db.Database.SqlQueryRaw<string>("SELECT extname AS \"Value\" FROM pg_extension").ToListAsync());
        var indexes = await db.Database.SqlQueryRaw<string>(
            "SELECT indexdef AS \"Value\" FROM pg_indexes WHERE tablename = 'Recordings' AND indexdef LIKE '%gin_trgm_ops%' ORDER BY indexname").ToListAsync();
        Assert.Equal(
            [
                """CREATE INDEX "IX_Recordings_CalleeDigits_Trigram" ON public."Recordings" USING gin ("CalleeDigits" gin_trgm_ops)""",
                """CREATE INDEX "IX_Recordings_CallerDigits_Trigram" ON public."Recordings" USING gin ("CallerDigits" gin_trgm_ops)""",
            ], indexes);
    }

    [Fact]
    public async Task Times_come_back_as_the_same_utc_instant_and_compare_in_queries()
    {
        await using var db = Open(await server.CreateDatabaseAsync());
        await db.Database.MigrateAsync();
        var utc = new DateTime(2026, 3, 29, 0, 30, 15, DateTimeKind.Utc);
        db.Recordings.AddRange(
            TestData.Recording(startedAt: utc, callId: "utc"),
            // Made without a kind (as a parser may): taken as UTC, like SQLite and SQL Server take it, never refused.
            TestData.Recording(startedAt: DateTime.SpecifyKind(utc.AddHours(1), DateTimeKind.Unspecified), callId: "unspecified"),
            TestData.Recording(startedAt: utc.AddHours(2).ToLocalTime(), callId: "local"));
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();

        var rows = await db.Recordings.AsNoTracking().OrderBy(r => r.StartedAt).ToListAsync();
        Assert.Equal(["utc", "unspecified", "local"], rows.Select(r => r.CallId));
        Assert.All(rows, r => Assert.Equal(DateTimeKind.Utc, r.StartedAt.Kind));
        Assert.Equal([utc, utc.AddHours(1), utc.AddHours(2)], rows.Select(r => r.StartedAt));
        var from = utc.AddMinutes(30);
        Assert.Equal(["unspecified", "local"], await db.Recordings.Where(r => r.StartedAt >= from).OrderBy(r => r.Id).Select(r => r.CallId).ToListAsync());
    }

    [Fact]
    public async Task The_database_refuses_to_change_or_delete_audit_entries()
    {
        await using var db = Open(await server.CreateDatabaseAsync());
        await db.Database.MigrateAsync();
        db.AuditLog.Add(new AuditEntry { At = DateTime.UtcNow, Actor = "a@example.com", Action = "user.signin", Outcome = "ok", PreviousHash = new string('0', 64), Hash = new string('1', 64) });
        await db.SaveChangesAsync();

        var update = await Assert.ThrowsAsync<PostgresException>(() => db.AuditLog.ExecuteUpdateAsync(s => s.SetProperty(a => a.Actor, "someone else")));
        Assert.Contains("append-only", update.MessageText);
        var delete = await Assert.ThrowsAsync<PostgresException>(() => db.AuditLog.ExecuteDeleteAsync());
        Assert.Contains("append-only", delete.MessageText);
        var truncate = await Assert.ThrowsAsync<PostgresException>(() => db.Database.ExecuteSqlRawAsync("TRUNCATE \"AuditLog\""));
        Assert.Contains("append-only", truncate.MessageText);
        Assert.Equal(1, await db.AuditLog.CountAsync());
    }
}
