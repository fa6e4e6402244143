using NagrywanieRozmow.Shared.Cli;

namespace NagrywanieRozmow.Features.Evidence;

public static class EvidenceCli
{
    /// <summary>`evidence verify FILE.zip`: exit 0 when every file matches the signed manifest, 1 naming what differs.</summary>
    public static async Task<int> VerifyAsync(IServiceProvider services, CliArgs args, TextWriter output)
    {
        var path = args.Argument("the evidence package to check, e.g. evidence verify REK-2026-0113.zip");
        args.RejectUnknown();
        if (!File.Exists(path)) throw new CliException($"there is no file '{path}'.");
        await using var file = File.OpenRead(path);
        var result = await EvidenceVerifier.VerifyAsync(file, services.GetRequiredService<EvidenceKey>().Bytes);
        if (result.Intact)
        {
            var m = result.Manifest!;
            await output.WriteLineAsync($"OK: {m.Files.Count} files match the signed manifest (case {m.Case}, {m.Recordings.Count} recording(s), " +
                $"exported {m.ExportedAt:yyyy-MM-dd HH:mm} UTC by {m.ExportedBy}).");
            foreach (var r in m.Recordings.Where(r => !r.UnchangedSinceIngestion))
                await output.WriteLineAsync($"Note: recording {r.Id} {(r.Sha256AtExport is null ? "had no file at export" : "was already different from its ingestion hash at export")}.");
            return 0;
        }
        await output.WriteLineAsync($"CHANGED: {path} is not as it was exported.");
        foreach (var p in result.Problems) await output.WriteLineAsync("  - " + p);
        return 1;
    }
}
