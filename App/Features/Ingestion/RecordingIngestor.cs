using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Playback;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Shared.Storage;

namespace NagrywanieRozmow.Features.Ingestion;

public sealed record IngestResult(IngestOutcome Outcome, string? Reason, long? RecordingId);

/// <summary>
/// Takes one spool file into the panel: parse the name, read the bytes, hash, keep the original in the store, write the row.
/// The store write comes first and the rows after, in one transaction, so a crash leaves at worst a stored file that the
/// next pass recognises by its hash. Rejected files go to quarantine, never away.
/// </summary>
public sealed class RecordingIngestor(
    IDbContextFactory<AppDbContext> dbs, IRecordingStore store, Renditions renditions, IOptions<IngestionOptions> options, IHostEnvironment environment,
    TimeProvider time, ILogger<RecordingIngestor> logger)
{
    private readonly TimeZoneInfo pbxZone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.PbxTimeZone);

    public string QuarantineRoot => Path.GetFullPath(Path.IsPathRooted(options.Value.QuarantinePath)
        ? options.Value.QuarantinePath : Path.Combine(environment.ContentRootPath, options.Value.QuarantinePath));

    /// <summary>Files in a spool folder that look like recordings (not the CDR, sidecars, hidden or partial files, nor links).</summary>
    public static IEnumerable<string> Candidates(string root) =>
        new DirectoryInfo(root).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.Hidden | FileAttributes.ReparsePoint, IgnoreInaccessible = true })
            .Where(f => !f.FullName.Contains($"{Path.DirectorySeparatorChar}cdr-csv{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Name.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
                && !f.Name.Contains(".partial", StringComparison.Ordinal))
            .OrderBy(f => f.FullName, StringComparer.Ordinal)
            .Select(f => f.FullName);

    public async Task<IngestResult> IngestFileAsync(string path, CdrIndex cdr, CancellationToken ct)
    {
        var file = new FileInfo(path);
        var sourcePath = file.FullName;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            var seen = await db.Set<IngestedFile>().AsNoTracking().FirstOrDefaultAsync(f => f.SourcePath == sourcePath, ct);
            if (seen is not null && seen.SizeBytes == file.Length && seen.LastWriteUtc == file.LastWriteTimeUtc)
                return new IngestResult(IngestOutcome.Duplicate, "already ingested", seen.RecordingId);
        }

        if (!FreePbxFileName.TryParse(file.Name, pbxZone, out var name, out var nameError))
            return await RejectAsync(file, IngestOutcome.Rejected, $"unreadable name: {nameError}", ct);
        if (file.Length > options.Value.MaxFileSizeMb * 1024L * 1024L)
            return await RejectAsync(file, IngestOutcome.Rejected, $"the file is {file.Length / 1024 / 1024} MB, over the {options.Value.MaxFileSizeMb} MB limit (Ingestion:MaxFileSizeMb).", ct);

        var probe = await AudioProbe.ProbeAsync(sourcePath, ct);
        if (probe.Info is null)
        {
            var outcome = probe.Problem == ProbeProblem.HeaderOnly ? IngestOutcome.Unanswered : IngestOutcome.Rejected;
            return await RejectAsync(file, outcome, probe.Reason!, ct);
        }

        var sha256 = await HashAsync(sourcePath, ct);
        await using var context = await dbs.CreateDbContextAsync(ct);
        var existing = await IsInAsync(name!.UniqueId, sha256, ct);
        if (existing is not null)
        {
            await RecordAsync(context, file, IngestOutcome.Duplicate, "the same call with the same content is already in the panel", existing, ct);
            return new IngestResult(IngestOutcome.Duplicate, "same call id and content", existing);
        }

        var key = await StoreAsync(name!, sourcePath, sha256, ct);
        var recording = await BuildAsync(context, name!, probe.Info, file, sha256, key, cdr.Find(name!.UniqueId), ct);
        context.Recordings.Add(recording);
        try
        {
            await RecordAsync(context, file, IngestOutcome.Accepted, null, null, ct, recording);
        }
        catch (DbUpdateException)
        {
            // Another pass took the same file a moment earlier; anything else is a real failure.
            var winner = await IsInAsync(name!.UniqueId, sha256, ct);
            if (winner is null) throw;
            return new IngestResult(IngestOutcome.Duplicate, "same call id and content", winner);
        }
        // Now rather than on first play: a complaint handler opening the call gets sound and waveform at once.
        await renditions.PrepareAsync(recording, ct);
        return new IngestResult(IngestOutcome.Accepted, null, recording.Id);
    }

    private async Task<long?> IsInAsync(string callId, string sha256, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Recordings.Where(r => r.CallId == callId && r.Sha256 == sha256).Select(r => (long?)r.Id).FirstOrDefaultAsync(ct);
    }

    private async Task<Recording> BuildAsync(AppDbContext db, FreePbxFileName name, AudioInfo audio, FileInfo file, string sha256, string key, CdrRecord? cdr, CancellationToken ct)
    {
        var type = name.CallType ?? (cdr is null ? null : CdrIndex.CallTypeOf(cdr)) ?? CallType.Incoming;
        if (cdr is not null && cdr.Context.StartsWith("ivr-", StringComparison.OrdinalIgnoreCase)) type = CallType.Ivr;
        var extension = name.InternalParty;
        if (type == CallType.Queue && cdr?.DestinationChannel is { } channel && AnsweringExtension(channel) is { } agent) extension = agent;
        var person = extension is null ? null : await db.Directory.AsNoTracking().FirstOrDefaultAsync(d => d.Extension == extension, ct);
        return new Recording
        {
            CallId = name.UniqueId,
            LinkedId = cdr?.LinkedId,
            StartedAt = name.StartedAtUtc,
            DurationMs = audio.DurationMs,
            CallerNumber = name.From, CallerDigits = PhoneNumber.Normalize(name.From),
            CalleeNumber = name.To, CalleeDigits = PhoneNumber.Normalize(name.To),
            Extension = extension,
            UserName = person?.DisplayName,
            Team = person?.Team,
            Type = type,
            Queue = name.Type == "q" ? name.To : null,
            SizeBytes = file.Length,
            Format = audio.Format, Codec = audio.Codec, SampleRate = audio.SampleRate, Channels = audio.Channels,
            Sha256 = sha256,
            StorageKey = key,
            OriginalFileName = file.Name,
            IngestedAt = time.GetUtcNow().UtcDateTime,
        };
    }

    /// <summary>"PJSIP/201-0000002a" → "201".</summary>
    private static string? AnsweringExtension(string channel)
    {
        var slash = channel.IndexOf('/');
        var dash = channel.LastIndexOf('-');
        var candidate = slash >= 0 && dash > slash ? channel[(slash + 1)..dash] : null;
        return candidate is not null && CdrIndex.IsExtension(candidate) ? candidate : null;
    }

    /// <summary>Keeps the original byte for byte under YYYY/MM/DD/&lt;name&gt;; a stored file with the same hash is reused.</summary>
    private async Task<string> StoreAsync(FreePbxFileName name, string sourcePath, string sha256, CancellationToken ct)
    {
        var folder = name.LocalStart.ToString("yyyy/MM/dd", System.Globalization.CultureInfo.InvariantCulture);
        var fileName = Path.GetFileName(sourcePath);
        for (var attempt = 1; ; attempt++)
        {
            var key = attempt == 1 ? $"{folder}/{fileName}" : $"{folder}/{Path.GetFileNameWithoutExtension(fileName)}~{attempt}{Path.GetExtension(fileName)}";
            if (await store.ExistsAsync(key, ct))
            {
                await using var stored = await store.OpenReadAsync(key, ct);
                if (stored is not null && Convert.ToHexStringLower(await SHA256.HashDataAsync(stored, ct)) == sha256) return key;
                continue;
            }
            await using var source = new FileStream(sourcePath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
            await store.SaveAsync(key, source, ct);
            return key;
        }
    }

    private async Task<IngestResult> RejectAsync(FileInfo file, IngestOutcome outcome, string reason, CancellationToken ct)
    {
        var day = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var target = Path.Combine(QuarantineRoot, day, file.Name);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        for (var n = 2; File.Exists(target); n++) target = Path.Combine(QuarantineRoot, day, $"{Path.GetFileNameWithoutExtension(file.Name)}~{n}{file.Extension}");
        var size = file.Length;
        var lastWrite = file.LastWriteTimeUtc;
        File.Move(file.FullName, target);
        logger.LogWarning("Quarantined {File}: {Reason}", file.FullName, reason);
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Add(new IngestedFile
        {
            SourcePath = file.FullName, SizeBytes = size, LastWriteUtc = lastWrite, Outcome = outcome, Reason = reason,
            QuarantinedAs = target, ProcessedAt = time.GetUtcNow().UtcDateTime,
        });
        await SaveReplacingAsync(db, file.FullName, ct);
        return new IngestResult(outcome, reason, null);
    }

    /// <summary>The decision and (when accepted) the new recording are saved together, in one transaction.</summary>
    private async Task RecordAsync(AppDbContext db, FileInfo file, IngestOutcome outcome, string? reason, long? recordingId, CancellationToken ct, Recording? recording = null)
    {
        db.Add(new IngestedFile
        {
            SourcePath = file.FullName, SizeBytes = file.Length, LastWriteUtc = file.LastWriteTimeUtc, Outcome = outcome, Reason = reason,
            RecordingId = recordingId, Recording = recording, ProcessedAt = time.GetUtcNow().UtcDateTime,
        });
        await SaveReplacingAsync(db, file.FullName, ct);
    }

    /// <summary>A file replaced at the same path since its last pass is decided on again: the old decision makes way.</summary>
    private static async Task SaveReplacingAsync(AppDbContext db, string sourcePath, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Set<IngestedFile>().Where(f => f.SourcePath == sourcePath).ExecuteDeleteAsync(ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    private static async Task<string> HashAsync(string path, CancellationToken ct)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
    }
}
