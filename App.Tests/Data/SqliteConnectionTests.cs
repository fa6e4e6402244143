using Microsoft.EntityFrameworkCore;

namespace NagrywanieRozmow.Tests.Data;

/// <summary>The app's SQLite connections are opened with the settings the panel's speed relies on.</summary>
public sealed class SqliteConnectionTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Every_connection_reads_the_database_through_a_memory_map()
    {
        var size = await app.WithDbAsync(async db =>
        {
            await db.Database.OpenConnectionAsync();
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA mmap_size";
            return Convert.ToInt64(await command.ExecuteScalarAsync());
        });
        // 0 would mean every page is read with read() into a 2 MB cache of each pooled connection's own. The SQLite build
        // caps what was asked (16 GiB) at its own limit; at least 1 GiB must be left.
        Assert.True(size >= 1L << 30, $"PRAGMA mmap_size is {size}");
    }

    [Fact]
    public async Task A_transaction_holds_the_write_lock_from_its_start_so_appends_from_two_processes_are_ordered()
    {
        // The audit chain relies on it (AuditLog.TakeChainLockAsync): a deferred BEGIN would let two processes read the
        // same last entry before either writes.
        var file = await app.WithDbAsync(db => Task.FromResult(db.Database.GetDbConnection().DataSource));
        await app.WithDbAsync(async db =>
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            await using var other = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Default Timeout=1;Pooling=False");
            await other.OpenAsync();
            await using var write = other.CreateCommand();
            write.CommandText = "BEGIN IMMEDIATE; ROLLBACK;";
            var refused = await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => write.ExecuteNonQueryAsync());
            Assert.Equal(5, refused.SqliteErrorCode); // SQLITE_BUSY
            return 0;
        });
    }
}
