using System.Globalization;
using NagrywanieRozmow.Shared.Cli;

namespace NagrywanieRozmow.Features.Backup;

/// <summary>
/// `backup --to DIR` (safe while the app runs and ingests) and `restore --from DIR [--force]` (only while the app is
/// stopped: it replaces the database under a running app's feet otherwise). SQLite installations only; a server
/// database is backed up by the server's tools, and the verbs say so.
/// </summary>
public static class BackupCli
{
    public static async Task<int> BackupAsync(IServiceProvider services, CliArgs args, TextWriter output)
    {
        var target = args.Optional("to") ?? throw new CliException("option --to is required: backup --to DIR (a new or empty folder).");
        args.RejectUnknown();
        var result = await services.GetRequiredService<SqliteBackup>().BackupAsync(target);
        var m = result.Manifest;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Backup written to {Path.GetFullPath(target)}: database {Mb(m.Database.SizeBytes)} ({m.Database.AuditEntries} audit entries), " +
            $"{m.Counts.Recordings} recordings: {m.Counts.Originals} originals and {m.Counts.Renditions} renditions copied ({Mb(m.Counts.FileBytes)}), " +
            $"{m.Counts.MetadataOnly} metadata-only demo rows without a file."));
        await output.WriteLineAsync(Speed(result.Bytes, result.Took));
        if (m.Problems.Count == 0) return 0;
        await output.WriteLineAsync($"INCOMPLETE: {m.Problems.Count} recording(s) could not be backed up as their rows say (restore refuses this backup):");
        foreach (var p in m.Problems) await output.WriteLineAsync("  - " + p);
        return 1;
    }

    public static async Task<int> RestoreAsync(IServiceProvider services, CliArgs args, TextWriter output)
    {
        var source = args.Optional("from")
            ?? throw new CliException("option --from is required: restore --from DIR [--force]. Stop the app first: restore replaces its database and writes into its store.");
        var force = args.Flag("force");
        args.RejectUnknown();
        var result = await services.GetRequiredService<SqliteBackup>().RestoreAsync(source, force, line => output.WriteLineAsync(line));
        if (result.Refused)
        {
            await output.WriteLineAsync($"REFUSED: {Path.GetFullPath(source)} is not an intact backup; nothing was changed.");
            foreach (var p in result.Problems) await output.WriteLineAsync("  - " + p);
            return 1;
        }
        var m = result.Manifest!;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Restored the backup of {m.CreatedAt:yyyy-MM-dd HH:mm:ss}Z (app {m.AppVersion}, store {m.StorageProvider}): {m.Counts.Recordings} recordings, " +
            $"{result.FilesWritten} files written to the store ({result.FilesAlreadyThere} already there with the same content), the database replaced and migrated."));
        await output.WriteLineAsync(Speed(result.Bytes, result.Took));
        if (result.Problems.Count > 0)
        {
            await output.WriteLineAsync("CHECK FAILED after the restore:");
            foreach (var p in result.Problems) await output.WriteLineAsync("  - " + p);
            return 1;
        }
        await output.WriteLineAsync("Check passed: every file in the store matches its SHA-256, the recordings are all there, the audit log's hash chain is intact.");
        return 0;
    }

    private static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1_000_000.0:0.0} MB");

    private static string Speed(long bytes, TimeSpan took) => string.Create(CultureInfo.InvariantCulture,
        $"{Mb(bytes)} in {took.TotalSeconds:0.00} s ({bytes / 1_000_000.0 / Math.Max(took.TotalSeconds, 0.001):0.0} MB/s).");
}
