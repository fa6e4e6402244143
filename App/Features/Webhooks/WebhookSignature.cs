using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace NagrywanieRozmow.Features.Webhooks;

/// <summary>
/// Standard Webhooks (standardwebhooks.com): the secret is <c>whsec_</c> + base64 key bytes; each attempt is signed as
/// <c>v1,</c> + base64(HMAC-SHA256(key, "{webhook-id}.{webhook-timestamp}.{body}")).
/// </summary>
public static class WebhookSignature
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";
    public const string SecretPrefix = "whsec_";

    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));

    public static string NewMessageId() => "msg_" + Guid.CreateVersion7().ToString("N");

    public static string Sign(string secret, string messageId, DateTimeOffset at, string body)
    {
        var key = Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);
        var content = $"{messageId}.{Timestamp(at)}.{body}";
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(content)));
    }

    public static string Timestamp(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
}
