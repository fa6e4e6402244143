using Hangfire;
using Hangfire.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NagrywanieRozmow.Features.Ingestion;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Features.Retention;
using NagrywanieRozmow.Shared.Storage;

namespace NagrywanieRozmow.Tests.Features.Retention;

/// <summary>A fresh app per test with a fixed clock, tiny batches, and a store that can be made to stop mid-purge.</summary>
public sealed class PurgeApp : AppFactory
{
    public static readonly DateTime Now = new(2026, 12, 1, 1, 30, 0, DateTimeKind.Utc);
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(Now));
    public StoppingStore StoreSpy { get; private set; } = default!;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Retention:DefaultDays"] = "90", ["Retention:BatchSize"] = "3", ["Retention:BatchPauseMs"] = "0", ["Retention:PurgeTime"] = "02:30",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<IRecordingStore>(_ => StoreSpy = new StoppingStore(new FileSystemRecordingStore(StorePath)));
        });
    }

    public RetentionPurgeJob Job() => Services.GetRequiredService<RetentionPurgeJob>();

    public async Task<Recording> AddAsync(int daysOld, string? team = "Reklamacje", CallType type = CallType.Incoming, bool audio = true)
    {
        var r = TestData.Recording(startedAt: Now.AddDays(-daysOld).AddMinutes(-5), team: team, type: type);
        return audio ? await TestData.AddWithAudioAsync(this, r) : await TestData.AddAsync(this, r);
    }

    public Task<HashSet<long>> LiveIdsAsync() => WithDbAsync(async db => (await db.Recordings.Select(r => r.Id).ToListAsync()).ToHashSet());

    public Task<List<RecordingTombstone>> TombstonesAsync() => WithDbAsync(db => db.Set<RecordingTombstone>().OrderBy(t => t.Id).ToListAsync());

    public Task<HoldResult> HoldAsync(long id) =>
        Services.GetRequiredService<LegalHolds>().PlaceAsync([id], "complaint under review", "REK-2026/0113", new HoldScope(Recording: id), new AuditActor("compliance@example.com", null));
}

/// <summary>Passes everything through, except that it can stop the caller (as a shutdown would) after a number of deletions.</summary>
public sealed class StoppingStore(IRecordingStore inner) : IRecordingStore
{
    public int? StopAfterDeletes { get; set; }
    public int Deletes { get; private set; }

    public Task SaveAsync(string key, Stream content, CancellationToken ct) => inner.SaveAsync(key, content, ct);
    public Task<Stream?> OpenReadAsync(string key, CancellationToken ct) => inner.OpenReadAsync(key, ct);
    public Task<bool> ExistsAsync(string key, CancellationToken ct) => inner.ExistsAsync(key, ct);
    public Task<bool> IsReadyAsync(CancellationToken ct) => inner.IsReadyAsync(ct);

    public Task DeleteAsync(string key, CancellationToken ct)
    {
        if (StopAfterDeletes is { } limit && Deletes >= limit) throw new OperationCanceledException("stopped mid-purge");
        Deletes++;
        return inner.DeleteAsync(key, ct);
    }
}

public sealed class RetentionPurgeTests : IAsyncLifetime
{
    private readonly PurgeApp app = new();

    public Task InitializeAsync() => app.InitializeAsync();
    Task IAsyncLifetime.DisposeAsync() => ((IAsyncLifetime)app).DisposeAsync();

