using System.Text.Json;
using System.Text.Json.Serialization;

namespace NagrywanieRozmow.Features.Evidence;

public sealed record EvidenceFile(string Name, string Sha256, long SizeBytes);

public sealed record EvidenceRecording(
    long Id, string CallId, string? LinkedId, DateTime StartedAt, double DurationSeconds, string CallerNumber, string CalleeNumber,
    string? Extension, string? UserName, string? Team, string Type, string? File, long SizeBytes, string Sha256AtIngestion, string? Sha256AtExport,
    bool UnchangedSinceIngestion, IReadOnlyList<string> CaseNumbers);

/// <summary>
/// Each recording's facts and every file of the package with its SHA-256. Format 1 was signed with the installation's
/// HMAC key (manifest.sig names it); format 2 is covered by manifest.sha256, signed with the ECDSA key it names here.
/// </summary>
public sealed record EvidenceManifest(
    string Format, string Case, DateTime ExportedAt, string ExportedBy, string KeyId, IReadOnlyList<EvidenceRecording> Recordings, IReadOnlyList<EvidenceFile> Files,
    string? SignatureAlgorithm = null, string? KeyFingerprint = null)
{
    public const string HmacFormat = "nagrywanie-rozmow-evidence/1";
    public const string CurrentFormat = "nagrywanie-rozmow-evidence/2";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };
}
