using NagrywanieRozmow.Shared.Csv;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Access;
using NagrywanieRozmow.Features.Audit;
using NagrywanieRozmow.Features.Ingestion;
using NagrywanieRozmow.Features.Playback;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Shared.Cli;
using NagrywanieRozmow.Shared.Storage;
using NagrywanieRozmow.Shared.Time;
using NagrywanieRozmow.Shared.Zip;

namespace NagrywanieRozmow.Features.Evidence;

public sealed class EvidenceOptions
{
    /// <summary>The signing key as base64 (at least 32 bytes). When empty, a key is made once and kept in <see cref="SigningKeyPath"/>.</summary>
    public string? SigningKey { get; set; }

    /// <summary>Where the generated key is kept (relative to the app's folder): back it up with the database.</summary>
    public string SigningKeyPath { get; set; } = "data/evidence-signing.key";
}

/// <summary>The installation's evidence signing key: from Evidence:SigningKey, or made once and kept in a file beside the data.</summary>
public sealed class EvidenceKey(IOptions<EvidenceOptions> options, IHostEnvironment environment)
{
    private readonly Lazy<byte[]> key = new(() => Load(options.Value, environment.ContentRootPath));

    public byte[] Bytes => key.Value;

    /// <summary>A short public name of the key (not the key): tells which key signed a package.</summary>
    public string Id => Convert.ToHexStringLower(SHA256.HashData(Bytes))[..16];

    private static byte[] Load(EvidenceOptions o, string root)
    {
        if (!string.IsNullOrWhiteSpace(o.SigningKey))
        {
            byte[] configured;
            try { configured = Convert.FromBase64String(o.SigningKey.Trim()); }
            catch (FormatException) { throw new InvalidOperationException("Evidence:SigningKey must be base64 (e.g. from `openssl rand -base64 32`)."); }
            if (configured.Length < 32) throw new InvalidOperationException($"Evidence:SigningKey must be at least 32 bytes; it is {configured.Length}.");
            return configured;
        }
        var path = Path.GetFullPath(o.SigningKeyPath, root);
        if (File.Exists(path)) return Convert.FromBase64String(File.ReadAllText(path).Trim());
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var made = RandomNumberGenerator.GetBytes(32);
        // CreateNew: two instances starting at once cannot both write a key.
        try
        {
            using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            file.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(made)));
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            return made;
        }
        catch (IOException) when (File.Exists(path))
        {
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }
    }
}

public sealed record EvidenceFile(string Name, string Sha256, long SizeBytes);

public sealed record EvidenceRecording(
    long Id, string CallId, string? LinkedId, DateTime StartedAt, double DurationSeconds, string CallerNumber, string CalleeNumber,
    string? Extension, string? UserName, string? Team, string Type, string? File, long SizeBytes, string Sha256AtIngestion, string? Sha256AtExport,
    bool UnchangedSinceIngestion, IReadOnlyList<string> CaseNumbers);

/// <summary>What the signature covers: every file of the package with its SHA-256, and each recording's facts.</summary>
public sealed record EvidenceManifest(
    string Format, string Case, DateTime ExportedAt, string ExportedBy, string KeyId, IReadOnlyList<EvidenceRecording> Recordings, IReadOnlyList<EvidenceFile> Files)
{
    public const string CurrentFormat = "nagrywanie-rozmow-evidence/1";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };
}

