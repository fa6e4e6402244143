using NagrywanieRozmow.Data;
using NagrywanieRozmow.Shared.Cli;

namespace NagrywanieRozmow.Features.Evidence;

public static class EvidenceCli
{
    /// <summary>
    /// `evidence verify FILE.zip [--public-key KEY.pem]`: exit 0 when the signature holds and every file matches the signed
    /// list, 1 naming what differs. With --public-key it trusts that key alone and needs no database (a court's copy of the
    /// tool); without it, the installation's keys, and its HMAC key for packages made before ECDSA signing.
    /// </summary>
    public static async Task<int> VerifyAsync(IServiceProvider services, CliArgs args, TextWriter output)
    {
        var path = args.Argument("the evidence package to check, e.g. evidence verify REK-2026-0113.zip");
        var keyPath = args.Optional("public-key");
        args.RejectUnknown();
        if (!File.Exists(path)) throw new CliException($"there is no file '{path}'.");
        EvidenceTrust trust;
        if (keyPath is not null)
        {
            if (!File.Exists(keyPath)) throw new CliException($"there is no file '{keyPath}'.");
            try { trust = new EvidenceTrust([EvidencePublicKey.FromPem(await File.ReadAllTextAsync(keyPath))], null); }
            catch (FormatException e) { throw new CliException($"{keyPath} is {e.Message}."); }
        }
        else
        {
            await services.MigrateDatabaseAsync();
            var key = services.GetRequiredService<EvidenceKey>();
            trust = new EvidenceTrust(await services.GetRequiredService<EvidenceSigningKeys>().ReadAllAsync(), () => key.Bytes);
        }

        await using var file = File.OpenRead(path);
        var result = await EvidenceVerifier.VerifyAsync(file, trust);
        if (result.Intact)
        {
            if (result.Manifest is { } m)
            {
                await output.WriteLineAsync($"OK: {m.Files.Count} files match the signed manifest (case {m.Case}, {m.Recordings.Count} recording(s), " +
                    $"exported {m.ExportedAt:yyyy-MM-dd HH:mm} UTC by {m.ExportedBy}).");
                foreach (var r in m.Recordings.Where(r => !r.UnchangedSinceIngestion))
                    await output.WriteLineAsync($"Note: recording {r.Id} {(r.Sha256AtExport is null ? "had no file at export" : "was already different from its ingestion hash at export")}.");
            }
            else
            {
                await output.WriteLineAsync($"OK: {result.FilesChecked} files match the signed manifest.");
            }
            await output.WriteLineAsync(Signature(result));
            return 0;
        }
        await output.WriteLineAsync($"CHANGED: {path} is not as it was exported.");
        foreach (var p in result.Problems) await output.WriteLineAsync("  - " + p);
        if (result.Kind == EvidenceSignatureKind.Hmac) await output.WriteLineAsync(Signature(result));
        return 1;
    }

    private static string Signature(EvidenceVerifier.Result result) => result.Kind == EvidenceSignatureKind.Hmac
        ? $"Signed with HMAC-SHA256 (key {result.HmacKeyId}): the installation's shared secret, made before public-key signing. " +
          "Only this installation can check it; a third party cannot."
        : $"Signed with ECDSA P-256, key {result.Key!.Id} (fingerprint {result.Key.Fingerprint}): anyone with the public key can check it (VERIFY.md).";

    /// <summary>`evidence rotate-key [--reason TEXT]`: a new signing key from now on; the old one stays listed. Audited.</summary>
    public static async Task<int> RotateKeyAsync(IServiceProvider services, CliArgs args, TextWriter output)
    {
        var reason = args.Optional("reason");
        args.RejectUnknown();
        var keys = services.GetRequiredService<EvidenceSigningKeys>();
        var previous = await keys.CurrentAsync();
        var key = await keys.RotateAsync(AuditActor.CommandLine, string.IsNullOrWhiteSpace(reason) ? null : reason.Trim());
        await output.WriteLineAsync($"Key {previous.Id} signed until now; key {key.Id} signs from {key.ValidFrom:yyyy-MM-dd HH:mm:ss} UTC.");
        await output.WriteLineAsync($"Fingerprint (SHA-256 of the public key): {key.Fingerprint}");
        await output.WriteLineAsync(key.Pem.TrimEnd());
        return 0;
    }

    /// <summary>`evidence keys`: every signing key, newest first, with its validity and fingerprint.</summary>
    public static async Task<int> ListKeysAsync(IServiceProvider services, CliArgs args, TextWriter output)
    {
        args.RejectUnknown();
        foreach (var k in await services.GetRequiredService<EvidenceSigningKeys>().PublicKeysAsync())
            await output.WriteLineAsync($"{k.Id}  {k.Algorithm}  from {k.ValidFrom:yyyy-MM-dd HH:mm:ss} UTC  " +
                $"{(k.ValidUntil is { } until ? $"until {until:yyyy-MM-dd HH:mm:ss} UTC" : "current")}  {k.Fingerprint}");
        return 0;
    }
}
