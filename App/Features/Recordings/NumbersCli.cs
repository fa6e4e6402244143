using System.Diagnostics;
using NagrywanieRozmow.Shared.Cli;

namespace NagrywanieRozmow.Features.Recordings;

internal static class NumbersCli
{
    /// <summary>
    /// `numbers renormalize [--from-start] [--batch N]`: runs the re-normalisation in the foreground (resuming an interrupted
    /// run), printing progress about once a second and a summary.
    /// </summary>
    public static async Task<int> RenormalizeAsync(IServiceProvider services, CliArgs args, TextWriter output)
    {
        var fromStart = args.Flag("from-start");
        var batch = args.Int("batch", NumberRenormalizationJob.DefaultBatchSize, 1, 100_000);
        args.RejectUnknown();
        var numbers = services.GetRequiredService<NumberNormalizer>();
        await output.WriteLineAsync($"Settings: region {numbers.Region}, outside-line prefixes [{string.Join(", ", numbers.OutsideLinePrefixes)}].");
        var watch = Stopwatch.StartNew();
        var printed = TimeSpan.Zero;
        var result = await services.GetRequiredService<NumberRenormalizationJob>().RenormalizeAsync(batch, fromStart, new Printer(p =>
        {
            if (p.Done || watch.Elapsed - printed < TimeSpan.FromSeconds(1)) return;
            printed = watch.Elapsed;
            output.WriteLine($"  walked {p.Walked:N0}, rewritten {p.Changed:N0} (up to id {p.LastId})");
        }), CancellationToken.None);
        await output.WriteLineAsync(result.Walked == 0 && result.Changed == 0
            ? "Nothing to do: the stored numbers were already normalised with these settings (--from-start walks them anyway)."
            : $"Done in {watch.Elapsed.TotalSeconds:0.0} s: walked {result.Walked:N0} recordings, rewrote the numbers of {result.Changed:N0}.");
        return 0;
    }

    /// <summary>Reports on the caller's thread, unlike Progress&lt;T&gt;, so lines come out in order before the summary.</summary>
    private sealed class Printer(Action<WalkProgress> print) : IProgress<WalkProgress>
    {
        public void Report(WalkProgress value) => print(value);
    }
}
