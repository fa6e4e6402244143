using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Features.Retention;
using NagrywanieRozmow.Shared.Storage;

namespace NagrywanieRozmow.Tests.Features.Retention;

/// <summary>The app on a folder store with an archive folder, a fixed clock and small batches.</summary>
public class ArchiveApp : AppFactory
{
    public static readonly DateTime Now = new(2026, 12, 1, 1, 30, 0, DateTimeKind.Utc);
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(Now));
    public string ArchivePath => Path.Combine(Root, "archive");

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Storage:ArchivePath"] = ArchivePath,
        ["Retention:DefaultDays"] = "365", ["Retention:DefaultArchiveDays"] = "30",
        ["Retention:BatchSize"] = "3", ["Retention:BatchPauseMs"] = "0",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    public RetentionArchiveJob ArchiveJob() => Services.GetRequiredService<RetentionArchiveJob>();

    public async Task<Recording> AddAsync(int daysOld, string? team = "Reklamacje", CallType type = CallType.Incoming)
    {
        var r = TestData.Recording(startedAt: Now.AddDays(-daysOld).AddMinutes(-5), team: team, type: type);
        return await TestData.AddWithAudioAsync(this, r);
    }

    public Task<StorageTier> TierOfAsync(long id) => WithDbAsync(db => db.Recordings.Where(r => r.Id == id).Select(r => r.Tier).SingleAsync());

    /// <summary>Every recording listed in the <c>recording.archived</c> entries, as often as it is listed.</summary>
    public async Task<List<long>> AuditedMovesAsync()
    {
        var details = await WithDbAsync(db => db.AuditLog.Where(a => a.Action == AuditActions.RecordingArchived).Select(a => a.Details!).ToListAsync());
        return details.SelectMany(d => JsonDocument.Parse(d).RootElement.GetProperty("recordings").EnumerateArray().Select(e => e.GetInt64())).ToList();
    }
}

public sealed class ArchiveTests : IAsyncLifetime
{
    private readonly ArchiveApp app = new();

    public Task InitializeAsync() => app.InitializeAsync();
    Task IAsyncLifetime.DisposeAsync() => ((IAsyncLifetime)app).DisposeAsync();

    private string Hot(Recording r) => Path.Combine(app.StorePath, r.StorageKey);
    private string Archived(Recording r) => Path.Combine(app.ArchivePath, r.StorageKey);

