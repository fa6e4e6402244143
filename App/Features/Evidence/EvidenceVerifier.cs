using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace NagrywanieRozmow.Features.Evidence;

/// <summary>How a package was signed: with a public key anyone can check, or with the installation's own HMAC secret.</summary>
public enum EvidenceSignatureKind { Unknown, Ecdsa, Hmac }

/// <summary>
/// The keys a check trusts: public keys (the app's, or one given as a PEM file) and, for packages made before ECDSA
/// signing, the installation's HMAC key (read only when such a package is checked; null where there is none to read).
/// </summary>
public sealed record EvidenceTrust(IReadOnlyList<EvidencePublicKey> PublicKeys, Func<byte[]>? HmacKey);

/// <summary>
/// Checks a package or a receipt: the signature (ECDSA over manifest.sha256, or HMAC over manifest.json for packages
/// of format 1), then every file against the hash the signed list gives it, and that nothing was added.
/// </summary>
public static class EvidenceVerifier
{
    public sealed record Result(
        EvidenceManifest? Manifest, IReadOnlyList<string> Problems, EvidenceSignatureKind Kind = EvidenceSignatureKind.Unknown, EvidencePublicKey? Key = null,
        string? HmacKeyId = null, int FilesChecked = 0)
    {
        public bool Intact => Kind != EvidenceSignatureKind.Unknown && Problems.Count == 0;
    }

    public static async Task<Result> VerifyAsync(Stream zipStream, EvidenceTrust trust, CancellationToken ct = default)
    {
        ZipArchive zip;
        try { zip = await ZipArchive.CreateAsync(zipStream, ZipArchiveMode.Read, leaveOpen: true, entryNameEncoding: null, ct); }
        catch (InvalidDataException e) { return new Result(null, [$"not a ZIP file ({e.Message})"]); }
        await using (zip)
        {
            if (zip.GetEntry(SignedChecksums.SumsName) is { } sums) return await VerifyEcdsaAsync(zip, sums, trust, ct);
            var manifestEntry = zip.GetEntry(EvidencePackages.ManifestName);
            var signatureEntry = zip.GetEntry(SignedChecksums.SignatureName);
            if (manifestEntry is null || signatureEntry is null)
                return new Result(null, ["this is not an evidence package: manifest.sha256, or manifest.json and manifest.sig, are missing"]);
            return await VerifyHmacAsync(zip, manifestEntry, signatureEntry, trust, ct);
        }
    }

    private static async Task<Result> VerifyEcdsaAsync(ZipArchive zip, ZipArchiveEntry sumsEntry, EvidenceTrust trust, CancellationToken ct)
    {
        if (zip.GetEntry(SignedChecksums.SignatureName) is not { } signatureEntry)
            return new Result(null, ["manifest.sig is missing: the list of files is not signed"], EvidenceSignatureKind.Ecdsa);
        var sumsBytes = await ReadAllAsync(sumsEntry, ct);
        var signature = await ReadAllAsync(signatureEntry, ct);
        var problems = new List<string>();
        EvidenceManifest? manifest = null;
        if (zip.GetEntry(EvidencePackages.ManifestName) is { } manifestEntry)
        {
            try { manifest = JsonSerializer.Deserialize<EvidenceManifest>(await ReadAllAsync(manifestEntry, ct), EvidenceManifest.Json); }
            catch (JsonException e) { problems.Add($"manifest.json cannot be read ({e.Message})"); }
        }

        // The package names its key; the signature decides. Without a name, any trusted key that verifies will do.
        var named = manifest?.KeyFingerprint;
        var candidates = named is null ? trust.PublicKeys : trust.PublicKeys.Where(k => k.Fingerprint == named).ToList();
        var key = candidates.FirstOrDefault(k => k.Verifies(sumsBytes, signature));
        if (key is null)
        {
            if (named is not null && candidates.Count == 0)
                problems.Add($"it names the signing key {EvidencePublicKey.IdOf(named)} (fingerprint {named}), which is not " +
                    (trust.PublicKeys.Count == 1 ? $"the key given (fingerprint {trust.PublicKeys[0].Fingerprint})" : "among this installation's keys"));
            else
                problems.Add("manifest.sha256 does not match its signature manifest.sig (it was changed, or signed with another key)");
        }

        var (listed, parseProblem) = SignedChecksums.Parse(Encoding.UTF8.GetString(sumsBytes));
        if (listed is null) return new Result(manifest, [.. problems, parseProblem!], EvidenceSignatureKind.Ecdsa, key);
        await CheckFilesAsync(zip, listed, [SignedChecksums.SumsName, SignedChecksums.SignatureName], problems, ct);
        if (manifest is not null)
            foreach (var file in manifest.Files.Where(f => listed.GetValueOrDefault(f.Name) != f.Sha256))
                problems.Add($"{file.Name}: manifest.json and manifest.sha256 give it different hashes");
        return new Result(manifest, problems, EvidenceSignatureKind.Ecdsa, key, FilesChecked: listed.Count);
    }

