using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Features.Ingestion;

/// <summary>
/// Reads the recordings stored by an older version again, by the rules of <see cref="FreePbxFileName"/> and
/// <see cref="CdrLink"/> as they are now: before <see cref="RulesVersion"/> 1, <c>external</c> calls were outgoing, and the
/// DID of an <c>in</c> call or the queue of a <c>q</c> call stood where the answering phone belongs. Only rows whose facts
/// came from their FreePBX name are touched (not uploads, not sidecars: their numbers differ from the name's); each batch
/// that changes rows is rewritten in the transaction that appends its audit entry, which holds the rules version and the
/// last id walked, so a stopped run resumes after it and a finished one is not repeated.
/// </summary>
public sealed class FreePbxRereadJob(
    IDbContextFactory<AppDbContext> dbs, AuditLog audit, NumberNormalizer numbers, IOptions<IngestionOptions> options,
    ILogger<FreePbxRereadJob> log)
{
    /// <summary>Raised whenever the reading of names or CDR rows changes, so stored rows are read once more.</summary>
    public const int RulesVersion = 1;

    public const int BatchSize = 1_000;
    private static readonly WalkRun Run = new(RecordingIngestor.Ingestion, AuditActions.IngestionReread, "rules", RulesVersion);
    private readonly RecordingWalk walk = new(dbs, audit);

    [AutomaticRetry(Attempts = 3)]
    [DisableConcurrentExecution(timeoutInSeconds: 6 * 3600)]
    public async Task RunAsync(CancellationToken ct) => await RereadAsync(ct);

    public Task<bool> IsDueAsync(CancellationToken ct = default) => walk.IsDueAsync(Run, ct);

    /// <returns>How many recordings were walked and how many changed.</returns>
    public async Task<(long Walked, long Changed)> RereadAsync(CancellationToken ct)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.PbxTimeZone);
        var result = await walk.WalkAsync(Run, fromStart: false,
            async (db, after) =>
            {
                var batch = await db.Recordings.AsNoTracking().Where(r => r.Id > after).OrderBy(r => r.Id).Take(BatchSize).ToListAsync(ct);
                if (batch.Count == 0) return new WalkBatch<Recording>(null, 0, []);
                var ids = batch.Select(r => r.Id).ToList();
                var uploads = (await db.IngestedFiles.AsNoTracking().Where(f => f.RecordingId != null && ids.Contains(f.RecordingId.Value))
                        .Select(f => new { f.RecordingId, f.SourcePath }).ToListAsync(ct))
                    .Where(f => IngestedFile.IsUpload(f.SourcePath)).Select(f => f.RecordingId!.Value).ToHashSet();
                var rows = await CdrStore.FindManyAsync(db, batch.Select(r => r.CallId).Distinct().ToList(), ct);
                var (internals, people) = await CdrStore.DirectoryAsync(db, options.Value.MaxExtensionDigits, ct);
                var rewritten = batch.Where(r => !uploads.Contains(r.Id))
                    .Select(r => Reread(r, zone, CdrStore.RowsOf(rows, r.CallId), internals, people)).OfType<Recording>().ToList();
                return new WalkBatch<Recording>(batch[^1].Id, batch.Count, rewritten);
            },
            SaveAsync, rewritten => new { changed = rewritten.Count, recordings = rewritten.Select(r => r.Id) }, details: null, progress: null, ct);
        if (result.Walked > 0)
            log.LogInformation("Stored recordings read again by rules {Version}: {Changed} of {Walked} changed", RulesVersion, result.Changed, result.Walked);
        return (result.Walked, result.Changed);
    }

    /// <summary>The recording as ingestion would make it now from its name and its CDR rows; null when that is what it is.</summary>
    private Recording? Reread(Recording stored, TimeZoneInfo zone, List<CallDetailRecord> rows, InternalNumbers internals,
        IReadOnlyDictionary<string, DirectoryEntry> people)
    {
        if (!FreePbxFileName.TryParse(stored.OriginalFileName, zone, out var name, out _)
            || name!.From != stored.CallerNumber || name.To != stored.CalleeNumber) return null;
        var facts = CallFacts.Of(name);
        var person = facts.Extension is null ? null : people.GetValueOrDefault(facts.Extension);
        var fresh = new Recording
        {
            Id = stored.Id, CallId = stored.CallId, LinkedId = stored.LinkedId, CallerNumber = stored.CallerNumber, CallerDigits = stored.CallerDigits,
            CalleeNumber = stored.CalleeNumber, CalleeDigits = stored.CalleeDigits, Did = facts.Did, Extension = facts.Extension,
            UserName = person?.DisplayName, Team = person?.Team, Type = facts.Type ?? CallType.Incoming, TypeIsGuess = facts.Type is null,
            Queue = facts.Queue, Disposition = stored.Disposition, Format = stored.Format, Sha256 = stored.Sha256, StorageKey = stored.StorageKey, OriginalFileName = stored.OriginalFileName,
        };
        CdrLink.Apply(fresh, rows, internals, people, numbers);
        var same = (fresh.Type, fresh.TypeIsGuess, fresh.Extension, fresh.UserName, fresh.Team, fresh.Did, fresh.Queue, fresh.Disposition, fresh.LinkedId,
                fresh.CallerNumber, fresh.CalleeNumber)
            == (stored.Type, stored.TypeIsGuess, stored.Extension, stored.UserName, stored.Team, stored.Did, stored.Queue, stored.Disposition,
                stored.LinkedId, stored.CallerNumber, stored.CalleeNumber);
        return same ? null : fresh;
    }

    private static async Task SaveAsync(AppDbContext db, IReadOnlyList<Recording> rewritten)
    {
        foreach (var r in rewritten)
        {
            await db.Recordings.Where(x => x.Id == r.Id).ExecuteUpdateAsync(s => s
                .SetProperty(x => x.Type, r.Type).SetProperty(x => x.TypeIsGuess, r.TypeIsGuess).SetProperty(x => x.Extension, r.Extension)
                .SetProperty(x => x.UserName, r.UserName).SetProperty(x => x.Team, r.Team).SetProperty(x => x.Did, r.Did)
                .SetProperty(x => x.Queue, r.Queue).SetProperty(x => x.Disposition, r.Disposition).SetProperty(x => x.LinkedId, r.LinkedId)
                .SetProperty(x => x.CallerNumber, r.CallerNumber).SetProperty(x => x.CallerDigits, r.CallerDigits)
                .SetProperty(x => x.CalleeNumber, r.CalleeNumber).SetProperty(x => x.CalleeDigits, r.CalleeDigits), CancellationToken.None);
        }
    }
}
