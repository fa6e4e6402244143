namespace NagrywanieRozmow.Shared.Jobs;

/// <summary>The Hangfire queues, in the order a server takes from them.</summary>
public static class JobQueues
{
    public const string Default = "default";

    /// <summary>
    /// The queue of this machine's spool jobs. With a server database every instance takes jobs from one shared queue, but
    /// a spool path (and the file a job names) is this machine's: its sweeps and file jobs must run here, not on another
    /// server that cannot see the file, would drop the job and leave the file unqueued until this instance restarts.
    /// </summary>
    public static readonly string Spool = SpoolFor(Environment.MachineName);

    /// <summary>A queue after ingestion's own: in a burst, recordings arrive first and get their waveforms after.</summary>
    public const string Playback = "playback";

    /// <summary>Webhook deliveries: ahead of waveforms, so a receiver hears of a change within seconds even during a burst.</summary>
    public const string Webhooks = "webhooks";

    public static readonly IReadOnlyList<string> All = [Default, Spool, Webhooks, Playback];

    /// <summary>Hangfire's queue names take lower-case letters, digits and underscores.</summary>
    public static string SpoolFor(string machine) =>
        "spool_" + new string(machine.ToLowerInvariant().Select(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') ? c : '_').ToArray());
}
