using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Features.Webhooks;

/// <summary>
/// Turns audit entries into deliveries: one per event and per enabled endpoint that wants the event, was created before it
/// happened, and may see the recording's team. The deliveries are committed with the follower's position (see
/// <see cref="AuditFollower"/>), so an event is neither lost nor doubled by a crash; their jobs are queued after the commit,
/// and the sweep queues any whose job was lost.
/// </summary>
public sealed class WebhookFollower(
    IDbContextFactory<AppDbContext> dbs, AuditLog audit, ILogger<WebhookFollower> logger, IOptions<WebhooksOptions> options, IOptions<PublicUrlOptions> links,
    TimeProvider time, IBackgroundJobClient jobs)
    : AuditFollower(dbs, audit, logger)
{
    public const string CursorName = "webhooks";

    private List<WebhookDelivery> made = [];

    protected override string Name => CursorName;

    protected override IReadOnlyCollection<string> Actions => WebhookEvent.Actions;

    protected override async Task HandleAsync(AppDbContext db, IReadOnlyList<AuditEntry> entries, CancellationToken ct)
    {
        made = [];
        var endpoints = await db.Set<WebhookEndpoint>().AsNoTracking().Where(e => e.Enabled).ToListAsync(ct);
        if (endpoints.Count == 0) return;
        var events = entries.SelectMany(WebhookEvent.From).Where(ev => endpoints.Any(e => e.Wants(ev.Type))).ToList();
        if (events.Count == 0) return;

        var ids = events.Select(ev => ev.RecordingId).Distinct().ToList();
        var recordings = new Dictionary<long, Recording>();
        var tombstones = new Dictionary<long, RecordingTombstone>();
        foreach (var chunk in ids.Chunk(500))
        {
            foreach (var r in await db.Recordings.AsNoTracking().Include(r => r.Cases).Where(r => chunk.Contains(r.Id)).ToListAsync(ct)) recordings[r.Id] = r;
            var gone = chunk.Where(id => !recordings.ContainsKey(id)).ToArray();
            if (gone.Length > 0)
                foreach (var t in await db.Set<RecordingTombstone>().AsNoTracking().Where(t => gone.Contains(t.Id)).ToListAsync(ct)) tombstones[t.Id] = t;
        }
        // Tombstones written before they kept the team: an endpoint limited to a team hears of such a deletion if it heard of the recording before.
        var teamEndpoints = endpoints.Where(e => e.Team is not null).Select(e => e.Id).ToArray();
        var goneIds = tombstones.Keys.ToArray();
        var heardOf = new HashSet<(int, long)>();
        if (teamEndpoints.Length > 0 && goneIds.Length > 0)
            foreach (var chunk in goneIds.Chunk(500))
                foreach (var pair in await db.Set<WebhookDelivery>().Where(d => teamEndpoints.Contains(d.EndpointId) && chunk.Contains(d.RecordingId!.Value))
                             .Select(d => new { d.EndpointId, RecordingId = d.RecordingId!.Value }).Distinct().ToListAsync(ct))
                    heardOf.Add((pair.EndpointId, pair.RecordingId));

        var now = time.GetUtcNow().UtcDateTime;
        var attempts = options.Value.Delays.Count + 1;
        foreach (var ev in events)
        {
            var recording = recordings.GetValueOrDefault(ev.RecordingId);
            var tombstone = tombstones.GetValueOrDefault(ev.RecordingId);
            if (recording is null && tombstone is null) continue; // never stored (a bad id in an entry): nothing to tell
            string? payload = null;
            foreach (var endpoint in endpoints.Where(e => e.Wants(ev.Type) && ev.Entry.Id > e.StartsAfterAuditId))
            {
                // The recording's team, or its tombstone's (a case added just before the deletion is read after it); a tombstone from
                // before tombstones kept the team counts as the team's when the endpoint heard of the recording before.
                if (endpoint.Team is { } team && (recording?.Team ?? tombstone?.Team) != team && !(tombstone is { Team: null } && heardOf.Contains((endpoint.Id, ev.RecordingId))))
                    continue;
                payload ??= ev.Payload(recording, tombstone, links.Value);
                var delivery = new WebhookDelivery
                {
                    EndpointId = endpoint.Id, MessageId = WebhookSignature.NewMessageId(), EventType = ev.Type, RecordingId = ev.RecordingId,
                    AuditEntryId = ev.Entry.Id, Payload = payload, State = DeliveryState.Pending, MaxAttempts = attempts, CreatedAt = now, NextAttemptAt = now,
                };
                db.Add(delivery);
                made.Add(delivery);
                heardOf.Add((endpoint.Id, ev.RecordingId));
            }
        }
    }

    protected override Task AfterCommitAsync(CancellationToken ct)
    {
        foreach (var delivery in made) WebhookDeliveryJob.Enqueue(jobs, delivery.Id);
        made = [];
        return Task.CompletedTask;
    }
}
