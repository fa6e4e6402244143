namespace NagrywanieRozmow.Features.Evidence;

public sealed class EvidenceOptions
{
    /// <summary>The signing key as base64 (at least 32 bytes). When empty, a key is made once and kept in <see cref="SigningKeyPath"/>.</summary>
    public string? SigningKey { get; set; }

    /// <summary>Where the generated key is kept (relative to the app's folder): back it up with the database.</summary>
    public string SigningKeyPath { get; set; } = "data/evidence-signing.key";
}
