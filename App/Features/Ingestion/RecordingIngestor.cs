using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Shared.Media;
using NagrywanieRozmow.Shared.Storage;
using NagrywanieRozmow.Shared.Telemetry;

namespace NagrywanieRozmow.Features.Ingestion;

/// <param name="WaitsForFfmpeg">Deferred because ffprobe is missing (MP3, Ogg): the file stays where it is until ffmpeg is installed.</param>
public sealed record IngestResult(IngestOutcome Outcome, string? Reason, long? RecordingId, bool WaitsForFfmpeg = false);

/// <summary>
/// Takes one file into the panel (a spool file, an archive file, an upload, or a quarantined file on retry): learn the call's
/// facts (file name, JSON sidecar or upload metadata), read the bytes, hash, keep the original in the store, write the row.
/// The store write comes first and the rows after, in one transaction, so a crash leaves at worst a stored file that the
/// next pass recognises by its hash. Rejected files go to quarantine, never away.
/// </summary>
public sealed class RecordingIngestor(
    IDbContextFactory<AppDbContext> dbs, IRecordingStore store, CdrStore cdr, AuditLog audit, RecordingArrivals arrivals, IBackgroundJobClient jobs, IOptions<IngestionOptions> options,
    NumberNormalizer numbers, FfmpegStatus ffmpeg, TimeProvider time, IngestionLedger ledger, Quarantine quarantine, OriginalStore originals)
{
    public static readonly AuditActor Ingestion = new("system (ingestion)", null);
    private readonly TimeZoneInfo pbxZone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.PbxTimeZone);

    public string StagingRoot => options.Value.StagingPath;
    public long MaxBytes => options.Value.MaxFileSizeMb * 1024L * 1024L;

    /// <summary>The outcome of one file counted (and set on its span); returns the result so an entry point can pass it on.</summary>
    private static IngestResult Counted(IngestResult result, string source, System.Diagnostics.Activity? span = null)
    {
        AppTelemetry.Ingested(result.Outcome.ToString().ToLowerInvariant(), source, span);
        return result;
    }

    /// <summary>A spool or archive file: its facts from <c>&lt;file&gt;.json</c> when the PBX wrote one, else from its FreePBX name.</summary>
    public async Task<IngestResult> IngestFileAsync(string path, CancellationToken ct)
    {
        using var span = AppTelemetry.StartIngestion(AppTelemetry.Sources.Spool);
        var file = new FileInfo(path);
        // Taken away (by the PBX, an administrator, another job) since it was queued: nothing to do, and no failed job.
        if (!file.Exists) return Counted(Gone, AppTelemetry.Sources.Spool, span);
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            var seen = await db.IngestedFiles.AsNoTracking().FirstOrDefaultAsync(f => f.SourcePath == file.FullName, ct);
            if (seen is not null && seen.SizeBytes == file.Length && seen.LastWriteUtc == file.LastWriteTimeUtc)
                return Counted(new IngestResult(IngestOutcome.Duplicate, "already ingested", seen.RecordingId), AppTelemetry.Sources.Spool, span);
        }
        return Counted(await IngestAsync(new Request(file, file.FullName, await FactsOfAsync(file, file.Name, ct), null, Ingestion, SpoolScan.Sidecar(file)), ct),
            AppTelemetry.Sources.Spool, span);
    }

    /// <summary>An upload, staged in <see cref="StagingRoot"/>: accepted into the store, or moved to quarantine with its metadata beside it.</summary>
    public async Task<IngestResult> IngestUploadAsync(string stagedPath, string fileName, CallFacts facts, string? contentType, AuditActor by, CancellationToken ct)
    {
        using var span = AppTelemetry.StartIngestion(AppTelemetry.Sources.Upload);
        var file = new FileInfo(stagedPath);
        var sidecar = SpoolScan.Sidecar(file);
        await File.WriteAllTextAsync(sidecar.FullName, facts.ToJson(), ct);
        var source = $"{IngestedFile.UploadPrefix}{time.GetUtcNow().UtcDateTime:yyyy-MM-dd}/{Guid.NewGuid():N}/{fileName}";
        var result = await IngestAsync(new Request(file, source, new Facts(facts), contentType, by, sidecar, AppTelemetry.Sources.Upload), ct);
        RemoveWhenTaken(result, file);
        return Counted(result, AppTelemetry.Sources.Upload, span);
    }

    /// <summary>An administrator tries a quarantined file again (a limit raised, ffmpeg installed, a sidecar fixed).</summary>
    public async Task<IngestResult?> RetryAsync(long ingestedFileId, AuditActor by, CancellationToken ct)
    {
        IngestedFile? entry;
        await using (var db = await dbs.CreateDbContextAsync(ct))
            entry = await db.IngestedFiles.AsNoTracking().FirstOrDefaultAsync(f => f.Id == ingestedFileId && f.QuarantinedAs != null, ct);
        if (entry is null) return null;
        using var span = AppTelemetry.StartIngestion(AppTelemetry.Sources.Retry);
        var file = new FileInfo(entry.QuarantinedAs!);
        IngestResult result;
        if (!file.Exists) result = new IngestResult(IngestOutcome.Rejected, "the quarantined file is no longer there", null);
        else
        {
            result = await IngestAsync(new Request(file, entry.SourcePath, await FactsOfAsync(file, Path.GetFileName(entry.SourcePath), ct), null, by, SpoolScan.Sidecar(file),
                AppTelemetry.Sources.Retry), ct);
            RemoveWhenTaken(result, file);
        }
        Counted(result, AppTelemetry.Sources.Retry, span);
        await audit.AppendAsync(by, AuditActions.IngestionRetry, result.Outcome is IngestOutcome.Accepted or IngestOutcome.Duplicate ? AuditOutcomes.Success : AuditOutcomes.Failed,
            result.RecordingId, AuditLog.Details(new { file = Path.GetFileName(entry.SourcePath), outcome = result.Outcome.ToString() }), result.Reason);
        return result;
    }

    /// <summary>The call's facts, or why they cannot be had (which of the two sources failed, and how).</summary>
    private sealed record Facts(CallFacts? Call, RejectKind Problem = RejectKind.BadName, string? Error = null);

    private async Task<Facts> FactsOfAsync(FileInfo file, string name, CancellationToken ct)
    {
        var sidecar = SpoolScan.Sidecar(file);
        if (sidecar.Exists)
        {
            if (sidecar.Length > CallFacts.MaxMetadataBytes)
                return new Facts(null, RejectKind.BadSidecar, $"the sidecar {sidecar.Name} is over {CallFacts.MaxMetadataBytes / 1024} KB.");
            var facts = CallFacts.Parse(await File.ReadAllTextAsync(sidecar.FullName, ct), time.GetUtcNow().UtcDateTime, out var errors);
            return facts is null ? new Facts(null, RejectKind.BadSidecar, $"the sidecar {sidecar.Name} is not usable: {string.Join("; ", errors)}.") : new Facts(facts);
        }
        return FreePbxFileName.TryParse(name, pbxZone, out var parsed, out var nameError)
            ? new Facts(CallFacts.Of(parsed!))
            : new Facts(null, RejectKind.BadName, $"unreadable name: {nameError}");
    }

    /// <param name="Source">Where it came in, for the telemetry (<see cref="AppTelemetry.Sources"/>).</param>
    private sealed record Request(FileInfo File, string SourcePath, Facts Facts, string? DeclaredContentType, AuditActor By, FileInfo Sidecar,
        string Source = AppTelemetry.Sources.Spool);

    /// <summary>Once the store holds the recording, the copy it came from (staged upload, quarantined file) and its sidecar go.</summary>
    private static void RemoveWhenTaken(IngestResult result, FileInfo file)
    {
        if (result.Outcome is not (IngestOutcome.Accepted or IngestOutcome.Duplicate)) return;
        file.Delete();
        SpoolScan.Sidecar(file).Delete();
    }

    /// <summary>What the checks before the store learnt of an acceptable file: its call, its audio and its hash.</summary>
    private sealed record Candidate(Request Request, CallFacts Facts, AudioInfo Audio, string Sha256, long Length, DateTime Written);

    /// <param name="Changing">The file changed, shrank or went while it was read: neither taken nor rejected, the next pass decides.</param>
    /// <param name="WaitsForFfmpeg">MP3 or Ogg with no ffprobe to read it: neither taken nor rejected until ffmpeg is installed.</param>
    private sealed record Check(Candidate? Ok, RejectKind Problem = default, string? Reason = null, bool Changing = false, bool WaitsForFfmpeg = false);

    /// <summary>The answer for a check that decides nothing yet (changing, or waiting for ffmpeg); null when it decided.</summary>
    private static IngestResult? Postponed(Check check) =>
        check.Changing ? ChangedWhileRead
        : check.WaitsForFfmpeg ? new IngestResult(IngestOutcome.Deferred, check.Reason, null, WaitsForFfmpeg: true)
        : null;

    private static readonly Check ChangingFile = new(null, Changing: true);

    /// <summary>What <paramref name="read"/> gives, or null when the file shrank under it or was moved away meanwhile.</summary>
    private static async Task<T?> UnlessGoneAsync<T>(Func<Task<T>> read) where T : class
    {
        try
        {
            return await read();
        }
        catch (Exception e) when (e is EndOfStreamException or FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    internal static readonly IngestResult Gone = new(IngestOutcome.Deferred, "the file is no longer in the spool", null);

    private static readonly IngestResult ChangedWhileRead = new(IngestOutcome.Deferred, "the file changed while it was being read", null);

    /// <summary>Link, facts, size, audio and declared type, then the hash. Touches neither the database nor the file's place.</summary>
    private async Task<Check> CheckAsync(Request request, CancellationToken ct)
    {
        var file = request.File;
        if (file.LinkTarget is not null)
            return new Check(null, RejectKind.Link, $"the file is a link (to {file.LinkTarget}); links are not followed, copy the recording itself.");
        if (request.Facts.Call is not { } facts)
            return new Check(null, request.Facts.Problem, request.Facts.Error!);
        if (file.Length > MaxBytes)
            return new Check(null, RejectKind.TooLarge, $"the file is {file.Length / 1024 / 1024} MB, over the {options.Value.MaxFileSizeMb} MB limit (Ingestion:MaxFileSizeMb).");
        var (length, written) = (file.Length, file.LastWriteTimeUtc);

        if (await UnlessGoneAsync(() => AudioProbe.ProbeAsync(file.FullName, ct, ffmpeg.Current.Ffprobe)) is not { } probe) return ChangingFile;
        // What was read of a file that changed meanwhile (a PBX still writing it, a copy replacing it) says nothing: a
        // "truncated" verdict would quarantine a recording that is about to be whole.
        if (Changed(file, length, written)) return ChangingFile;
        // Not the file's fault: it must not land in quarantine, where no sweep would look at it once ffmpeg is there.
        if (probe.Problem == ProbeProblem.NeedsFfprobe) return new Check(null, Reason: probe.Reason, WaitsForFfmpeg: true);
        if (probe.Info is not { } audio)
            return new Check(null, Enum.Parse<RejectKind>(probe.Problem.ToString()), probe.Reason!);
        if (ContradictedContentType(request.DeclaredContentType, audio.Format) is { } lie)
            return new Check(null, RejectKind.WrongContentType, lie);
        if (await UnlessGoneAsync(() => ContentHash.OfFileAsync(file.FullName, ct)) is not { } sha256) return ChangingFile;

        return new Check(new Candidate(request, facts, audio, sha256, length, written));
    }

    private const string SameContentReason = "the same call with the same content is already in the panel";

    private static string ErasedReason(RecordingTombstone erased) =>
        $"this recording was erased on {erased.DeletedAt:yyyy-MM-dd} ({erased.Cause}: {erased.Rule}) and is not taken again";

    private async Task<IngestResult> IngestAsync(Request request, CancellationToken ct, bool preparePlayback = true)
    {
        var check = await CheckAsync(request, ct);
        if (Postponed(check) is { } later) return later;
        if (check.Ok is not { } candidate)
            return await quarantine.RejectAsync(request.File, request.SourcePath, request.Sidecar, check.Problem, check.Reason!, ct);
        var (file, facts, sha256, length, written) = (request.File, candidate.Facts, candidate.Sha256, candidate.Length, candidate.Written);

        if (await IsInAsync(facts.CallId, sha256, ct) is { } existing)
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            await ledger.RecordAsync(db, request.SourcePath, length, written, IngestOutcome.Duplicate, SameContentReason, existing, null, ct);
            return new IngestResult(IngestOutcome.Duplicate, "same call id and content", existing);
        }
        if (await ErasedAsync(sha256, ct) is { } erased)
        {
            // An erased recording must not come back through a re-sent upload or a copied spool file; the file is left alone.
            var why = ErasedReason(erased);
            await using var db = await dbs.CreateDbContextAsync(ct);
            await ledger.RecordAsync(db, request.SourcePath, length, written, IngestOutcome.Duplicate, why, null, null, ct);
            return new IngestResult(IngestOutcome.Duplicate, why, null);
        }

        var stored = await originals.StoreAsync(facts, file, sha256, ct);
        if (stored is null || Changed(file, length, written))
        {
            if (stored is { Created: true } created) await store.DeleteAsync(created.Key, ct);
            // Replaced or still growing while it was read: nothing is kept, the next pass takes the file as it then is.
            return ChangedWhileRead;
        }

        Recording recording;
        await using (var context = await dbs.CreateDbContextAsync(ct))
        {
            recording = await BuildAsync(context, candidate, stored.Value.Key, ct);
            context.Recordings.Add(recording);
            try
            {
                await ledger.RecordAsync(context, request.SourcePath, length, written, IngestOutcome.Accepted, null, null, recording, ct);
            }
            catch (DbUpdateException)
            {
                // Another pass took the same file a moment earlier; anything else is a real failure.
                var winner = await IsInAsync(facts.CallId, sha256, ct);
                if (winner is null) throw;
                return new IngestResult(IngestOutcome.Duplicate, "same call id and content", winner);
            }
        }
        AppTelemetry.Arrived(recording.StartedAt.AddMilliseconds(recording.DurationMs), written, time.GetUtcNow().UtcDateTime, request.Source);

        await ledger.AuditIngestAsync(request.By, recording.Id, request.SourcePath, sha256, length, candidate.Audio.Format);
        // The CDR row may have landed between the lookup above and the commit.
        if (CdrLink.WaitsForCdr(recording)) await cdr.EnrichAsync([recording.CallId], ct);
        arrivals.Announce();
        // Rendition and waveform now rather than on first play, in a job of their own so the arrival is not held up.
        if (preparePlayback) jobs.Enqueue<Playback.PrepareForPlaybackJob>(j => j.RunAsync(recording.Id, CancellationToken.None));
        return new IngestResult(IngestOutcome.Accepted, null, recording.Id);
    }

    /// <summary>Files read, probed, hashed and copied at the same time in a batch: enough to overlap disk and CPU on a small server.</summary>
    public const int Workers = 2;

    /// <summary>Files whose rows are saved in one transaction.</summary>
    public const int BatchSize = 50;

    /// <summary>
    /// Many spool files (`ingest --path`), with the same checks and outcomes as <see cref="IngestFileAsync"/> one by one, in
    /// batches: files are probed, hashed and stored <see cref="Workers"/> at a time; what is already decided, in the panel or
    /// erased is asked once per batch; every original is in the store (its copy's hash checked) before one transaction saves
    /// the batch's recordings and decisions. Each accepted recording then gets its own recording.ingest entry (a run stopped
    /// before that is made good by <see cref="IngestionLedger.AuditUnrecordedAsync"/>). Results come in the order of <paramref name="paths"/>.
    /// </summary>
    /// <param name="preparePlayback">Queue each recording's rendition job; pointless where no job server runs (the command line).</param>
    public async IAsyncEnumerable<(string Path, IngestResult Result)> IngestFilesAsync(
        IEnumerable<string> paths, bool preparePlayback, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var batch in paths.Chunk(BatchSize))
        {
            var results = await IngestBatchAsync(batch.Select(p => new FileInfo(p)).ToArray(), preparePlayback, ct);
            for (var i = 0; i < batch.Length; i++) yield return (batch[i], Counted(results[i], AppTelemetry.Sources.Import));
        }
    }

    private async Task<IngestResult[]> IngestBatchAsync(FileInfo[] files, bool preparePlayback, CancellationToken ct)
    {
        using var span = AppTelemetry.StartIngestion(AppTelemetry.Sources.Import, files.Length);
        var results = new IngestResult?[files.Length];
        var sourcePaths = files.Select(f => f.FullName).ToList();
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            var seen = await db.IngestedFiles.AsNoTracking().Where(f => sourcePaths.Contains(f.SourcePath)).ToDictionaryAsync(f => f.SourcePath, ct);
            for (var i = 0; i < files.Length; i++)
                if (seen.TryGetValue(files[i].FullName, out var entry) && entry.SizeBytes == files[i].Length && entry.LastWriteUtc == files[i].LastWriteTimeUtc)
                    results[i] = new IngestResult(IngestOutcome.Duplicate, "already ingested", entry.RecordingId);
        }

        var requests = new Request[files.Length];
        var checks = new Check?[files.Length];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Workers, CancellationToken = ct };
        await Parallel.ForEachAsync(Enumerable.Range(0, files.Length).Where(i => results[i] is null), parallel, async (i, token) =>
        {
            requests[i] = new Request(files[i], files[i].FullName, await FactsOfAsync(files[i], files[i].Name, token), null, Ingestion, SpoolScan.Sidecar(files[i]), AppTelemetry.Sources.Import);
            checks[i] = await CheckAsync(requests[i], token);
        });
        // One at a time: each picks a free name in quarantine.
        for (var i = 0; i < files.Length; i++)
            if (checks[i] is { } check && Postponed(check) is { } later) results[i] = later;
            else if (checks[i] is { Ok: null } bad) results[i] = await quarantine.RejectAsync(requests[i].File, requests[i].SourcePath, requests[i].Sidecar, bad.Problem, bad.Reason!, ct);

        var candidates = Enumerable.Range(0, files.Length).Where(i => checks[i]?.Ok is not null).ToList();
        if (candidates.Count == 0) return results!;
        Candidate Of(int i) => checks[i]!.Ok!;

        var callIds = candidates.Select(i => Of(i).Facts.CallId).Distinct().ToList();
        var hashes = candidates.Select(i => Of(i).Sha256).Distinct().ToList();
        Dictionary<(string, string), long> inPanel;
        Dictionary<string, RecordingTombstone> erased;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            inPanel = (await db.Recordings.Where(r => callIds.Contains(r.CallId) && hashes.Contains(r.Sha256)).Select(r => new { r.CallId, r.Sha256, r.Id }).ToListAsync(ct))
                .ToDictionary(r => (r.CallId, r.Sha256), r => r.Id);
            erased = (await db.Set<RecordingTombstone>().AsNoTracking().Where(t => hashes.Contains(t.Sha256)).ToListAsync(ct))
                .GroupBy(t => t.Sha256).ToDictionary(g => g.Key, g => g.MaxBy(t => t.DeletedAt)!);
        }

        // Decided without storing anything: already in the panel, erased, or the same call and content as an earlier file of this batch.
        var decided = new List<(int Index, string Reason, long? RecordingId)>();
        var sameAs = new Dictionary<int, int>();
        var firstOf = new Dictionary<(string, string), int>();
        var toStore = new List<int>();
        foreach (var i in candidates)
        {
            var key = (Of(i).Facts.CallId, Of(i).Sha256);
            if (inPanel.TryGetValue(key, out var existing))
            {
                decided.Add((i, SameContentReason, existing));
                results[i] = new IngestResult(IngestOutcome.Duplicate, "same call id and content", existing);
            }
            else if (erased.TryGetValue(key.Sha256, out var tombstone))
            {
                decided.Add((i, ErasedReason(tombstone), null));
                results[i] = new IngestResult(IngestOutcome.Duplicate, ErasedReason(tombstone), null);
            }
            else if (firstOf.TryGetValue(key, out var first)) sameAs[i] = first;
            else
            {
                firstOf[key] = i;
                toStore.Add(i);
            }
        }

        var keys = new string?[files.Length];
        await Parallel.ForEachAsync(toStore, parallel, async (i, token) =>
        {
            var c = Of(i);
            var stored = await originals.StoreAsync(c.Facts, c.Request.File, c.Sha256, token);
            if (stored is null || Changed(c.Request.File, c.Length, c.Written))
            {
                if (stored is { Created: true } created) await store.DeleteAsync(created.Key, token);
                return;
            }
            keys[i] = stored.Value.Key;
        });
        foreach (var i in toStore.Where(i => keys[i] is null)) results[i] = ChangedWhileRead;
        foreach (var (i, first) in sameAs.Where(p => keys[p.Value] is null)) results[i] = ChangedWhileRead;

        var accepted = toStore.Where(i => keys[i] is not null).ToList();
        var recordings = new Dictionary<int, Recording>();
        try
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var deciding = accepted.Concat(decided.Select(d => d.Index)).Concat(sameAs.Keys).Select(i => requests[i].SourcePath).ToList();
            var entries = await db.IngestedFiles.Where(f => deciding.Contains(f.SourcePath)).ToDictionaryAsync(f => f.SourcePath, ct);
            var known = await KnownAsync(db, accepted.Select(i => Of(i).Facts).ToList(), ct);
            foreach (var i in accepted)
            {
                var recording = await BuildAsync(db, Of(i), keys[i]!, ct, known);
                db.Recordings.Add(recording);
                recordings[i] = recording;
                IngestionLedger.Decide(db, entries, Decision(Of(i), IngestOutcome.Accepted, null, null, recording));
            }
            foreach (var (i, reason, existing) in decided) IngestionLedger.Decide(db, entries, Decision(Of(i), IngestOutcome.Duplicate, reason, existing, null));
            foreach (var (i, first) in sameAs)
                if (recordings.TryGetValue(first, out var original)) IngestionLedger.Decide(db, entries, Decision(Of(i), IngestOutcome.Duplicate, SameContentReason, null, original));
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            var visibleAt = time.GetUtcNow().UtcDateTime;
            foreach (var i in accepted) AppTelemetry.Arrived(recordings[i].StartedAt.AddMilliseconds(recordings[i].DurationMs), Of(i).Written, visibleAt, AppTelemetry.Sources.Import);
        }
        catch (DbUpdateException)
        {
            // Another pass (the panel's sweep of the same folder) decided one of these files meanwhile: nothing of this batch
            // was saved, so each file not yet answered goes the one-by-one way, which knows how to lose that race.
            for (var i = 0; i < files.Length; i++)
                if (results[i] is null || decided.Any(d => d.Index == i))
                    results[i] = await IngestAsync(requests[i], ct, preparePlayback);
            return results!;
        }

        foreach (var i in accepted)
        {
            await ledger.AuditIngestAsync(Ingestion, recordings[i].Id, requests[i].SourcePath, Of(i).Sha256, Of(i).Length, Of(i).Audio.Format);
            results[i] = new IngestResult(IngestOutcome.Accepted, null, recordings[i].Id);
        }
        foreach (var (i, first) in sameAs)
            if (recordings.TryGetValue(first, out var original)) results[i] = new IngestResult(IngestOutcome.Duplicate, "same call id and content", original.Id);
        if (recordings.Count == 0) return results!;
        // The CDR row may have landed between the lookup and the commit.
        if (recordings.Values.Where(CdrLink.WaitsForCdr).Select(r => r.CallId).ToList() is { Count: > 0 } waiting) await cdr.EnrichAsync(waiting, ct);
        arrivals.Announce();
        if (preparePlayback)
            foreach (var id in recordings.Values.Select(r => r.Id)) jobs.Enqueue<Playback.PrepareForPlaybackJob>(j => j.RunAsync(id, CancellationToken.None));
        return results!;
    }

    private IngestedFile Decision(Candidate c, IngestOutcome outcome, string? reason, long? recordingId, Recording? recording) => new()
    {
        SourcePath = c.Request.SourcePath, SizeBytes = c.Length, LastWriteUtc = c.Written, Outcome = outcome, Reason = reason,
        RecordingId = recordingId, Recording = recording, ProcessedAt = time.GetUtcNow().UtcDateTime,
    };

    private static bool Changed(FileInfo file, long length, DateTime written)
    {
        file.Refresh();
        return !file.Exists || file.Length != length || file.LastWriteTimeUtc != written;
    }

    /// <summary>An upload that says it is one kind of audio while its bytes are another is refused, not silently relabelled.</summary>
    private static string? ContradictedContentType(string? declared, string format)
    {
        var claimed = declared?.Split(';')[0].Trim().ToLowerInvariant() switch
        {
            "audio/wav" or "audio/x-wav" or "audio/wave" or "audio/vnd.wave" => "wav",
            "audio/mpeg" or "audio/mp3" => "mp3",
            "audio/ogg" or "audio/opus" => "ogg",
            "audio/gsm" or "audio/x-gsm" => "gsm",
            _ => null, // application/octet-stream, audio/*, nothing: the bytes decide
        };
        var actual = format == "wav49" ? "wav" : format;
        return claimed is null || claimed == actual ? null : $"the upload says it is {declared} but its bytes are {format.ToUpperInvariant()} audio.";
    }

    private async Task<long?> IsInAsync(string callId, string sha256, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Recordings.Where(r => r.CallId == callId && r.Sha256 == sha256).Select(r => (long?)r.Id).FirstOrDefaultAsync(ct);
    }

    private async Task<RecordingTombstone?> ErasedAsync(string sha256, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Set<RecordingTombstone>().AsNoTracking().Where(t => t.Sha256 == sha256).OrderByDescending(t => t.DeletedAt).FirstOrDefaultAsync(ct);
    }

    /// <summary>The phone directory and the CDR rows a batch's recordings need, read once for the batch.</summary>
    private sealed record Known(InternalNumbers Internals, Dictionary<string, DirectoryEntry> People, List<CallDetailRecord> Cdr);

    private async Task<Known> KnownAsync(AppDbContext db, IReadOnlyCollection<CallFacts> calls, CancellationToken ct)
    {
        var (internals, people) = await CdrStore.DirectoryAsync(db, options.Value.MaxExtensionDigits, ct);
        return new Known(internals, people, await CdrStore.FindManyAsync(db, calls.Select(c => c.CallId).Distinct().ToList(), ct));
    }

    private async Task<Recording> BuildAsync(AppDbContext db, Candidate candidate, string key, CancellationToken ct, Known? known = null)
    {
        var (facts, audio, file, length, sha256, by) = (candidate.Facts, candidate.Audio, candidate.Request.File, candidate.Length, candidate.Sha256, candidate.Request.By);
        known ??= await KnownAsync(db, [facts], ct);
        var person = facts.Extension is null ? null : known.People.GetValueOrDefault(facts.Extension);
        var now = time.GetUtcNow().UtcDateTime;
        var recording = new Recording
        {
            CallId = facts.CallId,
            StartedAt = facts.StartedAtUtc,
            DurationMs = audio.DurationMs,
            CallerNumber = facts.From, CallerDigits = numbers.Normalize(facts.From),
            CalleeNumber = facts.To, CalleeDigits = numbers.Normalize(facts.To),
            Did = facts.Did,
            Extension = facts.Extension,
            UserName = person?.DisplayName,
            Team = facts.Team ?? person?.Team,
            Type = facts.Type ?? CallType.Incoming,
            TypeIsGuess = facts.Type is null,
            Queue = facts.Queue,
            SizeBytes = length,
            Format = audio.Format, Codec = audio.Codec, SampleRate = audio.SampleRate, Channels = audio.Channels,
            Sha256 = sha256,
            StorageKey = key,
            OriginalFileName = file.Name.Length <= 260 ? file.Name : file.Name[^260..],
            IngestedAt = now,
            Cases = facts.CaseNumbers.Select(c => new RecordingCase { CaseNumber = c, AddedAt = now, AddedBy = by.Name }).ToList(),
            Tags = facts.Tags.Select(t => new RecordingTag { Tag = t }).ToList(),
        };
        CdrLink.Apply(recording, CdrStore.RowsOf(known.Cdr, facts.CallId), known.Internals, known.People, numbers);
        return recording;
    }
}
