using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Features.Access;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Features.Watches;

namespace NagrywanieRozmow.Tests.Features.Watches;

/// <summary>The real app with helpers for watching: real accounts, arrivals as the ingestion writes them, the follower driven step by step.</summary>
public class WatchApp : AppFactory
{
    public WatchFollower Follower => Services.GetRequiredService<WatchFollower>();
    public Watchlist Watchlist => Services.GetRequiredService<Watchlist>();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        // The follower takes its place at the end of the log before anything here happens (the hosted one may already have).
        await DrainAsync();
    }

    /// <summary>Creates an account and returns its id.</summary>
    public async Task<string> UserAsync(string email, string role, string? team = null, string? extension = null)
    {
        await using var scope = Services.CreateAsyncScope();
        var errors = await scope.ServiceProvider.GetRequiredService<UserAccounts>().CreateAsync(email, "Watch-Test-1!", role, team, extension);
        Assert.Empty(errors);
        return (await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email))!.Id;
    }

    /// <summary>The person as a sign-in would see them now (claims from the account).</summary>
    public async Task<ClaimsPrincipal> PrincipalAsync(string userId)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        return await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<AppUser>>().CreateAsync((await users.FindByIdAsync(userId))!);
    }

    public async Task WatchAsync(string userId, WatchKind kind, string value)
    {
        var user = await PrincipalAsync(userId);
        Assert.Equal(1, await Watchlist.AddAsync(user, AuditActor.Of(user, null), [(kind, value)]));
    }

    /// <summary>A recording arrives: its row, then its recording.ingest entry, as the ingestion writes them.</summary>
    public async Task<long> ArriveAsync(Recording recording)
    {
        await TestData.AddAsync(this, recording);
        await Services.GetRequiredService<AuditLog>().AppendAsync("system (ingestion)", AuditActions.Ingest, AuditOutcomes.Success, recording.Id,
            AuditLog.Details(new { file = recording.OriginalFileName }));
        return recording.Id;
    }

    /// <summary>Runs the follower until it has read to the end of the log (the hosted one may take some batches meanwhile).</summary>
    public async Task DrainAsync()
    {
        while (await Follower.ProcessBatchAsync(default)) { }
    }

    public Task<List<(long WatchId, long RecordingId)>> NotificationsOfAsync(string userId) => WithDbAsync(async db =>
        (await db.Set<Notification>().Where(n => n.UserId == userId).OrderBy(n => n.Id).Select(n => new { n.WatchId, n.RecordingId }).ToListAsync())
            .Select(n => (n.WatchId, n.RecordingId)).ToList());

    public Task<List<long>> NotifiedRecordingsAsync(string userId) => WithDbAsync(db =>
        db.Set<Notification>().Where(n => n.UserId == userId).OrderBy(n => n.RecordingId).Select(n => n.RecordingId).ToListAsync());
}
