using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Features.Ingestion;

namespace NagrywanieRozmow.Tests.Features.Ingestion;

/// <summary>
/// The app with a spool, a CDR file, quarantine and staging folders of its own, and a 1 MB size limit. Unless
/// <paramref name="watched"/> (or <paramref name="swept"/>: configured, not watched), the spool is not configured, so tests
/// ingest its files themselves without the watcher racing them.
/// </summary>
public sealed class IngestionApp(bool watched = false, int settleSeconds = 0, bool swept = false, string? cdrTimeZone = null) : AppFactory
{
    public string Spool => Path.Combine(Root, "spool");
    public string Quarantine => Path.Combine(Root, "quarantine");
    public string Cdr => Path.Combine(Root, "cdr", "Master.csv");

    /// <summary>Settings of the test's own on top of these (e.g. Media:FfprobePath).</summary>
    public IReadOnlyDictionary<string, string?> More { get; init; } = new Dictionary<string, string?>();

    protected override IDictionary<string, string?> Settings => With(More, new Dictionary<string, string?>
    {
        ["Ingestion:SpoolPath"] = watched || swept ? Spool : null,
        ["Ingestion:Watch"] = watched ? "true" : "false",
        ["Ingestion:CdrCsvPath"] = Cdr,
        ["Ingestion:SettleSeconds"] = settleSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Ingestion:QuarantinePath"] = Quarantine,
        ["Ingestion:StagingPath"] = Path.Combine(Root, "incoming"),
        ["Ingestion:MaxFileSizeMb"] = "1",
        ["Ingestion:CdrTimeZone"] = cdrTimeZone,
    });

    private static Dictionary<string, string?> With(IReadOnlyDictionary<string, string?> more, Dictionary<string, string?> settings)
    {
        foreach (var (key, value) in more) settings[key] = value;
        return settings;
    }

    public override Task InitializeAsync()
    {
        Directory.CreateDirectory(Spool);
        Directory.CreateDirectory(Path.GetDirectoryName(Cdr)!);
        return base.InitializeAsync();
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>A file in the spool's day folder, written a minute ago (settled).</summary>
    public string Drop(string name, byte[] content, string day = "2026/11/16")
    {
        var path = Path.Combine(Spool, day, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(-1));
        return path;
    }

    public Task<IngestResult> IngestAsync(string path) => Get<RecordingIngestor>().IngestFileAsync(path, CancellationToken.None);

    /// <summary>Every file a sweep or the watcher queued has been decided (its job ran), so what is stored is final.</summary>
    public Task DrainedAsync() => EventuallyAsync(() => Task.FromResult(Get<IngestionQueue>().Pending == 0), "the queued spool files are decided");

    /// <summary>Waits (up to 30 s) for background jobs to bring the condition about.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Not within 30 s: {what}");
            await Task.Delay(100);
        }
    }
}
