using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NagrywanieRozmow.Features.Ingestion;

namespace NagrywanieRozmow.Tests.Shared.Telemetry;

/// <summary>
/// The app with ingestion folders of its own (the spool not watched: tests ingest its files themselves), a 90-day
/// retention default, the app's logs captured from Information up, and the given OpenTelemetry settings.
/// </summary>
public sealed class TelemetryApp(IDictionary<string, string?>? telemetry = null) : AppFactory
{
    public string Spool => Path.Combine(Root, "spool");
    public CapturingLoggerProvider Logs { get; } = new();

    /// <summary>A sample from the FreePBX spool the tests ship (shared/samples/freepbx-spool).</summary>
    public static string Sample(string relative) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "freepbx-spool", "monitor", relative);

    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = new Dictionary<string, string?>
            {
                ["Ingestion:Watch"] = "false",
                ["Ingestion:CdrCsvPath"] = Path.Combine(Root, "cdr", "Master.csv"),
                ["Ingestion:SettleSeconds"] = "0",
                ["Ingestion:QuarantinePath"] = Path.Combine(Root, "quarantine"),
                ["Ingestion:StagingPath"] = Path.Combine(Root, "incoming"),
                ["Retention:DefaultDays"] = "90",
                ["Retention:BatchPauseMs"] = "0",
            };
            foreach (var (key, value) in telemetry ?? new Dictionary<string, string?>()) settings[key] = value;
            return settings;
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(l => l.AddProvider(Logs).AddFilter<CapturingLoggerProvider>("NagrywanieRozmow", LogLevel.Information));
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>A copy of the file in the spool's day folder, last written <paramref name="landedAgo"/> before now.</summary>
    public string Drop(string name, byte[] content, TimeSpan landedAgo, string day = "2026/11/16")
    {
        var path = Path.Combine(Spool, day, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - landedAgo);
        return path;
    }

    public Task<IngestResult> IngestAsync(string path) => Get<RecordingIngestor>().IngestFileAsync(path, CancellationToken.None);
}
