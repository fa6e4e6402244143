using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Data;

namespace NagrywanieRozmow.Features.Evidence;

/// <summary>The key that signs now, ready to sign (one package or receipt: its key is named before it is signed).</summary>
public sealed class EvidenceSigner(EvidencePublicKey key, byte[] pkcs8)
{
    public EvidencePublicKey Key => key;

    /// <summary>ECDSA P-256 over SHA-256 of <paramref name="data"/>, DER-encoded (as openssl writes and reads it).</summary>
    public byte[] Sign(byte[] data)
    {
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportPkcs8PrivateKey(pkcs8, out _);
        return ecdsa.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
    }
}

/// <summary>
/// The installation's evidence signing keys (ECDSA P-256), kept in the database with the private part protected by
/// ASP.NET Core Data Protection, whose keys live in the same database (so every instance and a restored backup can sign).
/// The first key is made on first use; a rotation closes the current key's validity and starts a new one, both audited.
/// Signing reads the current key from the database each time (a rotation from the command line takes effect at once);
/// the public list is cached for a minute, so the anonymous public-key endpoint costs no query per request.
/// </summary>
public sealed class EvidenceSigningKeys(IDbContextFactory<AppDbContext> dbs, AuditLog audit, IDataProtectionProvider protection, TimeProvider time)
{
    public static readonly AuditActor FirstUse = new("system (evidence signing)", null);
    private const string Purpose = "NagrywanieRozmow.Evidence.SigningKey.v1";
    private static readonly TimeSpan ListCachedFor = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, byte[]> privateKeys = new(StringComparer.Ordinal);
    private volatile Listed? listed;

    private sealed record Listed(DateTime At, IReadOnlyList<EvidencePublicKey> Keys);

    private IDataProtector Protector => protection.CreateProtector(Purpose);

    /// <summary>The current key, ready to sign (made now if there is none yet).</summary>
    public async Task<EvidenceSigner> SignerAsync(CancellationToken ct = default)
    {
        var key = await CurrentRowAsync(ct);
        var pkcs8 = privateKeys.GetOrAdd(key.Fingerprint, _ => Protector.Unprotect(WebEncoders.Base64UrlDecode(key.ProtectedPrivateKey)));
        return new EvidenceSigner(ToPublic(key), pkcs8);
    }

    /// <summary>The key that signs now (made now if there is none yet).</summary>
    public async Task<EvidencePublicKey> CurrentAsync(CancellationToken ct = default) => ToPublic(await CurrentRowAsync(ct));

    /// <summary>Every public key, newest first, with validity periods; cached for a minute (a key is made on first use).</summary>
    public async Task<IReadOnlyList<EvidencePublicKey>> PublicKeysAsync(CancellationToken ct = default)
    {
        if (listed is { } cached && time.GetUtcNow().UtcDateTime - cached.At < ListCachedFor) return cached.Keys;
        var keys = await ReadAllAsync(ct);
        if (keys.Count == 0)
        {
            await CurrentRowAsync(ct);
            keys = await ReadAllAsync(ct);
        }
        listed = new Listed(time.GetUtcNow().UtcDateTime, keys);
        return keys;
    }

    /// <summary>Every public key as the database has it now (no cache, none made): what `evidence verify` trusts.</summary>
    public async Task<IReadOnlyList<EvidencePublicKey>> ReadAllAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var rows = await db.Set<EvidenceSigningKey>().AsNoTracking().ToListAsync(ct);
        return rows.OrderByDescending(k => k.ValidFrom).ThenByDescending(k => k.Id).Select(ToPublic).ToList();
    }

    /// <summary>A new key signs from now on; the old one stays listed, valid until now. Audited with both fingerprints.</summary>
    public async Task<EvidencePublicKey> RotateAsync(AuditActor by, string? reason = null, CancellationToken ct = default) =>
        ToPublic(await MakeAsync(by, rotate: true, reason, ct));

    private async Task<EvidenceSigningKey> CurrentRowAsync(CancellationToken ct)
    {
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            var current = await db.Set<EvidenceSigningKey>().AsNoTracking().Where(k => k.ValidUntil == null)
                .OrderByDescending(k => k.Id).FirstOrDefaultAsync(ct);
            if (current is not null) return current;
        }
        return await MakeAsync(FirstUse, rotate: false, null, ct);
    }

    private async Task<EvidenceSigningKey> MakeAsync(AuditActor by, bool rotate, string? reason, CancellationToken ct)
    {
        // Made and protected before the transaction: on first use Data Protection writes its own key ring to the database
        // on another connection, which SQLite's write lock (held by the transaction from its start) would block.
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var spki = ecdsa.ExportSubjectPublicKeyInfo();
        var key = new EvidenceSigningKey
        {
            Fingerprint = EvidencePublicKey.FingerprintOf(spki), Algorithm = EvidencePublicKey.EcdsaP256, PublicKeyPem = EvidencePublicKey.PemOf(spki),
            ProtectedPrivateKey = WebEncoders.Base64UrlEncode(Protector.Protect(ecdsa.ExportPkcs8PrivateKey())), CreatedBy = by.Name,
        };
        var (made, _) = await audit.InTransactionAsync(async db =>
        {
            var keys = db.Set<EvidenceSigningKey>();
            var current = await keys.Where(k => k.ValidUntil == null).OrderByDescending(k => k.Id).ToListAsync(ct);
            // Another request or instance made the first key meanwhile: use it.
            if (!rotate && current.Count > 0) return (current[0], (IReadOnlyList<AuditDraft>)[]);
            var now = time.GetUtcNow().UtcDateTime;
            foreach (var old in current) old.ValidUntil = now;
            key.ValidFrom = now;
            keys.Add(key);
            var details = AuditLog.Details(new
            {
                key = EvidencePublicKey.IdOf(key.Fingerprint), fingerprint = key.Fingerprint, algorithm = key.Algorithm,
                previous = current.Select(k => k.Fingerprint).ToList() is { Count: > 0 } closed ? closed : null,
            });
            return (key, [new AuditDraft(by, rotate ? AuditActions.EvidenceKeyRotated : AuditActions.EvidenceKeyCreated, AuditOutcomes.Success, null, details, reason)]);
        }, ct);
        listed = null;
        return made;
    }

    private static EvidencePublicKey ToPublic(EvidenceSigningKey k) => new(
        EvidencePublicKey.IdOf(k.Fingerprint), k.Algorithm, k.Fingerprint, k.PublicKeyPem,
        DateTime.SpecifyKind(k.ValidFrom, DateTimeKind.Utc), k.ValidUntil is { } until ? DateTime.SpecifyKind(until, DateTimeKind.Utc) : null);
}
