using System.Text.Json;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Audit;

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
    private static readonly AuditActor By = new(Actor, null);

    [AutomaticRetry(Attempts = 3)]
    [DisableConcurrentExecution(timeoutInSeconds: 6 * 3600)]
    public Task RunAsync(CancellationToken ct) => RenormalizeAsync(DefaultBatchSize, fromStart: false, progress: null, ct);

    /// <summary>True when rows may hold digits made with other settings: a run is unfinished, or the last finished one used others.</summary>
    public async Task<bool> IsDueAsync(CancellationToken ct = default)
    {
        if (await LastRunAsync(ct) is { } last) return !(last.Done && last.Settings == numbers.Fingerprint);
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Recordings.AnyAsync(ct);
    }

    /// <summary>
    /// Resumes the unfinished run of the current settings, or walks every row when the last finished run used other settings
    /// (or <paramref name="fromStart"/>); with the current settings already applied there is nothing to do.
    /// </summary>
    public async Task<RenormalizationProgress> RenormalizeAsync(int batchSize, bool fromStart, IProgress<RenormalizationProgress>? progress, CancellationToken ct)
    {
        var settings = numbers.Fingerprint;
        var last = await LastRunAsync(ct);
        if (!fromStart && last is { Done: true } && last.Settings == settings) return new RenormalizationProgress(last.LastId, 0, 0, true);
        var resumedAfter = !fromStart && last is { Done: false } && last.Settings == settings ? last.LastId : 0;
        var (after, walked, changed) = (resumedAfter, 0L, 0L);
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            List<Rewrite> batch;
            await using (var db = await dbs.CreateDbContextAsync(ct))
            {
                batch = await db.Recordings.AsNoTracking().Where(r => r.Id > after).OrderBy(r => r.Id).Take(batchSize)
                    .Select(r => new Rewrite(r.Id, r.CallerNumber, r.CallerDigits, r.CalleeNumber, r.CalleeDigits)).ToListAsync(ct);
            }
            if (batch.Count == 0) break;
            var rewrites = batch.Select(r => r with { CallerDigits = numbers.Normalize(r.CallerNumber), CalleeDigits = numbers.Normalize(r.CalleeNumber) })
                .Where((r, i) => r.CallerDigits != batch[i].CallerDigits || r.CalleeDigits != batch[i].CalleeDigits).ToList();
            // Unchanged batches are not audited: after a crash they are only read again.
            if (rewrites.Count > 0) await RewriteAsync(rewrites, settings, batch[^1].Id, ct);
            (after, walked, changed) = (batch[^1].Id, walked + batch.Count, changed + rewrites.Count);
            progress?.Report(new RenormalizationProgress(after, walked, changed, false));
        }
        await audit.AppendAsync(By, AuditActions.NumbersRenormalize, AuditOutcomes.Success, details: Details(settings, after, new
        {
            done = true, resumedAfter, walked, changed,
        }));
        log.LogInformation("Numbers re-normalised with {Settings}: {Changed} of {Walked} recordings rewritten", settings, changed, walked);
        var result = new RenormalizationProgress(after, walked, changed, true);
        progress?.Report(result);
        return result;
    }

    private Task RewriteAsync(List<Rewrite> rewrites, string settings, long lastId, CancellationToken ct) =>
        audit.InTransactionAsync<int>(async db =>
        {
            foreach (var r in rewrites)
            {
                await db.Recordings.Where(x => x.Id == r.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.CallerDigits, r.CallerDigits).SetProperty(x => x.CalleeDigits, r.CalleeDigits), ct);
            }
            return (rewrites.Count, [new AuditDraft(By, AuditActions.NumbersRenormalize, AuditOutcomes.Success,
                Details: Details(settings, lastId, new { changed = rewrites.Count, recordings = rewrites.Select(r => r.Id) }))]);
        }, ct);

    private string Details(string settings, long lastId, object facts)
    {
        var fields = new Dictionary<string, object?>
        {
            ["settings"] = settings, ["region"] = numbers.Region, ["outsideLinePrefixes"] = numbers.OutsideLinePrefixes, ["lastId"] = lastId,
        };
        foreach (var fact in JsonSerializer.SerializeToElement(facts).EnumerateObject()) fields[fact.Name] = fact.Value;
        return AuditLog.Details(fields);
    }

    private async Task<LastRun?> LastRunAsync(CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        // By actor first: (Actor, At) is indexed, so finding the entry never scans the whole log.
        var details = await db.AuditLog.AsNoTracking().Where(a => a.Actor == Actor && a.Action == AuditActions.NumbersRenormalize)
            .OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Select(a => a.Details).FirstOrDefaultAsync(ct);
        if (details is null) return null;
        var json = JsonDocument.Parse(details).RootElement;
        return new LastRun(json.GetProperty("settings").GetString()!, json.GetProperty("lastId").GetInt64(),
            json.TryGetProperty("done", out var done) && done.GetBoolean());
    }

    private sealed record LastRun(string Settings, long LastId, bool Done);

    private sealed record Rewrite(long Id, string CallerNumber, string CallerDigits, string CalleeNumber, string CalleeDigits);
}
