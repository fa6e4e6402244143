using Hangfire;
using NagrywanieRozmow.Shared.Storage;

namespace NagrywanieRozmow.Features.Ingestion;

/// <summary>One recording, as one Hangfire job: retried on failure, cancelled on shutdown, harmless when run twice.</summary>
public sealed class IngestFileJob(RecordingIngestor ingestor, IngestionQueue queue, TimeProvider time, ILogger<IngestFileJob> logger)
{
    [AutomaticRetry(Attempts = 5, DelaysInSeconds = [5, 30, 120, 600, 3600])]
    public async Task RunAsync(string path, CancellationToken ct)
    {
        try
        {
            if (!File.Exists(path))
            {
                queue.Decided(path, RecordingIngestor.Gone);
                return; // moved away (or quarantined) since it was queued
            }
            queue.Decided(path, await ingestor.IngestFileAsync(path, ct));
            queue.StoreFull = null;
        }
        catch (Exception e) when (StorageErrors.IsFull(e))
        {
            // The file stays where the PBX put it (the store's half-written copy is removed); the retries and the sweeps
            // take it once there is room. The Ingestion page says so.
            queue.StoreFull = (time.GetUtcNow().UtcDateTime, e.Message);
            logger.LogError("The recording store's disk is full ({Message}): {File} stays in the spool and is taken when there is room", e.Message, Path.GetFileName(path));
            throw;
        }
        finally
        {
            queue.Done(path);
        }
    }
}
