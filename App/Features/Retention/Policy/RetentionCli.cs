using NagrywanieRozmow.Shared.Cli;

namespace NagrywanieRozmow.Features.Retention;

internal static class RetentionCli
{
    /// <summary>`retention run` (and `retention preview`: the same, counting only): prints what was deleted and what was kept and why.</summary>
    public static Task<int> RunAsync(IServiceProvider services, CliArgs args, TextWriter output) => PurgeAsync(services, args, output, dryRun: false);

    public static Task<int> PreviewAsync(IServiceProvider services, CliArgs args, TextWriter output) => PurgeAsync(services, args, output, dryRun: true);

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
