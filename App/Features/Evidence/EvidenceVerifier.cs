using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace NagrywanieRozmow.Features.Evidence;

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
