using System.Security.Claims;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Features.Watches;
using NagrywanieRozmow.Shared.Storage;

namespace NagrywanieRozmow.Features.Retention;

/// <summary>What the recording page shows about where a recording lies and how it can be played.</summary>
/// <param name="Restore">The newest restore request of the recording, if any.</param>
/// <param name="File">How its file can be read now (asked of the store only where the Archive tier makes it matter).</param>
public sealed record ArchiveStatus(StorageTier Tier, ArchiveKind Kind, bool NeedsRestore, RecordingRestore? Restore, ArchivedFileState File)
{
    public bool Playable => Tier == StorageTier.Hot || !NeedsRestore || File == ArchivedFileState.Readable;
    public bool MayRequest => !Playable && File == ArchivedFileState.Offline && Restore is not { State: RestoreState.Rehydrating };
}

public enum RestoreRequestOutcome { Requested, AlreadyUnderWay, NotNeeded, NotFound }

/// <summary>
/// Restores from Azure's Archive tier: a request (audited <c>recording.restore_requested</c>) starts the rehydration; the
/// poll job (<see cref="RestorePollJob"/>) sees it finish, marks the requests ready, audits <c>recording.restore_ready</c>
/// and notifies every requester; after <c>Retention:RestoredHours</c> it puts the blob back into the Archive tier
/// (<c>recording.restore_returned</c>). Each step is safe to repeat, so a stop anywhere is finished by the next poll.
/// </summary>
public sealed class ArchiveRestores(
    IDbContextFactory<AppDbContext> dbs, IRecordingArchive archive, AuditLog audit, TimeProvider time, IOptions<RetentionOptions> options,
    WatchNotices notices, ILogger<ArchiveRestores> log)
{
    public async Task<ArchiveStatus?> StatusAsync(long recordingId, ClaimsPrincipal user, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var recording = await db.Recordings.AsNoTracking().VisibleTo(db, user).Where(r => r.Id == recordingId)
            .Select(r => new { r.Tier, r.StorageKey }).FirstOrDefaultAsync(ct);
        if (recording is null) return null;
        var restore = await db.Set<RecordingRestore>().AsNoTracking().Where(r => r.RecordingId == recordingId).OrderByDescending(r => r.Id).FirstOrDefaultAsync(ct);
        var file = recording.Tier == StorageTier.Archive && archive.NeedsRestore ? await archive.StateAsync(recording.StorageKey, ct) : ArchivedFileState.Readable;
        return new ArchiveStatus(recording.Tier, archive.Kind, archive.NeedsRestore, restore, file);
    }

    /// <summary>Asks for an archived recording to be made playable; the requester is told when it is.</summary>
    public async Task<RestoreRequestOutcome> RequestAsync(long recordingId, ClaimsPrincipal user, AuditActor by, CancellationToken ct = default)
    {
        var status = await StatusAsync(recordingId, user, ct);
        if (status is null) return RestoreRequestOutcome.NotFound;
        if (status.Playable || status.File == ArchivedFileState.Missing) return RestoreRequestOutcome.NotNeeded;
        var userId = Watchlist.UserIdOf(user);
        var now = time.GetUtcNow().UtcDateTime;
        var (outcome, _) = await audit.InTransactionAsync<RestoreRequestOutcome>(async db =>
        {
            var underWay = await db.Set<RecordingRestore>().AnyAsync(r => r.RecordingId == recordingId && r.State == RestoreState.Rehydrating, ct);
            db.Add(new RecordingRestore { RecordingId = recordingId, UserId = userId, RequestedBy = by.Name, RequestedAt = now, State = RestoreState.Rehydrating });
            await db.SaveChangesAsync(ct);
            IReadOnlyList<AuditDraft> entries = [new AuditDraft(by, AuditActions.RestoreRequested, AuditOutcomes.Success, recordingId,
                AuditLog.Details(new { archive = archive.Kind.ToString(), alreadyUnderWay = underWay }))];
            return (underWay ? RestoreRequestOutcome.AlreadyUnderWay : RestoreRequestOutcome.Requested, entries);
        }, ct);
        // Written down first: a stop before this call is made good by the next poll, which asks again.
        await StartAsync(recordingId, ct);
        return outcome;
    }

    /// <summary>One pass of the state machine over every open request. Returns how many recordings changed state.</summary>
    public async Task<int> PollAsync(CancellationToken ct = default)
    {
        var changed = 0;
        var now = time.GetUtcNow().UtcDateTime;
        List<long> rehydrating, due;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            rehydrating = await db.Set<RecordingRestore>().Where(r => r.State == RestoreState.Rehydrating).Select(r => r.RecordingId).Distinct().ToListAsync(ct);
            due = await db.Set<RecordingRestore>().Where(r => r.State == RestoreState.Ready && r.ReturnAt <= now).Select(r => r.RecordingId).Distinct().ToListAsync(ct);
        }
        foreach (var id in rehydrating)
        {
            if (await KeyOfAsync(id, ct) is not { } key) continue;
            switch (await archive.StateAsync(key, ct))
            {
                case ArchivedFileState.Readable when await RenditionReadableAsync(id, ct):
                    if (await MarkReadyAsync(id, now, ct)) changed++;
                    break;
                case ArchivedFileState.Offline or ArchivedFileState.Readable:
                    // A request whose rehydration was never started (a stop right after it was written), or its rendition's.
                    await StartAsync(id, ct);
                    break;
            }
        }
        foreach (var id in due)
        {
            if (await KeyOfAsync(id, ct) is not { } key) continue;
            await archive.ReturnToArchiveAsync(key, ct);
            await archive.ReturnToArchiveAsync(Playback.Renditions.RenditionKeyOf(id), ct);
            var (count, _) = await audit.InTransactionAsync(async db =>
            {
                var n = await db.Set<RecordingRestore>().Where(r => r.RecordingId == id && r.State == RestoreState.Ready)
                    .ExecuteUpdateAsync(s => s.SetProperty(r => r.State, RestoreState.Returned).SetProperty(r => r.ReturnedAt, now), ct);
                IReadOnlyList<AuditDraft> entries = n == 0 ? [] : [new AuditDraft(new AuditActor(RestorePollJob.Actor, null), AuditActions.RestoreReturned,
                    AuditOutcomes.Success, id, AuditLog.Details(new { archive = archive.Kind.ToString() }))];
                return (n, entries);
            }, ct);
            if (count > 0) changed++;
        }
        return changed;
    }

    private async Task<bool> MarkReadyAsync(long id, DateTime now, CancellationToken ct)
    {
        var returnAt = now.AddHours(options.Value.RestoredHours);
        var (notified, _) = await audit.InTransactionAsync(async db =>
        {
            var requests = await db.Set<RecordingRestore>().Where(r => r.RecordingId == id && r.State == RestoreState.Rehydrating).ToListAsync(ct);
            if (requests.Count == 0) return (-1, (IReadOnlyList<AuditDraft>)[]);
            foreach (var r in requests) (r.State, r.ReadyAt, r.ReturnAt) = (RestoreState.Ready, now, returnAt);
            await db.SaveChangesAsync(ct);
            var told = 0;
            foreach (var userId in requests.Select(r => r.UserId).OfType<string>().Distinct())
                if (await RestoreNotices.AddAsync(db, userId, id, now, ct)) told++;
            return (told, [new AuditDraft(new AuditActor(RestorePollJob.Actor, null), AuditActions.RestoreReady, AuditOutcomes.Success, id,
                AuditLog.Details(new { requestedBy = requests.Select(r => r.RequestedBy).Distinct(), returnAt, notified = told }))]);
        }, ct);
        if (notified > 0) notices.Wake();
        return notified >= 0;
    }

    private async Task StartAsync(long id, CancellationToken ct)
    {
        if (await KeyOfAsync(id, ct) is not { } key) return;
        await archive.StartRestoreAsync(key, ct);
        await archive.StartRestoreAsync(Playback.Renditions.RenditionKeyOf(id), ct);
    }

    /// <summary>A rendition that exists must be readable too; one never made does not hold the restore up.</summary>
    private async Task<bool> RenditionReadableAsync(long id, CancellationToken ct) =>
        await archive.StateAsync(Playback.Renditions.RenditionKeyOf(id), ct) is ArchivedFileState.Readable or ArchivedFileState.Missing;

    private async Task<string?> KeyOfAsync(long id, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var key = await db.Recordings.Where(r => r.Id == id).Select(r => r.StorageKey).FirstOrDefaultAsync(ct);
        if (key is null) log.LogInformation("Recording {Id} was erased while a restore was open", id);
        return key;
    }
}

/// <summary>Moves restore requests on: every 10 minutes it asks the store whether rehydrations finished and returns expired ones.</summary>
public sealed class RestorePollJob(ArchiveRestores restores)
{
    public const string Id = "archive-restores";
    public const string Actor = "system (archive)";

    [AutomaticRetry(Attempts = 3)]
    [DisableConcurrentExecution(timeoutInSeconds: 3600)]
    public Task RunAsync(CancellationToken ct) => restores.PollAsync(ct);
}
