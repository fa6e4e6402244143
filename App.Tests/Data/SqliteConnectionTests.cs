using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Tests.Infrastructure;

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
}