/// <summary>
/// The evidence package of one case: its recordings as stored, their CDR rows, SHA-256 of each file from ingestion and
/// computed again now, the access history, and manifest.json signed with HMAC-SHA256 (manifest.sig). `evidence verify`
/// recomputes every hash and the signature, so a changed byte anywhere is found.
/// </summary>
public sealed class EvidencePackages(
    IDbContextFactory<AppDbContext> dbs, IRecordingStore store, AuditLog audit, EvidenceKey key, DisplayTime display, TimeProvider time)
{
    public const string ManifestName = "manifest.json", SignatureName = "manifest.sig";

    /// <summary>The package's files, ready to stream, or null when the caller sees no recording with that case number.</summary>
    public async Task<IReadOnlyList<ZipItem>?> BuildAsync(string caseNumber, System.Security.Claims.ClaimsPrincipal user, AuditActor by, CancellationToken ct = default)
    {
        List<Recording> recordings;
        List<CallDetailRecord> cdr;
        List<AuditEntry> history;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            recordings = await db.Recordings.AsNoTracking().AsSplitQuery().VisibleTo(user).Where(r => r.Cases.Any(c => c.CaseNumber == caseNumber))
                .Include(r => r.Cases).OrderBy(r => r.StartedAt).ToListAsync(ct);
            if (recordings.Count == 0) return null;
            var callIds = recordings.Select(r => r.CallId).Concat(recordings.Where(r => r.LinkedId != null).Select(r => r.LinkedId!)).Distinct().ToList();
            cdr = await db.CdrRecords.AsNoTracking().Where(c => (c.UniqueId != null && callIds.Contains(c.UniqueId)) || (c.LinkedId != null && callIds.Contains(c.LinkedId)))
                .OrderBy(c => c.StartedAt).ToListAsync(ct);
            var ids = recordings.Select(r => r.Id).ToList();
            history = await db.AuditLog.AsNoTracking().Where(a => a.RecordingId != null && ids.Contains(a.RecordingId.Value)).OrderBy(a => a.Id).ToListAsync(ct);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var local = display.ToLocal(now);
        var items = new List<ZipItem>();
        var files = new List<EvidenceFile>();
        var entries = new List<EvidenceRecording>();
        foreach (var r in recordings)
        {
            // Hashed now, from the store: the manifest says whether the file is still the one that arrived.
            var name = "audio/" + PlaybackEndpoints.DownloadName(r, display, withId: true);
            string? hashNow = null;
            long size = 0;
            await using (var stream = await store.OpenReadAsync(r.StorageKey, ct))
            {
                if (stream is not null)
                {
                    using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                    var buffer = new byte[128 * 1024];
                    int read;
                    while ((read = await stream.ReadAsync(buffer, ct)) > 0) { sha.AppendData(buffer, 0, read); size += read; }
                    hashNow = Convert.ToHexStringLower(sha.GetHashAndReset());
                }
            }
            if (hashNow is not null)
            {
                items.Add(new ZipItem(name, size, display.ToLocal(r.StartedAt), token => store.OpenReadAsync(r.StorageKey, token)));
                files.Add(new EvidenceFile(name, hashNow, size));
            }
            entries.Add(new EvidenceRecording(r.Id, r.CallId, r.LinkedId, DateTime.SpecifyKind(r.StartedAt, DateTimeKind.Utc), r.DurationMs / 1000.0,
                r.CallerNumber, r.CalleeNumber, r.Extension, r.UserName, r.Team, r.Type.ToString(), hashNow is null ? null : name, r.SizeBytes,
                r.Sha256, hashNow, hashNow == r.Sha256, r.Cases.Select(c => c.CaseNumber).Order().ToList()));
        }
        AddText(items, files, "cdr.csv", ExportCsv.CallRecords(cdr, internals: true), local);
        AddText(items, files, "access-history.csv", ExportCsv.AccessHistory(history, internals: true), local);
        AddText(items, files, "README.txt", Readme(caseNumber, recordings.Count, now, by.Name), local);

        var manifest = new EvidenceManifest(EvidenceManifest.CurrentFormat, caseNumber, now, by.Name, key.Id, entries, files);
        var manifestBytes = JsonSerializer.SerializeToUtf8Bytes(manifest, EvidenceManifest.Json);
        var signature = Sign(manifestBytes, key.Bytes);
        items.Add(ZipItem.Bytes(ManifestName, manifestBytes, local));
        items.Add(ZipItem.Bytes(SignatureName, Encoding.ASCII.GetBytes($"HMAC-SHA256 {signature}\nkey {key.Id}\n"), local));

        await audit.AppendAsync(by, AuditActions.EvidenceExport, AuditOutcomes.Success, recordings.Count == 1 ? recordings[0].Id : null, details: AuditLog.Details(new
        {
            caseNumber, count = recordings.Count, recordings = recordings.Select(r => r.Id), signature, key = key.Id,
            changedSinceIngestion = entries.Where(e => e.Sha256AtExport is not null && !e.UnchangedSinceIngestion).Select(e => e.Id),
            missingFiles = entries.Where(e => e.Sha256AtExport is null).Select(e => e.Id),
        }), reason: caseNumber);
        return items;
    }

    public static string Sign(byte[] manifest, byte[] key) => Convert.ToHexStringLower(HMACSHA256.HashData(key, manifest));

    private static void AddText(List<ZipItem> items, List<EvidenceFile> files, string name, string text, DateTime local)
    {
        var bytes = ZipItem.Utf8WithBom(text);
        files.Add(new EvidenceFile(name, Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.Length));
        items.Add(ZipItem.Bytes(name, bytes, local));
    }

    private static string Readme(string caseNumber, int count, DateTime nowUtc, string by) => $"""
        Evidence package for case {caseNumber} / Pakiet dowodowy sprawy {caseNumber}

        {count} recording(s), exported {CsvText.Iso(nowUtc)} by {by}.

        audio/              the recordings exactly as the phone system stored them
        cdr.csv             the phone system's call records (CDR) of these calls
        access-history.csv  who listened to, downloaded or otherwise used each recording, and when (panel audit log, with its hash chain)
        manifest.json       every file's SHA-256; each recording's facts, its SHA-256 computed at ingestion and again at export
        manifest.sig        HMAC-SHA256 of manifest.json with this installation's evidence key

        To check that nothing was changed since export: `evidence verify THIS.zip` on the panel's server
        (it recomputes every hash and the signature and names any file that differs).
        """;

}

