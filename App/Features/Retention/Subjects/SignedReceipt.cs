using System.Text.Json;
using NagrywanieRozmow.Features.Evidence;
using NagrywanieRozmow.Shared.Time;
using NagrywanieRozmow.Shared.Zip;

namespace NagrywanieRozmow.Features.Retention;

/// <summary>The facts of a receipt as receipt.json holds them: what a request did, to be read by a program.</summary>
public sealed record SignedReceiptFacts(
    string Format, long Request, string Kind, string MaskedNumber, string? Reference, string HandledBy, DateTime HandledAt, SubjectReceipt Receipt, string KeyId,
    string KeyFingerprint)
{
    public const string CurrentFormat = "nagrywanie-rozmow-receipt/1";
}

/// <summary>
/// A data-subject request's receipt as a signed ZIP: the letter-ready receipt.txt, its facts in receipt.json, and the
/// same seal as an evidence package (manifest.sha256 signed with the evidence key, VERIFY.md), so the person, a
/// regulator or a court checks it with openssl and the published public key, without an account.
/// </summary>
public static class SignedReceipt
{
    public static async Task<IReadOnlyList<ZipItem>> BuildAsync(
        SubjectRequest request, string text, EvidenceSigningKeys keys, string publicKeyUrl, DisplayTime display, DateTime nowUtc, CancellationToken ct)
    {
        var local = display.ToLocal(nowUtc);
        var items = new List<ZipItem>();
        var files = new List<EvidenceFile>();
        var signer = await keys.SignerAsync(ct);
        SignedChecksums.Add(items, files, "receipt.txt", ZipItem.Utf8WithBom(text), local);
        var facts = new SignedReceiptFacts(SignedReceiptFacts.CurrentFormat, request.Id, request.Kind.ToString(), request.MaskedNumber, request.Reference,
            request.HandledBy, DateTime.SpecifyKind(request.HandledAt, DateTimeKind.Utc), SubjectReceipt.Parse(request.Receipt), signer.Key.Id, signer.Key.Fingerprint);
        SignedChecksums.Add(items, files, "receipt.json", JsonSerializer.SerializeToUtf8Bytes(facts, EvidenceManifest.Json), local);
        SignedChecksums.AddGuide(items, files, signer.Key, "receipt", publicKeyUrl, local);
        SignedChecksums.Seal(items, files, signer, local);
        return items;
    }
}
