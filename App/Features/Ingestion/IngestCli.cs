using System.Diagnostics;
using Microsoft.Extensions.Options;
using NagrywanieRozmow.Shared.Cli;

namespace NagrywanieRozmow.Features.Ingestion;

internal static class IngestCli
{
    /// <summary>`ingest --path DIR`: one pass over a spool folder (and DIR/cdr-csv/Master.csv), with progress and a summary.</summary>
    public static async Task<int> RunAsync(IServiceProvider services, CliArgs args, TextWriter output)
    {
        var root = Path.GetFullPath(args.Required("path"));
        args.RejectUnknown();
        if (!Directory.Exists(root)) throw new CliException($"--path '{root}' is not a folder.");

        var ingestor = services.GetRequiredService<RecordingIngestor>();
        var cdrPath = Path.Combine(root, "cdr-csv", "Master.csv");
        var configured = services.GetRequiredService<IOptions<IngestionOptions>>().Value.CdrCsvPath;
        var cdr = await services.GetRequiredService<CdrStore>().ReadNewAsync(File.Exists(cdrPath) ? cdrPath : configured, CancellationToken.None);
        if (cdr.Rows > 0 || cdr.Problems > 0) await output.WriteLineAsync($"CDR: {cdr.Rows} new rows read, {cdr.Problems} lines skipped (listed on the Ingestion page).");

        var audited = await services.GetRequiredService<IngestionLedger>().AuditUnrecordedAsync(root, CancellationToken.None);
        if (audited > 0) await output.WriteLineAsync($"audit: {audited} recordings saved by an interrupted run got their recording.ingest entry now.");

        var counts = Enum.GetValues<IngestOutcome>().ToDictionary(o => o, _ => 0);
        var waitingForFfmpeg = 0;
        var watch = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        // No job server runs in this process and Hangfire's storage is in memory: a rendition job queued here would die with
        // it, so these recordings are prepared on first play, like an archive import.
        await foreach (var (file, result) in ingestor.IngestFilesAsync(SpoolScan.Candidates(root), preparePlayback: false, CancellationToken.None))
        {
            counts[result.Outcome]++;
            if (result.WaitsForFfmpeg) waitingForFfmpeg++;
            if (result.Outcome is IngestOutcome.Rejected or IngestOutcome.Unanswered)
                await output.WriteLineAsync($"{(result.Outcome == IngestOutcome.Rejected ? "rejected" : "unanswered")}: {Path.GetRelativePath(root, file)}: {result.Reason}");
            if (watch.Elapsed - lastReport > TimeSpan.FromSeconds(5))
            {
                lastReport = watch.Elapsed;
                await output.WriteLineAsync($"… {counts.Values.Sum()} files, {counts.Values.Sum() / watch.Elapsed.TotalSeconds:0} per second");
            }
        }
        var total = counts.Values.Sum();
        await output.WriteLineAsync(
            $"accepted {counts[IngestOutcome.Accepted]}, duplicate {counts[IngestOutcome.Duplicate]}, rejected {counts[IngestOutcome.Rejected]}, " +
            $"unanswered (header only) {counts[IngestOutcome.Unanswered]}" +
            (counts[IngestOutcome.Deferred] > waitingForFfmpeg ? $", changed while being read {counts[IngestOutcome.Deferred] - waitingForFfmpeg} (run again)" : "") +
            (waitingForFfmpeg > 0 ? $", MP3/Ogg waiting for ffmpeg {waitingForFfmpeg} (apt-get install ffmpeg, then run again)" : "") +
            $"; {total} files in {watch.Elapsed.TotalSeconds:0.0} s" +
            (total > 0 ? $" ({total / Math.Max(watch.Elapsed.TotalSeconds, 0.001):0} files/s)" : ""));
        return counts[IngestOutcome.Rejected] > 0 ? 3 : 0;
    }
}