    [Fact]
    public async Task Expired_recordings_go_with_their_files_and_leave_a_tombstone_while_young_and_held_ones_stay()
    {
        var old = await app.AddAsync(daysOld: 91);
        var young = await app.AddAsync(daysOld: 89);
        var heldOld = await app.AddAsync(daysOld: 200);
        await app.HoldAsync(heldOld.Id);
        await app.WithDbAsync(async db =>
        {
            db.CdrRecords.Add(new CallDetailRecord
            {
                UniqueId = old.CallId, Source = old.CallerNumber, Destination = "201", Context = "from-pstn", DestinationChannel = "PJSIP/201-1",
                StartedAt = old.StartedAt, DurationSeconds = 42, BillSeconds = 40, Disposition = "ANSWERED", ReadAt = PurgeApp.Now,
            });
            db.RecordingCases.Add(new RecordingCase { RecordingId = old.Id, CaseNumber = "REK-1", AddedAt = PurgeApp.Now });
            await db.SaveChangesAsync();
        });

        var report = await app.Job().PurgeAsync(dryRun: false);

        Assert.Equal(1, report.Deleted);
        Assert.Equal(1, report.KeptOnHold);
        Assert.Equal(new HashSet<long> { young.Id, heldOld.Id }, await app.LiveIdsAsync());
        Assert.False(File.Exists(Path.Combine(app.StorePath, old.StorageKey)));
        Assert.True(File.Exists(Path.Combine(app.StorePath, heldOld.StorageKey)));

        var tombstone = Assert.Single(await app.TombstonesAsync());
        Assert.Equal((old.Id, old.CallId, old.Sha256, ErasureCause.Retention, "default: 90 days"), (tombstone.Id, tombstone.CallId, tombstone.Sha256, tombstone.Cause, tombstone.Rule));
        Assert.Equal(old.StartedAt, tombstone.StartedAt);
        Assert.Equal(PurgeApp.Now, tombstone.DeletedAt);
        Assert.NotNull(tombstone.FilesRemovedAt);
        Assert.Null(tombstone.PendingKeys);
        // The CDR row carried the same numbers, and the case numbers belonged to the recording.
        Assert.Equal(0, await app.WithDbAsync(db => db.CdrRecords.CountAsync()));
        Assert.Equal(0, await app.WithDbAsync(db => db.RecordingCases.CountAsync()));

        var audit = await app.WithDbAsync(db => db.AuditLog.Where(a => a.Action == AuditActions.RecordingDeleted || a.Action == AuditActions.RetentionPurge).OrderBy(a => a.Id).ToListAsync());
        Assert.Equal([AuditActions.RecordingDeleted, AuditActions.RetentionPurge], audit.Select(a => a.Action));
        Assert.Contains($"\"recordings\":[{old.Id}]", audit[0].Details);
        Assert.Contains("\"keptOnHold\":1", audit[1].Details);
        Assert.Null(await app.Services.GetRequiredService<AuditLog>().VerifyAsync());
    }

    [Fact]
    public async Task The_most_specific_rule_decides_and_the_clock_moving_on_makes_the_next_ones_due()
    {
        await app.Services.GetRequiredService<RetentionPolicies>().SaveAsync(
        [
            new RetentionRule { Days = 90 },
            new RetentionRule { Team = "Sprzedaż", Days = 30 },
            new RetentionRule { Type = CallType.Queue, Days = 365 },
            new RetentionRule { Team = "Sprzedaż", Type = CallType.Queue, Days = 60 },
            new RetentionRule { Team = "Zarząd" },
            new RetentionRule { Team = "Serwis", Days = 30 },
        ], new AuditActor("admin@example.com", null));

        var salesOld = await app.AddAsync(31, team: "Sprzedaż", audio: false);
        var salesQueue = await app.AddAsync(45, team: "Sprzedaż", type: CallType.Queue, audio: false);
        var salesQueueOld = await app.AddAsync(61, team: "Sprzedaż", type: CallType.Queue, audio: false);
        var otherQueue = await app.AddAsync(200, team: "Reklamacje", type: CallType.Queue, audio: false);
        var noTeamOld = await app.AddAsync(91, team: null, audio: false);
        var noTeamQueue = await app.AddAsync(91, team: null, type: CallType.Queue, audio: false);
        var board = await app.AddAsync(3000, team: "Zarząd", audio: false);
        var defaultYoung = await app.AddAsync(80, audio: false);
        var serviceQueue = await app.AddAsync(100, team: "Serwis", type: CallType.Queue, audio: false);   // a team's rule beats a call type's

        var report = await app.Job().PurgeAsync(dryRun: false);

        Assert.Equal(new HashSet<long> { salesQueue.Id, otherQueue.Id, noTeamQueue.Id, board.Id, defaultYoung.Id }, await app.LiveIdsAsync());
        Assert.Equal(4, report.Deleted);
        var rules = (await app.TombstonesAsync()).ToDictionary(t => t.Id, t => t.Rule);
        Assert.Equal("team Sprzedaż: 30 days", rules[salesOld.Id]);
        Assert.Equal("team Sprzedaż, type Queue: 60 days", rules[salesQueueOld.Id]);
        Assert.Equal("default: 90 days", rules[noTeamOld.Id]);
        Assert.Equal("team Serwis: 30 days", rules[serviceQueue.Id]);

        app.Clock.Advance(TimeSpan.FromDays(11));   // defaultYoung turns 91 days, salesQueue 56: still within its 60
        await app.Job().PurgeAsync(dryRun: false);
        Assert.Equal(new HashSet<long> { salesQueue.Id, otherQueue.Id, noTeamQueue.Id, board.Id }, await app.LiveIdsAsync());
    }

