using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using NagrywanieRozmow.Shared.Storage;

namespace NagrywanieRozmow.Features.Ingestion;

/// <summary>The store step of ingestion: the original file, byte for byte, in the recording store.</summary>
public sealed class OriginalStore(IRecordingStore store, IOptions<IngestionOptions> options)
{
    private readonly TimeZoneInfo pbxZone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.PbxTimeZone);

    /// <summary>
    /// Keeps the original byte for byte under YYYY/MM/DD/&lt;name&gt; (the PBX's local date); a stored file with the same hash
    /// is reused. The copy is hashed as it is written: a different hash means the source changed meanwhile (null, nothing kept).
    /// </summary>
    internal async Task<(string Key, bool Created)?> StoreAsync(CallFacts facts, FileInfo file, string sha256, CancellationToken ct)
    {
        var folder = TimeZoneInfo.ConvertTimeFromUtc(facts.StartedAtUtc, pbxZone).ToString("yyyy/MM/dd", System.Globalization.CultureInfo.InvariantCulture);
        var fileName = StoredName(file.Name, facts);
        for (var attempt = 1; ; attempt++)
        {
            var key = attempt == 1 ? $"{folder}/{fileName}" : $"{folder}/{Path.GetFileNameWithoutExtension(fileName)}~{attempt}{Path.GetExtension(fileName)}";
            if (await store.ExistsAsync(key, ct))
            {
                await using var existing = await store.OpenReadAsync(key, ct);
                if (existing is not null && await ContentHash.OfAsync(existing, ct) == sha256) return (key, false);
                continue;
            }
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            try
            {
                await using var source = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
                await using var hashing = new ContentHash.HashingReadStream(source, hash);
                await store.SaveAsync(key, hashing, ct);
            }
            catch (IOException)
            {
                if (!await store.ExistsAsync(key, ct)) throw;
                // Another worker stored a file under this name a moment earlier: look at that key again.
                attempt--;
                continue;
            }
            if (Convert.ToHexStringLower(hash.GetHashAndReset()) == sha256) return (key, true);
            await store.DeleteAsync(key, ct);
            return null;
        }
    }

    /// <summary>The file's own name when it is a plain, safe one; otherwise the call id with the detected extension.</summary>
    private static string StoredName(string name, CallFacts facts)
    {
        var safe = name.Length is > 0 and <= 200 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '+') && !name.StartsWith('.');
        if (safe) return name;
        var extension = Path.GetExtension(name);
        return $"{facts.CallId}{(extension.Length is > 1 and <= 6 && extension.Skip(1).All(char.IsAsciiLetterOrDigit) ? extension : ".audio")}";
    }
}
