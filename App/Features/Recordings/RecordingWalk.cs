using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Data;

namespace NagrywanieRozmow.Features.Recordings;

/// <summary>Where a walk is: the last recording id walked, rows walked and rewritten by this run, and whether it has finished.</summary>
public sealed record WalkProgress(long LastId, long Walked, long Changed, bool Done);

/// <summary>
/// Who walks, under which audit action, and by which rules: <see cref="Marker"/> (the number settings' fingerprint, the
/// version of the rules for PBX names) is kept in every entry as <see cref="MarkerName"/>.
/// </summary>
public sealed record WalkRun(AuditActor By, string Action, string MarkerName, object Marker);

/// <summary>A batch read: how far it reached (null when no rows were left), how many rows it walked, and the rewrites among them.</summary>
public sealed record WalkBatch<T>(long? LastId, int Walked, IReadOnlyList<T> Rewrites);

/// <summary>
/// A walk over every stored recording in id order that rewrites those the current rules see differently. Each batch that
/// changes rows is rewritten in the transaction that appends its audit entry, which holds the rules' marker and the last id
/// walked: a run stopped anywhere resumes after the last audited batch, a finished run of the same rules is not repeated,
/// and other rules start again from the first row. Unchanged batches are not audited: after a crash they are only read again.
/// </summary>
public sealed class RecordingWalk(IDbContextFactory<AppDbContext> dbs, AuditLog audit)
{
    /// <summary>True when rows may have been written by other rules: a run is unfinished, or the last finished one had others.</summary>
    public async Task<bool> IsDueAsync(WalkRun run, CancellationToken ct)
    {
        if (await LastAsync(run, ct) is { } last) return !(last.Done && last.SameRules);
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Recordings.AnyAsync(ct);
    }

    /// <param name="read">Reads the batch after an id and finds its rewrites (with the context it reads through).</param>
    /// <param name="write">Writes a batch's rewrites, inside the transaction of its audit entry.</param>
    /// <param name="describe">What a batch's entry says besides the rules and the last id (e.g. which recordings changed).</param>
    /// <param name="details">What every entry of this run says besides (e.g. the settings behind the marker).</param>
    public async Task<WalkProgress> WalkAsync<T>(
        WalkRun run, bool fromStart, Func<AppDbContext, long, Task<WalkBatch<T>>> read, Func<AppDbContext, IReadOnlyList<T>, Task> write,
        Func<IReadOnlyList<T>, object> describe, object? details, IProgress<WalkProgress>? progress, CancellationToken ct)
    {
        var last = await LastAsync(run, ct);
        if (!fromStart && last is { Done: true, SameRules: true }) return new WalkProgress(last.LastId, 0, 0, true);
        var resumedAfter = !fromStart && last is { Done: false, SameRules: true } ? last.LastId : 0;
        var (after, walked, changed) = (resumedAfter, 0L, 0L);
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            WalkBatch<T> batch;
            await using (var db = await dbs.CreateDbContextAsync(ct)) batch = await read(db, after);
            if (batch.LastId is not { } lastId) break;
            if (batch.Rewrites.Count > 0)
            {
                var entry = Details(run, lastId, details, describe(batch.Rewrites));
                await audit.InTransactionAsync<int>(async db =>
                {
                    await write(db, batch.Rewrites);
                    return (batch.Rewrites.Count, [new AuditDraft(run.By, run.Action, AuditOutcomes.Success, Details: entry)]);
                }, ct);
            }
            (after, walked, changed) = (lastId, walked + batch.Walked, changed + batch.Rewrites.Count);
            progress?.Report(new WalkProgress(after, walked, changed, false));
        }
        await audit.AppendAsync(run.By, run.Action, AuditOutcomes.Success,
            details: Details(run, after, details, new { done = true, resumedAfter, walked, changed }));
        var result = new WalkProgress(after, walked, changed, true);
        progress?.Report(result);
        return result;
    }

    private static string Details(WalkRun run, long lastId, object? details, object facts)
    {
        var fields = new Dictionary<string, object?> { [run.MarkerName] = run.Marker };
        foreach (var source in new[] { details, new { lastId }, facts }.OfType<object>())
        {
            foreach (var fact in JsonSerializer.SerializeToElement(source).EnumerateObject()) fields[fact.Name] = fact.Value;
        }
        return AuditLog.Details(fields);
    }

    private async Task<LastRun?> LastAsync(WalkRun run, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        // By actor first: (Actor, At) is indexed, so finding the entry never scans the whole log.
        var details = await db.AuditLog.AsNoTracking().Where(a => a.Actor == run.By.Name && a.Action == run.Action)
            .OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Select(a => a.Details).FirstOrDefaultAsync(ct);
        if (details is null) return null;
        var json = JsonDocument.Parse(details).RootElement;
        var sameRules = json.TryGetProperty(run.MarkerName, out var marker) && (marker.ValueKind == JsonValueKind.String
            ? marker.GetString() == run.Marker.ToString()
            : marker.GetRawText() == Convert.ToString(run.Marker, System.Globalization.CultureInfo.InvariantCulture));
        return new LastRun(sameRules, json.GetProperty("lastId").GetInt64(), json.TryGetProperty("done", out var done) && done.GetBoolean());
    }

    private sealed record LastRun(bool SameRules, long LastId, bool Done);
}