    private static async Task<Result> VerifyHmacAsync(ZipArchive zip, ZipArchiveEntry manifestEntry, ZipArchiveEntry signatureEntry, EvidenceTrust trust, CancellationToken ct)
    {
        var manifestBytes = await ReadAllAsync(manifestEntry, ct);
        var signatureLines = Encoding.ASCII.GetString(await ReadAllAsync(signatureEntry, ct)).Split('\n');
        var problems = new List<string>();
        var claimed = signatureLines.FirstOrDefault(l => l.StartsWith("HMAC-SHA256 ", StringComparison.Ordinal))?["HMAC-SHA256 ".Length..].Trim();
        var keyId = signatureLines.FirstOrDefault(l => l.StartsWith("key ", StringComparison.Ordinal))?["key ".Length..].Trim();
        if (trust.HmacKey is null)
            problems.Add("it is signed with HMAC-SHA256, the installation's shared secret, not with a public key: " +
                "only `evidence verify` without --public-key on the panel's server can check it");
        else if (claimed is null || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(claimed), Encoding.ASCII.GetBytes(EvidencePackages.HmacOf(manifestBytes, trust.HmacKey()))))
            problems.Add("manifest.json does not match its signature (it was changed, or signed with another installation's key)");
        EvidenceManifest? manifest;
        try { manifest = JsonSerializer.Deserialize<EvidenceManifest>(manifestBytes, EvidenceManifest.Json); }
        catch (JsonException e) { return new Result(null, [.. problems, $"manifest.json cannot be read ({e.Message})"], EvidenceSignatureKind.Hmac, HmacKeyId: keyId); }
        if (manifest is null) return new Result(null, [.. problems, "manifest.json is empty"], EvidenceSignatureKind.Hmac, HmacKeyId: keyId);

        var listed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in manifest.Files) listed.TryAdd(file.Name, file.Sha256);
        await CheckFilesAsync(zip, listed, [EvidencePackages.ManifestName, SignedChecksums.SignatureName], problems, ct);
        return new Result(manifest, problems, EvidenceSignatureKind.Hmac, HmacKeyId: keyId ?? manifest.KeyId, FilesChecked: listed.Count);
    }

    private static async Task CheckFilesAsync(ZipArchive zip, Dictionary<string, string> listed, string[] unlisted, List<string> problems, CancellationToken ct)
    {
        foreach (var (name, sha256) in listed)
        {
            var entry = zip.GetEntry(name);
            if (entry is null) { problems.Add($"{name}: missing from the package"); continue; }
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
                problems.Add($"{name}: unreadable ({e.Message})");
                continue;
            }
            var actual = Convert.ToHexStringLower(sha.GetHashAndReset());
            if (actual != sha256) problems.Add($"{name}: changed (SHA-256 {actual}, the signed list says {sha256})");
        }
        foreach (var extra in zip.Entries.Select(e => e.FullName).Where(n => !unlisted.Contains(n) && !listed.ContainsKey(n)))
            problems.Add($"{extra}: added after export (not in the manifest)");
    }

    private static async Task<byte[]> ReadAllAsync(ZipArchiveEntry entry, CancellationToken ct)
    {
        await using var stream = await entry.OpenAsync(ct);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, ct);
        return copy.ToArray();
    }
}