/// <summary>Checks a package: the signature over manifest.json, then every file against the hash the manifest gives it.</summary>
public static class EvidenceVerifier
{
    public sealed record Result(EvidenceManifest? Manifest, IReadOnlyList<string> Problems)
    {
        public bool Intact => Manifest is not null && Problems.Count == 0;
    }

    public static async Task<Result> VerifyAsync(Stream zipStream, byte[] key, CancellationToken ct = default)
    {
        ZipArchive zip;
        try { zip = await ZipArchive.CreateAsync(zipStream, ZipArchiveMode.Read, leaveOpen: true, entryNameEncoding: null, ct); }
        catch (InvalidDataException e) { return new Result(null, [$"not a ZIP file ({e.Message})"]); }
        await using (zip)
        {
            var manifestEntry = zip.GetEntry(EvidencePackages.ManifestName);
            var signatureEntry = zip.GetEntry(EvidencePackages.SignatureName);
            if (manifestEntry is null || signatureEntry is null) return new Result(null, ["this is not an evidence package: manifest.json or manifest.sig is missing"]);
            var manifestBytes = await ReadAllAsync(manifestEntry, ct);
            var signatureText = Encoding.ASCII.GetString(await ReadAllAsync(signatureEntry, ct));
            var problems = new List<string>();
            var claimed = signatureText.Split('\n').FirstOrDefault(l => l.StartsWith("HMAC-SHA256 ", StringComparison.Ordinal))?["HMAC-SHA256 ".Length..].Trim();
            var expected = EvidencePackages.Sign(manifestBytes, key);
            if (claimed is null || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(claimed), Encoding.ASCII.GetBytes(expected)))
                problems.Add("manifest.json does not match its signature (it was changed, or signed with another installation's key)");
            EvidenceManifest? manifest;
            try { manifest = JsonSerializer.Deserialize<EvidenceManifest>(manifestBytes, EvidenceManifest.Json); }
            catch (JsonException e) { return new Result(null, [.. problems, $"manifest.json cannot be read ({e.Message})"]); }
            if (manifest is null) return new Result(null, [.. problems, "manifest.json is empty"]);

            var listed = manifest.Files.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var file in manifest.Files)
            {
                var entry = zip.GetEntry(file.Name);
                if (entry is null) { problems.Add($"{file.Name}: missing from the package"); continue; }
                await using var stream = await entry.OpenAsync(ct);
                using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = new byte[128 * 1024];
                int read;
                try
                {
                    while ((read = await stream.ReadAsync(buffer, ct)) > 0) sha.AppendData(buffer, 0, read);
                }
                catch (InvalidDataException e)
                {
                    problems.Add($"{file.Name}: unreadable ({e.Message})");
                    continue;
                }
                var actual = Convert.ToHexStringLower(sha.GetHashAndReset());
                if (actual != file.Sha256) problems.Add($"{file.Name}: changed (SHA-256 {actual}, the manifest says {file.Sha256})");
            }
            foreach (var extra in zip.Entries.Select(e => e.FullName).Where(n => n is not EvidencePackages.ManifestName and not EvidencePackages.SignatureName && !listed.Contains(n)))
                problems.Add($"{extra}: added after export (not in the manifest)");
            return new Result(manifest, problems);
        }
    }

    private static async Task<byte[]> ReadAllAsync(ZipArchiveEntry entry, CancellationToken ct)
    {
        await using var stream = await entry.OpenAsync(ct);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, ct);
        return copy.ToArray();
    }
}

