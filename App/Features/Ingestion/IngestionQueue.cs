using System.Collections.Concurrent;

namespace NagrywanieRozmow.Features.Ingestion;

/// <summary>
/// What this process has queued and what the last sweep saw: the Ingestion page's backlog. Only a hint for the page and
/// a guard against queueing a file twice; the truth about what is done lives in the IngestedFiles table.
/// </summary>
public sealed class IngestionQueue
{
    private readonly ConcurrentDictionary<string, byte> pending = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, byte> waitingForFfmpeg = new(StringComparer.Ordinal);

    public int Pending => pending.Count;

    /// <summary>Spool files (MP3, Ogg) that stay in the spool until ffprobe is there to read them.</summary>
    public int WaitingForFfmpeg => waitingForFfmpeg.Count;

    internal IReadOnlyCollection<string> WaitingForFfmpegPaths => (IReadOnlyCollection<string>)waitingForFfmpeg.Keys;
    public int WaitingToSettle { get; internal set; }
    public DateTime? LastSweepAt { get; internal set; }

    /// <summary>Set while the store's disk is full (when it was seen, and the message); cleared by the next file stored.</summary>
    public (DateTime At, string Message)? StoreFull { get; internal set; }

    internal bool TryQueue(string path) => pending.TryAdd(path, 0);

    internal void Decided(string path, IngestResult result)
    {
        if (result.WaitsForFfmpeg) waitingForFfmpeg[path] = 0;
        else waitingForFfmpeg.TryRemove(path, out _);
    }

    internal void Done(string path) => pending.TryRemove(path, out _);
}
