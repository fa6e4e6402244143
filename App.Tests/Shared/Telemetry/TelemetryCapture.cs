using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using NagrywanieRozmow.Shared.Telemetry;

namespace NagrywanieRozmow.Tests.Shared.Telemetry;

public sealed record Measured(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags);

/// <summary>
/// Listens to the app's own Meter and ActivitySource in this process, as an exporter would, from its creation to its
/// disposal. Test collections run one after another, so what it hears comes from the test that made it.
/// </summary>
public sealed class TelemetryCapture : IDisposable
{
    private readonly MeterListener meters = new();
    private readonly ActivityListener spans;

    public ConcurrentQueue<Measured> Measurements { get; } = new();
    public ConcurrentQueue<Activity> Spans { get; } = new();

    public TelemetryCapture()
    {
        meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == AppTelemetry.Name) listener.EnableMeasurementEvents(instrument);
        };
        meters.SetMeasurementEventCallback<long>((i, value, tags, _) => Add(i, value, tags));
        meters.SetMeasurementEventCallback<double>((i, value, tags, _) => Add(i, value, tags));
        meters.Start();
        spans = new ActivityListener
        {
            ShouldListenTo = source => source.Name == AppTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Spans.Enqueue,
        };
        ActivitySource.AddActivityListener(spans);
    }

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>();
        foreach (var tag in tags) copy[tag.Key] = tag.Value;
        Measurements.Enqueue(new Measured(instrument.Name, value, copy));
    }

    /// <summary>Asks the observable instruments (the job queue gauge) for their figures now.</summary>
    public void Observe() => meters.RecordObservableInstruments();

    public List<Measured> Of(string instrument) => Measurements.Where(m => m.Instrument == instrument).ToList();

    public List<Activity> SpansNamed(string name) => Spans.Where(s => s.OperationName == name).ToList();

    /// <summary>Every tag value heard, of measurements and spans alike, as text.</summary>
    public IEnumerable<string> AllTagValues() =>
        Measurements.SelectMany(m => m.Tags.Values).Concat(Spans.SelectMany(s => s.TagObjects.Select(t => t.Value)))
            .Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? "");

    public void Dispose()
    {
        meters.Dispose();
        spans.Dispose();
    }
}

/// <summary>Keeps what the app logs (message and structured values), from Information up for the app's own categories.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<(LogLevel Level, string Category, string Message, string Values)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" | ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            owner.Entries.Enqueue((logLevel, category, formatter(state, exception), values));
        }
    }
}
