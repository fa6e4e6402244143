using Hangfire;
using Microsoft.Extensions.Options;

namespace NagrywanieRozmow.Features.Ingestion;

/// <summary>Reads new CDR lines: every minute with the sweep, and at once when the watcher sees Master.csv grow.</summary>
public sealed class CdrTailJob(CdrStore cdr, IOptions<IngestionOptions> options)
{
    [AutomaticRetry(Attempts = 3)]
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public Task RunAsync(CancellationToken ct) => cdr.ReadNewAsync(options.Value.CdrCsvPath, ct);
}
