using System.Net;
using System.Security.Cryptography;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NagrywanieRozmow.Features.Access;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Features.Retention;
using NagrywanieRozmow.Features.Watches;
using NagrywanieRozmow.Shared.Storage;

namespace NagrywanieRozmow.Tests.Features.Retention;

/// <summary>
/// The archive on Azure Blob storage (Azurite): archiving changes the blob's access tier in place after checking its bytes;
/// Cool and Cold play directly; the Archive tier refuses to play until a restore, whose states are read from the blob's
/// properties; the purge deletes archived blobs. Azurite changes a tier at once (no hours of rehydration): the waiting
/// state is covered by <see cref="RestoreStateMachineTests"/>.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ArchiveOnAzuriteTests(AzuriteFixture azurite) : IAsyncDisposable
{
    private static readonly DateTime Now = ArchiveApp.Now;
    private readonly List<IAsyncDisposable> apps = [];

    private sealed class BlobArchiveApp(string connectionString, string containerName, string tier) : AppFactory
    {
        public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(Now));

        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "AzureBlob",
            ["Storage:AzureBlob:ConnectionString"] = connectionString,
            ["Storage:AzureBlob:Container"] = containerName,
            ["Storage:ArchiveTier"] = tier,
            ["Ingestion:QuarantinePath"] = Path.Combine(Root, "quarantine"),
            ["Ingestion:StagingPath"] = Path.Combine(Root, "incoming"),
            ["Retention:DefaultDays"] = "365", ["Retention:DefaultArchiveDays"] = "30", ["Retention:RestoredHours"] = "48",
            ["Retention:BatchSize"] = "2", ["Retention:BatchPauseMs"] = "0",
        };

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
        }
    }

    private async Task<(BlobArchiveApp App, BlobContainerClient Container)> StartAsync(string tier)
    {
        var container = azurite.NewContainer(out var name);
        var app = new BlobArchiveApp(azurite.ConnectionString, name, tier);
        apps.Add(app);
        await app.InitializeAsync();
        return (app, container);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in apps) await ((IAsyncLifetime)app).DisposeAsync();
    }

    private static async Task<Recording> AddAsync(AppFactory app, int daysOld) =>
        await TestData.AddWithAudioAsync(app, TestData.Recording(startedAt: Now.AddDays(-daysOld).AddMinutes(-5)));

    private static async Task<AccessTier?> TierAsync(BlobContainerClient container, string key) =>
        (await container.GetBlobClient(key).GetPropertiesAsync()).Value.AccessTier;

    [Theory]
    [InlineData("Cool")]
    [InlineData("Cold")]
    public async Task Archived_to_a_cool_tier_the_blob_keeps_its_bytes_plays_directly_and_the_purge_deletes_it(string tier)
    {
        var (app, container) = await StartAsync(tier);
        var old = await AddAsync(app, 100);
        var young = await AddAsync(app, 10);

        var report = await app.Services.GetRequiredService<RetentionArchiveJob>().ArchiveAsync();

        Assert.Equal(1, report.Archived);
        Assert.Equal(new AccessTier(tier), await TierAsync(container, old.StorageKey));
        Assert.NotEqual(new AccessTier(tier), await TierAsync(container, young.StorageKey));
        Assert.Equal(StorageTier.Archive, await app.WithDbAsync(db => db.Recordings.Where(r => r.Id == old.Id).Select(r => r.Tier).SingleAsync()));
        var audio = await app.ClientAs(Roles.Administrator).GetAsync($"/api/v1/recordings/{old.Id}/audio");
        Assert.Equal(HttpStatusCode.OK, audio.StatusCode);
        Assert.Equal(old.Sha256, Convert.ToHexStringLower(SHA256.HashData(await audio.Content.ReadAsByteArrayAsync())));

        await app.Services.GetRequiredService<RetentionPolicies>().SaveAsync([new RetentionRule { Days = 90, ArchiveDays = 30 }], new AuditActor("admin@example.com", null));
        var purge = await app.Services.GetRequiredService<RetentionPurgeJob>().PurgeAsync(dryRun: false);

        Assert.Equal(1, purge.Deleted);
        Assert.False((await container.GetBlobClient(old.StorageKey).ExistsAsync()).Value);
        Assert.True((await container.GetBlobClient(young.StorageKey).ExistsAsync()).Value);
    }

    [Fact]
    public async Task In_the_Archive_tier_playing_needs_a_restore_that_is_audited_notifies_the_requester_and_goes_back_after_the_set_time()
    {
        var (app, container) = await StartAsync("Archive");
        var r = await AddAsync(app, 100);
        const string email = "reklamacje@example.com";
        await app.WithDbAsync(async db =>
        {
            db.Users.Add(new AppUser { Id = email, UserName = email, NormalizedUserName = email.ToUpperInvariant(), Email = email, NormalizedEmail = email.ToUpperInvariant() });
            await db.SaveChangesAsync();
        });
        await app.Services.GetRequiredService<RetentionArchiveJob>().ArchiveAsync();
        Assert.Equal(AccessTier.Archive, await TierAsync(container, r.StorageKey));
        var client = app.ClientAs(Roles.ComplaintHandler, email: email);

        var refused = await client.GetAsync($"/api/v1/recordings/{r.Id}/audio");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("przywrócenie", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Conflict, (await client.GetAsync($"/api/v1/recordings/{r.Id}/download")).StatusCode);

        var page = await client.GetStringAsync($"/recordings/{r.Id}");
        Assert.Contains("archiwum (Azure, warstwa Archive)", page);
        Assert.Contains("data-state=\"offline\"", page);
        Assert.Contains("data-testid=\"restore-request\"", page);

        var restores = app.Services.GetRequiredService<ArchiveRestores>();
        var user = TestAuth.Principal(email, Roles.ComplaintHandler);
        Assert.True((await restores.StatusAsync(r.Id, user))!.MayRequest);
        Assert.Equal(RestoreRequestOutcome.Requested, await restores.RequestAsync(r.Id, user, new AuditActor(email, "10.0.0.7")));
        // Azurite rehydrates at once (Azure takes hours): the blob reads as Cool, and the next poll finds it ready.
        Assert.Equal(AccessTier.Cool, await TierAsync(container, r.StorageKey));
        Assert.Equal(1, await restores.PollAsync());

        var restore = await app.WithDbAsync(db => db.Set<RecordingRestore>().SingleAsync());
        Assert.Equal((RestoreState.Ready, Now.AddHours(48)), (restore.State, restore.ReturnAt));
        var notice = await app.WithDbAsync(db => db.Set<Notification>().SingleAsync());
        Assert.Equal((email, r.Id, (DateTime?)null), (notice.UserId, notice.RecordingId, notice.ReadAt));
        var bell = await app.Services.GetRequiredService<Watchlist>().RecentAsync(user, 10);
        Assert.Equal(WatchKind.Restored, Assert.Single(bell).Kind);
        Assert.Empty(await app.Services.GetRequiredService<Watchlist>().ListAsync(user));
        var played = await client.GetAsync($"/api/v1/recordings/{r.Id}/audio");
        Assert.Equal(HttpStatusCode.OK, played.StatusCode);
        Assert.Equal(r.Sha256, Convert.ToHexStringLower(SHA256.HashData(await played.Content.ReadAsByteArrayAsync())));

        // Nothing changes before the set time; after it, the blob is back in the Archive tier.
        app.Clock.Advance(TimeSpan.FromHours(47));
        Assert.Equal(0, await restores.PollAsync());
        app.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(1, await restores.PollAsync());
        Assert.Equal(AccessTier.Archive, await TierAsync(container, r.StorageKey));
        Assert.Equal(RestoreState.Returned, (await app.WithDbAsync(db => db.Set<RecordingRestore>().SingleAsync())).State);
        Assert.Equal(HttpStatusCode.Conflict, (await client.GetAsync($"/api/v1/recordings/{r.Id}/audio")).StatusCode);

        var actions = await app.WithDbAsync(db => db.AuditLog.Where(a => a.RecordingId == r.Id && a.Action.StartsWith("recording.restore")).OrderBy(a => a.Id)
            .Select(a => new { a.Action, a.Actor }).ToListAsync());
        Assert.Equal([AuditActions.RestoreRequested, AuditActions.RestoreReady, AuditActions.RestoreReturned], actions.Select(a => a.Action));
        Assert.Equal(email, actions[0].Actor);
        Assert.Null(await app.Services.GetRequiredService<AuditLog>().VerifyAsync());

        // The purge erases an archived blob as any other; its restore requests go with it.
        await app.Services.GetRequiredService<RetentionPolicies>().SaveAsync([new RetentionRule { Days = 90, ArchiveDays = 30 }], new AuditActor("admin@example.com", null));
        Assert.Equal(1, (await app.Services.GetRequiredService<RetentionPurgeJob>().PurgeAsync(dryRun: false)).Deleted);
        Assert.False((await container.GetBlobClient(r.StorageKey).ExistsAsync()).Value);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<RecordingRestore>().CountAsync()));
    }
}
