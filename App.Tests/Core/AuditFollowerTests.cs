using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using NagrywanieRozmow.Data;

namespace NagrywanieRozmow.Tests.Core;

public sealed class AuditFollowerTests : IAsyncLifetime
{
    private readonly AppFactory app = new();
    private AuditLog Log => app.Services.GetRequiredService<AuditLog>();

    public Task InitializeAsync() => app.InitializeAsync();
    public async Task DisposeAsync() => await ((IAsyncLifetime)app).DisposeAsync();

    /// <summary>Writes one row per handled entry ("seen-&lt;id&gt;" in the cursors table: a unique key, so a second write would fail).</summary>
    private sealed class Follower(IServiceProvider services, int batch = 200)
        : AuditFollower(services.GetRequiredService<IDbContextFactory<AppDbContext>>(), services.GetRequiredService<AuditLog>(), NullLogger.Instance)
    {
        public Func<Task>? BeforeCommit { get; set; }
        protected override string Name => "test-follower";
        protected override IReadOnlyCollection<string> Actions => [AuditActions.CaseAdded];
        protected override int BatchSize => batch;

        protected override async Task HandleAsync(AppDbContext db, IReadOnlyList<AuditEntry> entries, CancellationToken ct)
        {
            foreach (var e in entries) db.Add(new AuditCursor { Name = "seen-" + e.Id, LastId = e.RecordingId ?? 0 });
            if (BeforeCommit is not null) await BeforeCommit();
        }
    }

    private Task<long[]> SeenAsync() => app.WithDbAsync(db =>
        db.Set<AuditCursor>().Where(c => c.Name.StartsWith("seen-")).OrderBy(c => c.LastId).Select(c => c.LastId).ToArrayAsync());

    private async Task AddCasesAsync(int from, int count)
    {
        for (var i = from; i < from + count; i++)
        {
            await Log.AppendAsync("a@example.com", AuditActions.CaseAdded, AuditOutcomes.Success, recordingId: i);
            await Log.AppendAsync("a@example.com", AuditActions.Listen, AuditOutcomes.Success, recordingId: i);
        }
    }

    [Fact]
    public async Task A_new_follower_starts_at_the_end_and_then_handles_each_later_entry_of_its_actions_once()
    {
        await AddCasesAsync(1, 3);
        var follower = new Follower(app.Services, batch: 2);
        Assert.False(await follower.ProcessBatchAsync(default)); // takes its place at the end
        await AddCasesAsync(10, 5);
        while (await follower.ProcessBatchAsync(default)) { }
        Assert.Equal(new long[] { 10, 11, 12, 13, 14 }, await SeenAsync());
        Assert.False(await follower.ProcessBatchAsync(default));
        Assert.Equal(5, (await SeenAsync()).Length);
    }

    [Fact]
    public async Task A_batch_that_fails_before_commit_leaves_neither_work_nor_position_and_is_done_again()
    {
        var follower = new Follower(app.Services);
        await follower.ProcessBatchAsync(default);
        await AddCasesAsync(1, 2);
        follower.BeforeCommit = () => throw new IOException("killed");
        await Assert.ThrowsAsync<IOException>(() => follower.ProcessBatchAsync(default));
        Assert.Empty(await SeenAsync());

        var restarted = new Follower(app.Services);
        while (await restarted.ProcessBatchAsync(default)) { }
        Assert.Equal(new long[] { 1, 2 }, await SeenAsync());
    }

    [Fact]
    public async Task Two_instances_following_at_once_handle_each_entry_once()
    {
        await new Follower(app.Services).ProcessBatchAsync(default);
        await AddCasesAsync(1, 40);
        var a = new Follower(app.Services, batch: 3);
        var b = new Follower(app.Services, batch: 3);
        async Task Drain(Follower f) { while (await f.ProcessBatchAsync(default)) { } }
        await Task.WhenAll(Drain(a), Drain(b));
        await Drain(a);
        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i).ToArray(), await SeenAsync());
    }

    [Fact]
    public async Task Entries_that_concern_no_follower_leave_its_position_alone_until_the_lag_is_long()
    {
        var follower = new Follower(app.Services);
        await follower.ProcessBatchAsync(default);
        Task<long> PositionAsync() => app.WithDbAsync(db => db.Set<AuditCursor>().Where(c => c.Name == "test-follower").Select(c => c.LastId).SingleAsync());
        var start = await PositionAsync();
        for (var i = 0; i < 5; i++) await Log.AppendAsync("a@example.com", AuditActions.Search, AuditOutcomes.Success);
        Assert.False(await follower.ProcessBatchAsync(default));
        Assert.Equal(start, await PositionAsync()); // no write for searches

        await AddCasesAsync(1, 1);
        while (await follower.ProcessBatchAsync(default)) { }
        Assert.Equal(new long[] { 1 }, await SeenAsync());
        Assert.True(await PositionAsync() > start);
    }
}