    [Fact]
    public async Task A_dry_run_changes_nothing_and_counts_what_the_real_run_then_deletes()
    {
        for (var i = 0; i < 7; i++) await app.AddAsync(100 + i);
        var held = await app.AddAsync(150);
        await app.HoldAsync(held.Id);
        await app.AddAsync(10);
        var before = await app.LiveIdsAsync();

        var dry = await app.Job().PurgeAsync(dryRun: true);

        Assert.True(dry.DryRun);
        Assert.Equal((7, 1), (dry.Deleted, dry.KeptOnHold));
        Assert.Equal(before, await app.LiveIdsAsync());
        Assert.Empty(await app.TombstonesAsync());
        Assert.Equal(0, app.StoreSpy.Deletes);

        var real = await app.Job().PurgeAsync(dryRun: false);
        Assert.Equal((7, 1), (real.Deleted, real.KeptOnHold));
        Assert.Equal(2, (await app.LiveIdsAsync()).Count);
    }

    [Fact]
    public async Task A_purge_stopped_midway_leaves_every_file_accounted_for_and_a_rerun_finishes_the_job()
    {
        var doomed = new List<Recording>();
        for (var i = 0; i < 8; i++) doomed.Add(await app.AddAsync(120 + i));
        var kept = await app.AddAsync(5);
        // Batches of 3, two files each (original and rendition key): stop inside the second batch's files.
        app.StoreSpy.StopAfterDeletes = 9;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => app.Job().PurgeAsync(dryRun: false));

        var live = await app.LiveIdsAsync();
        var tombstones = await app.TombstonesAsync();
        Assert.Equal(6, tombstones.Count);            // two batches marked
        Assert.Contains(tombstones, t => t.PendingKeys is not null);
        foreach (var r in doomed.Append(kept))
        {
            var fileExists = File.Exists(Path.Combine(app.StorePath, r.StorageKey));
            var tombstone = tombstones.FirstOrDefault(t => t.Id == r.Id);
            // No file without a row that says what it is: either the recording still lives, or its tombstone still lists the file.
            if (fileExists) Assert.True(live.Contains(r.Id) || tombstone?.PendingKeys?.Contains(r.StorageKey) == true, $"orphan file of {r.Id}");
            Assert.False(live.Contains(r.Id) && tombstone is not null, $"{r.Id} is both live and erased");
        }

        app.StoreSpy.StopAfterDeletes = null;
        var rerun = await app.Job().PurgeAsync(dryRun: false);

