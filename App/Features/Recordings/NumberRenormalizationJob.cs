using Hangfire;
using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Data;

namespace NagrywanieRozmow.Features.Recordings;

/// <summary>
/// Rewrites the stored digits of every recording from the numbers as the PBX wrote them, after the number settings (or
/// rules) changed. Walks recordings in id order; each batch that changes rows is rewritten in the transaction that appends
/// its audit entry, and that entry holds the settings' fingerprint and the last id walked: a run stopped anywhere resumes
/// after the last audited batch, and a run with other settings starts again from the first row. The SQLite trigger on
/// CallerDigits/CalleeDigits keeps the trigram index in step with each update.
/// </summary>
public sealed class NumberRenormalizationJob(
    IDbContextFactory<AppDbContext> dbs, NumberNormalizer numbers, AuditLog audit, ILogger<NumberRenormalizationJob> log)
{
    public const string Actor = "system (numbers)";
    public const int DefaultBatchSize = 2_000;

    private readonly RecordingWalk walk = new(dbs, audit);
    private WalkRun Run => new(new AuditActor(Actor, null), AuditActions.NumbersRenormalize, "settings", numbers.Fingerprint);

    [AutomaticRetry(Attempts = 3)]
    [DisableConcurrentExecution(timeoutInSeconds: 6 * 3600)]
    public Task RunAsync(CancellationToken ct) => RenormalizeAsync(DefaultBatchSize, fromStart: false, progress: null, ct);

    /// <summary>True when rows may hold digits made with other settings: a run is unfinished, or the last finished one used others.</summary>
    public Task<bool> IsDueAsync(CancellationToken ct = default) => walk.IsDueAsync(Run, ct);

    /// <summary>
    /// Resumes the unfinished run of the current settings, or walks every row when the last finished run used other settings
    /// (or <paramref name="fromStart"/>); with the current settings already applied there is nothing to do.
    /// </summary>
    public async Task<WalkProgress> RenormalizeAsync(int batchSize, bool fromStart, IProgress<WalkProgress>? progress, CancellationToken ct)
    {
        var run = Run;
        var result = await walk.WalkAsync(run, fromStart,
            async (db, after) =>
            {
                var batch = await db.Recordings.AsNoTracking().Where(r => r.Id > after).OrderBy(r => r.Id).Take(batchSize)
                    .Select(r => new Rewrite(r.Id, r.CallerNumber, r.CallerDigits, r.CalleeNumber, r.CalleeDigits)).ToListAsync(ct);
                var rewrites = batch
                    .Select(r => r with { CallerDigits = numbers.Normalize(r.CallerNumber), CalleeDigits = numbers.Normalize(r.CalleeNumber) })
                    .Where((r, i) => r.CallerDigits != batch[i].CallerDigits || r.CalleeDigits != batch[i].CalleeDigits).ToList();
                return new WalkBatch<Rewrite>(batch.Count == 0 ? null : batch[^1].Id, batch.Count, rewrites);
            },
            async (db, rewrites) =>
            {
                foreach (var r in rewrites)
                {
                    await db.Recordings.Where(x => x.Id == r.Id)
                        .ExecuteUpdateAsync(s => s.SetProperty(x => x.CallerDigits, r.CallerDigits).SetProperty(x => x.CalleeDigits, r.CalleeDigits), ct);
                }
            },
            rewrites => new { changed = rewrites.Count, recordings = rewrites.Select(r => r.Id) },
            new { region = numbers.Region, outsideLinePrefixes = numbers.OutsideLinePrefixes },
            progress, ct);
        if (result.Walked > 0 || fromStart)
            log.LogInformation("Numbers re-normalised with {Settings}: {Changed} of {Walked} recordings rewritten", run.Marker, result.Changed, result.Walked);
        return result;
    }

    private sealed record Rewrite(long Id, string CallerNumber, string CallerDigits, string CalleeNumber, string CalleeDigits);
}
