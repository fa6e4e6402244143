using NagrywanieRozmow.Shared.Cli;

namespace NagrywanieRozmow.Features.Retention;

internal static class RetentionCli
{
    /// <summary>`retention run` (and `retention preview`: the same, counting only): prints what was deleted and what was kept and why.</summary>
    public static Task<int> RunAsync(IServiceProvider services, CliArgs args, TextWriter output) => PurgeAsync(services, args, output, dryRun: false);

    public static Task<int> PreviewAsync(IServiceProvider services, CliArgs args, TextWriter output) => PurgeAsync(services, args, output, dryRun: true);

    /// <summary>`retention archive`: moves what the policy says is due to the archive store now; prints counts and throughput.</summary>
    public static async Task<int> ArchiveAsync(IServiceProvider services, CliArgs args, TextWriter output)
    {
        args.RejectUnknown();
        var report = await services.GetRequiredService<RetentionArchiveJob>().ArchiveAsync();
        var mb = report.Bytes / 1_000_000.0;
        await output.WriteLineAsync(FormattableString.Invariant($"Archived {report.Archived} recordings ({mb:0.0} MB) in {report.Took.TotalSeconds:0.0} s: ")
            + FormattableString.Invariant($"{report.FilesPerSecond:0.0} files/s, {report.MegabytesPerSecond:0.0} MB/s."));
        if (report.Resumed > 0) await output.WriteLineAsync($"Of them, {report.Resumed} had been begun by an earlier run that stopped.");
        if (report.Failed.Count == 0) return 0;
        await output.WriteLineAsync($"{report.Failed.Count} recordings stay in the hot store (file missing or SHA-256 differs, see the log): {string.Join(", ", report.Failed.Take(20))}");
        return 4;
    }

    private static async Task<int> PurgeAsync(IServiceProvider services, CliArgs args, TextWriter output, bool dryRun)
    {
        args.RejectUnknown();
        var policy = await services.GetRequiredService<RetentionPolicies>().CurrentAsync();
        var report = await services.GetRequiredService<RetentionPurgeJob>().PurgeAsync(dryRun);
        var verb = dryRun ? "would delete" : "deleted";
        await output.WriteLineAsync(dryRun ? "Dry run: nothing is deleted." : $"Retention purge finished in {report.Took.TotalSeconds:0.0} s.");
        foreach (var rule in policy.Rules.OrderByDescending(r => r.Specificity))
        {
            var line = report.Rules.FirstOrDefault(r => r.Rule.Team == rule.Team && r.Rule.Type == rule.Type);
            await output.WriteLineAsync(line is null
                ? $"  {rule.Describe()}: nothing is deleted under this rule"
                : $"  {rule.Describe()}: {verb} {line.Deleted}, kept {line.KeptOnHold} (legal hold)");
        }
        await output.WriteLineAsync($"Total: {verb} {report.Deleted}, kept {report.KeptOnHold} expired recordings on legal hold.");
        foreach (var (name, deleted) in report.Others) await output.WriteLineAsync($"  {name}: {verb} {deleted}");
        if (report.FinishedFromEarlierRun > 0) await output.WriteLineAsync($"Finished removing the files of {report.FinishedFromEarlierRun} recordings an earlier run had erased.");
        if (report.FilesStillPending > 0)
        {
            await output.WriteLineAsync($"Files of {report.FilesStillPending} erased recordings could not be removed yet (see the log); the next run tries again.");
            return 4;
        }
        return 0;
    }
}
