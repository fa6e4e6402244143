namespace NagrywanieRozmow.Features.Evidence;

public sealed class EvidenceOptions
{
    /// <summary>
    /// The HMAC key of packages made before ECDSA signing, as base64 (at least 32 bytes). When empty, the key in
    /// <see cref="SigningKeyPath"/> (made once there by earlier versions). New packages are signed with <see cref="EvidenceSigningKeys"/>.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>Where that HMAC key is kept (relative to the app's folder): back it up with the database while old packages matter.</summary>
    public string SigningKeyPath { get; set; } = "data/evidence-signing.key";
}