        Assert.Equal(new HashSet<long> { kept.Id }, await app.LiveIdsAsync());
        tombstones = await app.TombstonesAsync();
        Assert.Equal(doomed.Select(d => d.Id).Order(), tombstones.Select(t => t.Id));
        Assert.All(tombstones, t => Assert.Null(t.PendingKeys));
        Assert.All(doomed, d => Assert.False(File.Exists(Path.Combine(app.StorePath, d.StorageKey)), $"file of {d.Id} left behind"));
        Assert.True(rerun.FinishedFromEarlierRun > 0);
        Assert.Equal(0, rerun.FilesStillPending);
    }

    [Fact]
    public async Task A_hold_placed_while_the_purge_runs_is_honoured_for_the_recordings_not_yet_erased()
    {
        var first = await app.AddAsync(300);
        var second = await app.AddAsync(200);
        // Erasing re-reads the hold inside its transaction: a batch chosen before the hold still keeps the held one.
        await app.HoldAsync(second.Id);
        var result = await app.Services.GetRequiredService<RecordingEraser>().EraseAsync(
            [new Erasure(first.Id, "default: 90 days"), new Erasure(second.Id, "default: 90 days")], ErasureCause.Retention, RetentionPurgeJob.Actor);
        Assert.Equal([first.Id], result.Erased.Select(t => t.Id));
        Assert.Equal([second.Id], result.KeptOnHold);
        Assert.Equal(new HashSet<long> { second.Id }, await app.LiveIdsAsync());
    }

    [Fact]
    public async Task The_command_line_says_what_it_deleted_and_what_it_kept_and_why()
    {
        await app.AddAsync(100);
        await app.AddAsync(101);
        var held = await app.AddAsync(102);
        await app.HoldAsync(held.Id);

        var (previewExit, preview) = await app.RunCliAsync(RetentionCli.PreviewAsync);
        Assert.Equal(0, previewExit);
        Assert.Contains("Dry run", preview);
        Assert.Contains("default: 90 days: would delete 2, kept 1 (legal hold)", preview);
        Assert.Equal(3, (await app.LiveIdsAsync()).Count);

        var (exit, output) = await app.RunCliAsync(RetentionCli.RunAsync);
        Assert.Equal(0, exit);
        Assert.Contains("default: 90 days: deleted 2, kept 1 (legal hold)", output);
        Assert.Contains("Total: deleted 2, kept 1", output);
        Assert.Equal(new HashSet<long> { held.Id }, await app.LiveIdsAsync());
    }

    [Fact]
    public async Task A_purged_recordings_page_tells_the_audit_readers_what_happened_and_everyone_else_nothing()
    {
        var old = await app.AddAsync(120);
        await app.Job().PurgeAsync(dryRun: false);

        var compliance = await app.ClientAs(Roles.Compliance).GetStringAsync($"/recordings/{old.Id}");
        Assert.Contains("data-testid=\"recording-erased\"", compliance);
        Assert.Contains("default: 90 days", compliance);
        Assert.Contains(old.Sha256, compliance);
        Assert.DoesNotContain(old.CallerNumber, compliance);

        var handler = await app.ClientAs(Roles.ComplaintHandler).GetStringAsync($"/recordings/{old.Id}");
        Assert.Contains("data-testid=\"recording-not-found\"", handler);
        Assert.DoesNotContain(old.Sha256, handler);
    }

    [Fact]
    public async Task An_erasure_whose_audit_entry_cannot_be_written_erases_nothing()
    {
        var old = await app.AddAsync(daysOld: 120);
        var entriesBefore = await app.WithDbAsync(db => db.AuditLog.CountAsync());
        var eraser = app.Services.GetRequiredService<RecordingEraser>();

        // The audit step runs in the tombstones' transaction: when it fails, the tombstone, the row's deletion and the
        // entry all roll back, and the files are never touched.
        await Assert.ThrowsAsync<InvalidOperationException>(() => eraser.EraseAsync([new Erasure(old.Id, "test")], ErasureCause.Manual, "tester",
            audited: (_, erased) => erased.Erased.Count == 1 ? throw new InvalidOperationException("audit unavailable") : Task.FromResult<IReadOnlyList<AuditDraft>>([])));

        Assert.Contains(old.Id, await app.LiveIdsAsync());
        Assert.Empty(await app.TombstonesAsync());
        Assert.True(File.Exists(Path.Combine(app.StorePath, old.StorageKey)));
        Assert.Equal(entriesBefore, await app.WithDbAsync(db => db.AuditLog.CountAsync()));

        // The same erasure with its entry: both land.
        var result = await eraser.EraseAsync([new Erasure(old.Id, "test")], ErasureCause.Manual, "tester",
            audited: (_, erased) => Task.FromResult<IReadOnlyList<AuditDraft>>([new AuditDraft(new AuditActor("tester", null), AuditActions.RecordingDeleted, AuditOutcomes.Success, old.Id)]));
        Assert.Equal(old.Id, Assert.Single(result.Erased).Id);
        Assert.Equal(old.Id, Assert.Single(await app.TombstonesAsync()).Id);
        Assert.Equal(1, await app.WithDbAsync(db => db.AuditLog.CountAsync(a => a.Action == AuditActions.RecordingDeleted && a.RecordingId == old.Id)));
        Assert.False(File.Exists(Path.Combine(app.StorePath, old.StorageKey)));
    }

    [Fact]
    public async Task The_purge_is_registered_daily_at_the_configured_local_time()
    {
        using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();
        var job = Assert.Single(connection.GetRecurringJobs([RetentionPurgeJob.Id]));
        Assert.Equal("30 2 * * *", job.Cron);
        Assert.Equal("Europe/Warsaw", job.TimeZoneId);
    }
}
