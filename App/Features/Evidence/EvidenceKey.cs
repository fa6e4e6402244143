using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace NagrywanieRozmow.Features.Evidence;

/// <summary>
/// The HMAC key that signed evidence packages before ECDSA signing (<see cref="EvidenceSigningKeys"/>): from
/// Evidence:SigningKey, or the file beside the data. Kept only so those packages still verify; read when one is checked.
/// </summary>
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
