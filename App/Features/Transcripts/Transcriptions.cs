using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Features.Transcripts;

/// <summary>Counts for the ingestion page: waiting (queued or being transcribed), done, failed for good, and the newest failure.</summary>
public sealed record TranscriptionProgress(bool Enabled, string Provider, int Waiting, int Done, int Failed, string? LastError);

/// <summary>Asking for transcripts (a person on a recording's page), what is waiting, and queuing again what a restart lost.</summary>
public sealed class Transcriptions(IDbContextFactory<AppDbContext> dbs, IOptions<TranscriptionOptions> options, AuditLog audit, TimeProvider time, IBackgroundJobClient jobs)
{
    public bool Enabled => options.Value.Enabled;

    /// <summary>
    /// A person asks for the call to be transcribed (again): the request is reset to waiting and queued, and audited. Null
    /// when done; a problem when transcription is off or the call is not theirs to see.
    /// </summary>
    public async Task<Problem?> RequestAsync(long recordingId, System.Security.Claims.ClaimsPrincipal user, AuditActor by, CancellationToken ct = default)
    {
        if (!Enabled) return new("Transcription_Off", "Transcription is off: an administrator chooses a provider in Transcription:Provider.");
        var now = time.GetUtcNow().UtcDateTime;
        var (found, _) = await audit.InTransactionAsync(async db =>
        {
            if (!await db.Recordings.VisibleTo(db, user).AnyAsync(r => r.Id == recordingId, ct)) return (false, (IReadOnlyList<AuditDraft>)[]);
            var request = await db.Set<TranscriptionRequest>().FirstOrDefaultAsync(r => r.RecordingId == recordingId, ct);
            if (request is null) db.Add(request = new TranscriptionRequest { RecordingId = recordingId, RequestedBy = by.Name });
            request.State = TranscriptionState.Pending;
            request.Attempts = 0;
            request.Error = null;
            request.ClaimedUntil = null;
            request.RequestedBy = by.Name;
            request.RequestedAt = now;
            await db.SaveChangesAsync(ct);
            return (true, (IReadOnlyList<AuditDraft>)[new AuditDraft(by, AuditActions.TranscriptRequested, AuditOutcomes.Success, recordingId)]);
        }, ct);
        if (!found) return new("Recording_NotFound", "No such recording.");
        TranscriptionJob.Enqueue(jobs, recordingId);
        return null;
    }

    public async Task<TranscriptionRequest?> RequestOfAsync(long recordingId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Set<TranscriptionRequest>().AsNoTracking().FirstOrDefaultAsync(r => r.RecordingId == recordingId, ct);
    }

    public async Task<TranscriptionProgress> ProgressAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var counts = await db.Set<TranscriptionRequest>().GroupBy(r => r.State).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        int Of(TranscriptionState s) => counts.FirstOrDefault(c => c.Key == s)?.Count ?? 0;
        var lastError = await db.Set<TranscriptionRequest>().Where(r => r.Error != null).OrderByDescending(r => r.RequestedAt).Select(r => r.Error).FirstOrDefaultAsync(ct);
        return new TranscriptionProgress(Enabled, options.Value.Provider.ToString(), Of(TranscriptionState.Pending), Of(TranscriptionState.Done), Of(TranscriptionState.Failed), lastError);
    }

    /// <summary>Queues every waiting request no attempt holds: at start (an in-memory queue forgot them) and every few minutes.</summary>
    public async Task<int> SweepAsync(CancellationToken ct = default)
    {
        if (!Enabled) return 0;
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var waiting = await db.Set<TranscriptionRequest>().Where(r => r.State == TranscriptionState.Pending && (r.ClaimedUntil == null || r.ClaimedUntil < now))
            .OrderBy(r => r.RequestedAt).Select(r => r.RecordingId).Take(10_000).ToListAsync(ct);
        foreach (var id in waiting) TranscriptionJob.Enqueue(jobs, id);
        return waiting.Count;
    }
}

/// <summary>
/// New recordings the settings cover (<see cref="TranscriptionOptions.Covers"/>) get a request as they are ingested,
/// committed with the follower's position, then their jobs are queued.
/// </summary>
public sealed class TranscriptionFollower(
    IDbContextFactory<AppDbContext> dbs, AuditLog audit, ILogger<TranscriptionFollower> logger, IOptions<TranscriptionOptions> options, TimeProvider time,
    IBackgroundJobClient jobs)
    : AuditFollower(dbs, audit, logger)
{
    private List<long> queued = [];

    protected override string Name => "transcription";

    protected override IReadOnlyCollection<string> Actions => [AuditActions.Ingest];

    protected override async Task HandleAsync(AppDbContext db, IReadOnlyList<AuditEntry> entries, CancellationToken ct)
    {
        queued = [];
        if (!options.Value.Enabled) return;
        var ids = entries.Where(e => e.Outcome == AuditOutcomes.Success && e.RecordingId is not null).Select(e => e.RecordingId!.Value).Distinct().ToList();
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var chunk in ids.Chunk(500))
        {
            var recordings = await db.Recordings.AsNoTracking().Where(r => chunk.Contains(r.Id)).ToListAsync(ct);
            var asked = await db.Set<TranscriptionRequest>().Where(r => chunk.Contains(r.RecordingId)).Select(r => r.RecordingId).ToListAsync(ct);
            foreach (var r in recordings.Where(r => options.Value.Covers(r) && !asked.Contains(r.Id)))
            {
                db.Add(new TranscriptionRequest { RecordingId = r.Id, State = TranscriptionState.Pending, RequestedBy = "rule", RequestedAt = now });
                queued.Add(r.Id);
            }
        }
    }

    protected override Task AfterCommitAsync(CancellationToken ct)
    {
        foreach (var id in queued) TranscriptionJob.Enqueue(jobs, id);
        queued = [];
        return Task.CompletedTask;
    }
}
