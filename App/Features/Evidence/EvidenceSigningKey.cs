using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NagrywanieRozmow.Features.Evidence;

/// <summary>
/// A key pair that signs evidence packages and receipts (ECDSA P-256). The private key is kept only as Data Protection
/// ciphertext; the public key and its validity stay listed after a rotation, so a package signed years ago can still be
/// checked against the key that was current then.
/// </summary>
public sealed class EvidenceSigningKey
{
    public int Id { get; set; }

    /// <summary>SHA-256 of the public key's SubjectPublicKeyInfo (DER), lower-case hex: what a court compares.</summary>
    public required string Fingerprint { get; set; }
    public required string Algorithm { get; set; }
    public required string PublicKeyPem { get; set; }

    /// <summary>The PKCS#8 private key protected with ASP.NET Core Data Protection (base64url).</summary>
    public required string ProtectedPrivateKey { get; set; }

    /// <summary>UTC.</summary>
    public DateTime ValidFrom { get; set; }

    /// <summary>UTC; null while the key is the one that signs.</summary>
    public DateTime? ValidUntil { get; set; }
    public required string CreatedBy { get; set; }
}

internal sealed class EvidenceSigningKeyConfiguration : IEntityTypeConfiguration<EvidenceSigningKey>
{
    public void Configure(EntityTypeBuilder<EvidenceSigningKey> e)
    {
        e.ToTable("EvidenceSigningKeys");
        e.Property(k => k.Fingerprint).HasMaxLength(64).IsFixedLength();
        e.Property(k => k.Algorithm).HasMaxLength(32);
        e.Property(k => k.PublicKeyPem).HasMaxLength(1000);
        e.Property(k => k.ProtectedPrivateKey).HasMaxLength(4000);
        e.Property(k => k.CreatedBy).HasMaxLength(256);
        e.HasIndex(k => k.Fingerprint).IsUnique();
    }
}