public static class EvidenceApi
{
    /// <summary>`GET /api/v1/evidence?case=…`: the case's evidence package as a ZIP (people who may download), audited.</summary>
    public static IEndpointRouteBuilder MapEvidenceApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/evidence", async (string? @case, HttpContext http, EvidencePackages packages, DisplayTime display, TimeProvider time, CancellationToken ct) =>
        {
            if (RecordingLabels.Check(LabelKind.Case, @case) is { } problem)
                return Results.Problem(problem.Message + " Ask for ?case=REK-2026/0113.", statusCode: StatusCodes.Status400BadRequest, title: "The request is not valid");
            var caseNumber = @case!.Trim();
            var items = await packages.BuildAsync(caseNumber, http.User, AuditActor.Of(http.User, http.Connection.RemoteIpAddress?.ToString()), ct);
            if (items is null)
                return Results.Problem($"No recording you can see carries case number '{caseNumber}'.", statusCode: StatusCodes.Status404NotFound, title: "Case not found");
            var safe = new string(caseNumber.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
            await StoredZipResult.SendAsync(http, items, $"evidence-{safe}-{display.ToLocal(time.GetUtcNow().UtcDateTime):yyyy-MM-dd-HHmm}.zip", ct);
            return Results.Empty;
        }).RequireAuthorization(Policies.DownloadRecordings).WithTags("Evidence");
        return app;
    }
}

public static class EvidenceCli
{
    /// <summary>`evidence verify FILE.zip`: exit 0 when every file matches the signed manifest, 1 naming what differs.</summary>
    public static async Task<int> VerifyAsync(IServiceProvider services, CliArgs args, TextWriter output)
    {
        var path = args.Argument("the evidence package to check, e.g. evidence verify REK-2026-0113.zip");
        args.RejectUnknown();
        if (!File.Exists(path)) throw new CliException($"there is no file '{path}'.");
        await using var file = File.OpenRead(path);
        var result = await EvidenceVerifier.VerifyAsync(file, services.GetRequiredService<EvidenceKey>().Bytes);
        if (result.Intact)
        {
            var m = result.Manifest!;
            await output.WriteLineAsync($"OK: {m.Files.Count} files match the signed manifest (case {m.Case}, {m.Recordings.Count} recording(s), exported {m.ExportedAt:yyyy-MM-dd HH:mm} UTC by {m.ExportedBy}).");
            foreach (var r in m.Recordings.Where(r => !r.UnchangedSinceIngestion))
                await output.WriteLineAsync($"Note: recording {r.Id} {(r.Sha256AtExport is null ? "had no file at export" : "was already different from its ingestion hash at export")}.");
            return 0;
        }
        await output.WriteLineAsync($"CHANGED: {path} is not as it was exported.");
        foreach (var p in result.Problems) await output.WriteLineAsync("  - " + p);
        return 1;
    }
}