    [Fact]
    public async Task Recordings_past_archive_after_move_to_the_archive_folder_once_with_their_hash_and_the_row_says_so()
    {
        var old = new List<Recording>();
        for (var i = 0; i < 7; i++) old.Add(await app.AddAsync(daysOld: 31 + i));
        var young = await app.AddAsync(daysOld: 29);

        var report = await app.ArchiveJob().ArchiveAsync();

        Assert.Equal(7, report.Archived);
        Assert.Empty(report.Failed);
        foreach (var r in old)
        {
            Assert.False(File.Exists(Hot(r)), $"{r.StorageKey} is still in the hot folder");
            Assert.Equal(r.Sha256, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(Archived(r)))));
            Assert.Equal(StorageTier.Archive, await app.TierOfAsync(r.Id));
        }
        Assert.True(File.Exists(Hot(young)));
        Assert.False(File.Exists(Archived(young)));
        Assert.Equal(StorageTier.Hot, await app.TierOfAsync(young.Id));
        // Audited in batches (3 a batch here), each recording in exactly one entry; the run has its own entry; the chain holds.
        var moves = await app.AuditedMovesAsync();
        Assert.Equal(old.Select(r => r.Id).Order(), moves.Order());
        Assert.Equal(3, await app.WithDbAsync(db => db.AuditLog.CountAsync(a => a.Action == AuditActions.RecordingArchived)));
        Assert.Equal(1, await app.WithDbAsync(db => db.AuditLog.CountAsync(a => a.Action == AuditActions.RetentionArchive)));
        Assert.Null(await app.Services.GetRequiredService<AuditLog>().VerifyAsync());
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<ArchiveMove>().CountAsync()));

        // A second run finds nothing more to do.
        Assert.Equal(0, (await app.ArchiveJob().ArchiveAsync()).Archived);
        Assert.Equal(7, (await app.AuditedMovesAsync()).Count);
    }

    [Fact]
    public async Task An_archived_recording_plays_and_downloads_straight_from_the_archive_folder_and_stays_in_search()
    {
        var r = await app.AddAsync(daysOld: 40);
        await app.ArchiveJob().ArchiveAsync();
        Assert.False(File.Exists(Hot(r)));
        var client = app.ClientAs(Roles.Administrator);

        var audio = await client.GetAsync($"/api/v1/recordings/{r.Id}/audio");
        var download = await client.GetAsync($"/api/v1/recordings/{r.Id}/download");
        var search = await client.GetStringAsync($"/api/v1/recordings?callId={r.CallId}&from=2020-01-01T00:00:00Z");

        Assert.Equal(HttpStatusCode.OK, audio.StatusCode);
        Assert.Equal(r.Sha256, Convert.ToHexStringLower(SHA256.HashData(await audio.Content.ReadAsByteArrayAsync())));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(r.Sha256, Convert.ToHexStringLower(SHA256.HashData(await download.Content.ReadAsByteArrayAsync())));
        Assert.Contains($"\"id\":{r.Id}", search);
        Assert.Contains($"\"sha256\":\"{r.Sha256}\"", search);
        // The recording page says where the file lies, and that it plays directly.
        var page = await client.GetStringAsync($"/recordings/{r.Id}");
        Assert.Contains("data-tier=\"Archive\"", page);
        Assert.Contains("archiwum (osobny folder)", page);
        Assert.Contains("data-state=\"direct\"", page);
        Assert.DoesNotContain("restore-request", page);
    }

    [Fact]
    public async Task The_purge_erases_an_archived_recording_from_the_archive_folder_and_a_hold_keeps_one()
    {
        await app.Services.GetRequiredService<RetentionPolicies>().SaveAsync(
            [new RetentionRule { Days = 90, ArchiveDays = 30 }], new AuditActor("admin@example.com", null));
        var doomed = await app.AddAsync(daysOld: 100);
        var held = await app.AddAsync(daysOld: 120);
        await app.Services.GetRequiredService<LegalHolds>().PlaceAsync([held.Id], "complaint", "REK-2026/0113", new HoldScope(Recording: held.Id),
            new AuditActor("compliance@example.com", null));
        await app.ArchiveJob().ArchiveAsync();
        Assert.True(File.Exists(Archived(doomed)) && File.Exists(Archived(held)));
        Assert.True(await app.WithDbAsync(db => db.Recordings.Where(x => x.Id == held.Id).Select(x => x.LegalHold).SingleAsync()));

        var purge = await app.Services.GetRequiredService<RetentionPurgeJob>().PurgeAsync(dryRun: false);

        Assert.Equal((1, 1), (purge.Deleted, purge.KeptOnHold));
        Assert.False(File.Exists(Archived(doomed)) || File.Exists(Hot(doomed)), "the erased recording's file is still stored");
        var tombstone = await app.WithDbAsync(db => db.Set<RecordingTombstone>().SingleAsync());
        Assert.Equal((doomed.Id, doomed.Sha256), (tombstone.Id, tombstone.Sha256));
        Assert.NotNull(tombstone.FilesRemovedAt);
        Assert.True(File.Exists(Archived(held)));
        Assert.Equal(StorageTier.Archive, await app.TierOfAsync(held.Id));
    }

    [Fact]
    public async Task A_hot_file_whose_bytes_differ_from_its_hash_is_not_moved_and_the_run_says_so()
    {
        var damaged = await app.AddAsync(daysOld: 50);
        var sound = await app.AddAsync(daysOld: 51);
        await File.WriteAllBytesAsync(Hot(damaged), TestData.Wav(1, frequency: 999));

        var report = await app.ArchiveJob().ArchiveAsync();

        Assert.Equal([damaged.Id], report.Failed);
        Assert.Equal(1, report.Archived);
        Assert.True(File.Exists(Hot(damaged)));
        Assert.False(File.Exists(Archived(damaged)));
        Assert.Equal(StorageTier.Hot, await app.TierOfAsync(damaged.Id));
        Assert.Equal(StorageTier.Archive, await app.TierOfAsync(sound.Id));
        var run = await app.WithDbAsync(db => db.AuditLog.SingleAsync(a => a.Action == AuditActions.RetentionArchive));
        Assert.Equal(AuditOutcomes.Failed, run.Outcome);
        Assert.Contains($"\"failed\":[{damaged.Id}]", run.Details);
    }

    [Fact]
    public async Task A_move_begun_by_a_stopped_run_is_finished_by_the_next_one_even_after_the_policy_stopped_archiving()
    {
        var copiedOnly = await app.AddAsync(daysOld: 60);
        var committed = await app.AddAsync(daysOld: 61);
        // The first run stopped after copying one file and after committing the other's row, before removing its hot copy.
        Directory.CreateDirectory(Path.GetDirectoryName(Archived(copiedOnly))!);
        File.Copy(Hot(copiedOnly), Archived(copiedOnly));
        Directory.CreateDirectory(Path.GetDirectoryName(Archived(committed))!);
        File.Copy(Hot(committed), Archived(committed));
        await app.WithDbAsync(async db =>
        {
            db.AddRange(
                new ArchiveMove { RecordingId = copiedOnly.Id, StorageKey = copiedOnly.StorageKey, Rule = "default: 365 days, archive after 30 days", StartedAt = ArchiveApp.Now },
                new ArchiveMove { RecordingId = committed.Id, StorageKey = committed.StorageKey, Rule = "default: 365 days, archive after 30 days", StartedAt = ArchiveApp.Now });
            await db.SaveChangesAsync();
            await db.Recordings.Where(r => r.Id == committed.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.Tier, StorageTier.Archive));
        });
        await app.Services.GetRequiredService<RetentionPolicies>().SaveAsync([new RetentionRule { Days = 365 }], new AuditActor("admin@example.com", null));

        var report = await app.ArchiveJob().ArchiveAsync();

        Assert.Equal(1, report.Resumed);
        foreach (var r in new[] { copiedOnly, committed })
        {
            Assert.False(File.Exists(Hot(r)));
            Assert.True(File.Exists(Archived(r)));
            Assert.Equal(StorageTier.Archive, await app.TierOfAsync(r.Id));
        }
        Assert.Equal([copiedOnly.Id], await app.AuditedMovesAsync());
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<ArchiveMove>().CountAsync()));
    }
}

