using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Features.Audit;

namespace NagrywanieRozmow.Tests.Features.Audit;

public sealed class AuditChainTests : IAsyncLifetime
{
    private readonly AppFactory app = new();
    private AuditLog Log => app.Services.GetRequiredService<AuditLog>();

    public async Task InitializeAsync()
    {
        await app.InitializeAsync();
        for (var i = 1; i <= 5; i++)
            await Log.AppendAsync($"user{i}@example.com", AuditActions.Listen, AuditOutcomes.Success, recordingId: i, ip: "10.0.0.1");
    }

    public async Task DisposeAsync() => await ((IAsyncLifetime)app).DisposeAsync();

    [Fact]
    public async Task An_untouched_chain_verifies()
    {
        Assert.Null(await Log.VerifyAsync());
        var (exit, output) = await VerifyCliAsync();
        Assert.Equal(0, exit);
        Assert.Contains("intact: 5 entries", output);
    }

    [Fact]
    public async Task The_database_refuses_to_edit_or_delete_an_entry()
    {
        await app.WithDbAsync(async db =>
        {
            await Assert.ThrowsAsync<SqliteException>(() => db.Database.ExecuteSqlRawAsync("UPDATE AuditLog SET Actor = 'x' WHERE Id = 2"));
            await Assert.ThrowsAsync<SqliteException>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM AuditLog WHERE Id = 2"));
        });
        Assert.Null(await Log.VerifyAsync());
    }

    [Fact]
    public async Task An_edited_entry_is_named()
    {
        await TamperAsync("UPDATE AuditLog SET Actor = 'someone-else@example.com' WHERE Id = 3");
        var (exit, output) = await VerifyCliAsync();
        Assert.Equal(1, exit);
        Assert.Contains("BROKEN at entry 3", output);
        Assert.Contains("edited", output);
    }

    [Fact]
    public async Task A_deleted_entry_breaks_the_chain_at_the_next_one()
    {
        await TamperAsync("DELETE FROM AuditLog WHERE Id = 3");
        var broken = await Log.VerifyAsync();
        Assert.Equal(4, broken?.Entry.Id);
    }

    [Fact]
    public async Task Reordered_entries_are_caught()
    {
        // Swap the whole content of entries 2 and 3 (each row stays self-consistent; only the order changes).
        await TamperAsync("""
            CREATE TEMP TABLE t AS SELECT * FROM AuditLog WHERE Id IN (2, 3);
            UPDATE AuditLog SET At = (SELECT At FROM t WHERE Id = 5 - AuditLog.Id), Actor = (SELECT Actor FROM t WHERE Id = 5 - AuditLog.Id),
                RecordingId = (SELECT RecordingId FROM t WHERE Id = 5 - AuditLog.Id), PreviousHash = (SELECT PreviousHash FROM t WHERE Id = 5 - AuditLog.Id),
                Hash = (SELECT Hash FROM t WHERE Id = 5 - AuditLog.Id) WHERE Id IN (2, 3);
            """);
        var broken = await Log.VerifyAsync();
        Assert.Equal(2, broken?.Entry.Id);
    }

    [Fact]
    public async Task New_entries_chain_onto_the_last_one()
    {
        var next = await Log.AppendAsync("a@example.com", AuditActions.Download, AuditOutcomes.Success, recordingId: 9);
        var last = await app.WithDbAsync(db => db.AuditLog.OrderByDescending(a => a.Id).Skip(1).FirstAsync());
        Assert.Equal(last.Hash, next.PreviousHash);
        Assert.Null(await Log.VerifyAsync());
    }

    /// <summary>What someone with direct database access could do: drop the guard triggers, then change rows.</summary>
    private Task TamperAsync(string sql) => app.WithDbAsync(async db =>
    {
        await db.Database.ExecuteSqlRawAsync("DROP TRIGGER AuditLog_NoUpdate; DROP TRIGGER AuditLog_NoDelete;");
#pragma warning disable EF1003 // the test's own constant SQL
        await db.Database.ExecuteSqlRawAsync(sql);
#pragma warning restore EF1003
    });

    private Task<(int Exit, string Output)> VerifyCliAsync() => app.RunCliAsync(AuditCli.VerifyAsync);
}
