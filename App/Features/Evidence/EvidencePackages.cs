using NagrywanieRozmow.Shared.Csv;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Audit;
using NagrywanieRozmow.Features.Ingestion;
using NagrywanieRozmow.Features.Playback;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Shared.Storage;
using NagrywanieRozmow.Shared.Time;
using NagrywanieRozmow.Shared.Zip;

namespace NagrywanieRozmow.Features.Evidence;

/// <summary>
/// The evidence package of one case: its recordings as stored, their CDR rows, SHA-256 of each file from ingestion and
/// computed again now, the access history, manifest.json with each recording's facts, and manifest.sha256 (every file's
/// SHA-256) signed with the installation's ECDSA key (manifest.sig, <see cref="SignedChecksums"/>). Anyone with the public
/// key checks it with openssl (VERIFY.md); `evidence verify` does the same, so a changed byte anywhere is found.
/// </summary>
public sealed class EvidencePackages(
    IDbContextFactory<AppDbContext> dbs, IRecordingStore store, AuditLog audit, EvidenceSigningKeys keys, DisplayTime display, TimeProvider time,
    IOptions<PublicUrlOptions> publicUrl)
{
    public const string ManifestName = "manifest.json", SignatureName = SignedChecksums.SignatureName;
    public const string PublicKeyPath = "/api/v1/evidence/public-key";

    /// <summary>The package's files, ready to stream, or null when the caller sees no recording with that case number.</summary>
    public async Task<IReadOnlyList<ZipItem>?> BuildAsync(string caseNumber, System.Security.Claims.ClaimsPrincipal user, AuditActor by, CancellationToken ct = default)
    {
        List<Recording> recordings;
        List<CallDetailRecord> cdr;
        List<AuditEntry> history;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            recordings = await db.Recordings.AsNoTracking().AsSplitQuery().VisibleTo(db, user).Where(r => r.Cases.Any(c => c.CaseNumber == caseNumber))
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
        AddText(items, files, "cdr.csv", CallRecordsCsv.Write(cdr, internals: true), local);
        AddText(items, files, "access-history.csv", AccessHistoryCsv.Write(history, internals: true), local);
        AddText(items, files, "README.txt", Readme(caseNumber, recordings.Count, now, by.Name), local);

        var signer = await keys.SignerAsync(ct);
        SignedChecksums.AddGuide(items, files, signer.Key, "evidence package", PublicKeyUrl(publicUrl.Value), local);
        var manifest = new EvidenceManifest(EvidenceManifest.CurrentFormat, caseNumber, now, by.Name, signer.Key.Id, entries, [.. files],
            signer.Key.Algorithm, signer.Key.Fingerprint);
        SignedChecksums.Add(items, files, ManifestName, JsonSerializer.SerializeToUtf8Bytes(manifest, EvidenceManifest.Json), local);
        SignedChecksums.Seal(items, files, signer, local);
        var manifestSha256 = files.Single(f => f.Name == ManifestName).Sha256;

        await audit.AppendAsync(by, AuditActions.EvidenceExport, AuditOutcomes.Success, recordings.Count == 1 ? recordings[0].Id : null, details: AuditLog.Details(new
        {
            caseNumber, count = recordings.Count, recordings = recordings.Select(r => r.Id), manifestSha256, key = signer.Key.Id, fingerprint = signer.Key.Fingerprint,
            changedSinceIngestion = entries.Where(e => e.Sha256AtExport is not null && !e.UnchangedSinceIngestion).Select(e => e.Id),
            missingFiles = entries.Where(e => e.Sha256AtExport is null).Select(e => e.Id),
        }), reason: caseNumber);
        return items;
    }

    /// <summary>The HMAC-SHA256 of a format-1 manifest (packages made before ECDSA signing), as hex.</summary>
    public static string HmacOf(byte[] manifest, byte[] key) => Convert.ToHexStringLower(HMACSHA256.HashData(key, manifest));

    /// <summary>Where the public keys are published: absolute when App:PublicUrl is set.</summary>
    public static string PublicKeyUrl(PublicUrlOptions options) => options.LinkTo(PublicKeyPath);

    private static void AddText(List<ZipItem> items, List<EvidenceFile> files, string name, string text, DateTime local)
    {
        SignedChecksums.Add(items, files, name, ZipItem.Utf8WithBom(text), local);
    }

    private static string Readme(string caseNumber, int count, DateTime nowUtc, string by) => $"""
        Evidence package for case {caseNumber} / Pakiet dowodowy sprawy {caseNumber}

        {count} recording(s), exported {CsvText.Iso(nowUtc)} by {by}.

        audio/              the recordings exactly as the phone system stored them
        cdr.csv             the phone system's call records (CDR) of these calls
        access-history.csv  who listened to, downloaded or otherwise used each recording, and when (panel audit log, with its hash chain)
        manifest.json       each recording's facts, its SHA-256 computed at ingestion and again at export; every file's SHA-256
        manifest.sha256     every file's SHA-256 (manifest.json included), in the format `sha256sum -c` reads
        manifest.sig        the ECDSA P-256 signature of manifest.sha256 (DER), with this installation's evidence key
        signing-key.pem     the public key (compare its fingerprint with the one the company publishes)
        VERIFY.md           how to check the package with openssl alone, without an account in the panel

        To check that nothing was changed since export: follow VERIFY.md, or run `evidence verify THIS.zip` on the panel's server
        (it recomputes every hash and the signature and names any file that differs).
        """;

}