/// <summary>The rules' "archive after" is checked before a policy is saved, with the rule named.</summary>
public sealed class ArchiveRuleValidationTests
{
    private static IEnumerable<string> Codes(IReadOnlyList<RetentionRule> rules, bool archive = true) =>
        RetentionPolicy.Validate(rules, archive).Select(p => p.Key);

    [Fact]
    public void Archiving_must_come_before_deletion_on_every_kind_of_rule()
    {
        Assert.Empty(Codes([new RetentionRule { Days = 365, ArchiveDays = 30 }, new RetentionRule { Team = "A", ArchiveDays = 10 }]));
        Assert.Equal(["Problem_ArchiveAfterDelete"], Codes([new RetentionRule { Days = 30, ArchiveDays = 30 }]));
        Assert.Equal(["Problem_ArchiveAfterDelete"], Codes([new RetentionRule { Days = 365 }, new RetentionRule { Team = "A", Type = CallType.Queue, Days = 20, ArchiveDays = 60 }]));
        Assert.Equal(["Problem_ArchiveAfterDelete"], Codes([new RetentionRule { Days = 365 }, new RetentionRule { Type = CallType.Ivr, Days = 7, ArchiveDays = 8 }]));
    }

    [Fact]
    public void Archive_days_out_of_range_are_named()
    {
        var problems = RetentionPolicy.Validate([new RetentionRule { Days = 365 }, new RetentionRule { Team = "Sprzedaż", Days = 90, ArchiveDays = 0 }]);
        var problem = Assert.Single(problems);
        Assert.Equal("Problem_ArchiveDays", problem.Key);
        Assert.Contains("team Sprzedaż", problem.Message);
        Assert.Equal(["Problem_ArchiveDays"], Codes([new RetentionRule { ArchiveDays = 36501 }]));
    }

    [Fact]
    public void A_rule_may_not_archive_when_no_archive_store_is_configured()
    {
        Assert.Equal(["Problem_NoArchiveStore"], Codes([new RetentionRule { Days = 365, ArchiveDays = 30 }], archive: false));
        Assert.Empty(Codes([new RetentionRule { Days = 365 }], archive: false));
    }

    [Fact]
    public void The_rule_describes_its_archive_period()
    {
        Assert.Equal("team A, type Queue: 365 days, archive after 30 days", new RetentionRule { Team = "A", Type = CallType.Queue, Days = 365, ArchiveDays = 30 }.Describe());
    }
}
