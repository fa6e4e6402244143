using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace NagrywanieRozmow.Shared.Telemetry;

/// <summary>
/// Traces, metrics and logs over OTLP, only when an endpoint is configured: <c>OpenTelemetry:OtlpEndpoint</c> (with
/// <c>OpenTelemetry:OtlpProtocol</c>), or the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (and the other <c>OTEL_*</c>
/// variables, per-signal endpoints and headers included). Without one no OpenTelemetry SDK is registered at all: no
/// listener, so the app's spans are never created and its measurements cost a check of a flag.
/// </summary>
public static class TelemetryFeature
{
    public const string EndpointKey = "OpenTelemetry:OtlpEndpoint";
    public const string ProtocolKey = "OpenTelemetry:OtlpProtocol";

    private static readonly string[] StandardEndpointKeys =
        ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"];

    /// <summary>The same name Hangfire's server has, so a span, a log line and a job can be traced to one process.</summary>
    public static string InstanceId => $"{Environment.MachineName}:{Environment.ProcessId}";

    public static IHostApplicationBuilder AddTelemetry(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var endpoint = configuration[EndpointKey];
        if (string.IsNullOrWhiteSpace(endpoint) && !StandardEndpointKeys.Any(k => !string.IsNullOrWhiteSpace(configuration[k])))
            return builder;

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r
                .AddService(AppTelemetry.Name, serviceVersion: AppTelemetry.Version, serviceInstanceId: InstanceId, autoGenerateServiceInstanceId: false)
                .AddAttributes([new("deployment.environment.name", builder.Environment.EnvironmentName)]))
            .WithTracing(tracing => tracing
                .AddSource(AppTelemetry.Source.Name)
                // Npgsql traces its commands itself (SQL text, never parameter values); EF Core and SQLite have no stable
                // instrumentation, so on SQLite a search or an ingestion is one span of ours with its HTTP parent.
                .AddSource("Npgsql")
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/health")
                    && !http.Request.Path.StartsWithSegments("/_framework") && !http.Request.Path.StartsWithSegments("/_content"))
                .AddHttpClientInstrumentation())
            .WithMetrics(metrics => metrics
                .AddMeter(AppTelemetry.Meter.Name)
                .AddMeter("Npgsql")
                .AddMeter("Microsoft.AspNetCore.Components.Server.Circuits")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation())
            .WithLogging(configureBuilder: null, configureOptions: o =>
            {
                o.IncludeFormattedMessage = true;
                o.IncludeScopes = true;
            });

        if (string.IsNullOrWhiteSpace(endpoint)) otel.UseOtlpExporter();
        else otel.UseOtlpExporter(ProtocolOf(configuration[ProtocolKey] ?? configuration["OTEL_EXPORTER_OTLP_PROTOCOL"]), new Uri(endpoint, UriKind.Absolute));
        return builder;
    }

    private static OtlpExportProtocol ProtocolOf(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        null or "" or "grpc" => OtlpExportProtocol.Grpc,
        "http/protobuf" or "httpprotobuf" => OtlpExportProtocol.HttpProtobuf,
        _ => throw new InvalidOperationException($"{ProtocolKey} (or OTEL_EXPORTER_OTLP_PROTOCOL) is '{name}'; use grpc or http/protobuf."),
    };
}
