using System.Security.Cryptography;

namespace NagrywanieRozmow.Features.Evidence;

/// <summary>
/// A public key that evidence packages and receipts are (or were) signed with, as `GET /api/v1/evidence/public-key` lists
/// it. <see cref="Id"/> is the first 16 hex digits of the fingerprint: short enough to read out, named in every package.
/// </summary>
public sealed record EvidencePublicKey(string Id, string Algorithm, string Fingerprint, string Pem, DateTime ValidFrom, DateTime? ValidUntil)
{
    public const string EcdsaP256 = "ECDSA-P256-SHA256";

    /// <summary>The key of a PEM file (`-----BEGIN PUBLIC KEY-----`), with no validity known.</summary>
    public static EvidencePublicKey FromPem(string pem)
    {
        using var ecdsa = ECDsa.Create();
        try { ecdsa.ImportFromPem(pem); }
        catch (ArgumentException e) { throw new FormatException($"not a PEM public key ({e.Message})", e); }
        catch (CryptographicException e) { throw new FormatException($"not an ECDSA public key ({e.Message})", e); }
        var spki = ecdsa.ExportSubjectPublicKeyInfo();
        var fingerprint = FingerprintOf(spki);
        return new EvidencePublicKey(IdOf(fingerprint), EcdsaP256, fingerprint, PemOf(spki), DateTime.MinValue, null);
    }

    public static string FingerprintOf(byte[] subjectPublicKeyInfo) => Convert.ToHexStringLower(SHA256.HashData(subjectPublicKeyInfo));

    public static string IdOf(string fingerprint) => fingerprint[..16];

    public static string PemOf(byte[] subjectPublicKeyInfo) => PemEncoding.WriteString("PUBLIC KEY", subjectPublicKeyInfo) + "\n";

    /// <summary>The fingerprint in groups of four, as the evidence page shows it and a person reads it out.</summary>
    public string GroupedFingerprint => string.Join(' ', Enumerable.Range(0, Fingerprint.Length / 4).Select(i => Fingerprint.Substring(i * 4, 4)));

    /// <summary>True when <paramref name="signature"/> (DER, as openssl writes it) is this key's ECDSA signature of <paramref name="data"/>.</summary>
    public bool Verifies(byte[] data, byte[] signature)
    {
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(Pem);
        try { return ecdsa.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence); }
        catch (CryptographicException) { return false; }
    }
}
