using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Shared.Telemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace NagrywanieRozmow.Tests.Shared.Telemetry;

/// <summary>Whether the OpenTelemetry SDK and its OTLP exporter are there depends on configuration alone.</summary>
public sealed class OtlpRegistrationTests
{
    private static async Task<(TracerProvider?, MeterProvider?, LoggerProvider?)> ProvidersAsync(Dictionary<string, string?> settings)
    {
        var app = new TelemetryApp(settings);
        try
        {
            await app.InitializeAsync();
            return (app.Services.GetService<TracerProvider>(), app.Services.GetService<MeterProvider>(), app.Services.GetService<LoggerProvider>());
        }
        finally
        {
            await ((IAsyncLifetime)app).DisposeAsync();
        }
    }

    [Fact]
    public async Task Without_an_endpoint_no_opentelemetry_provider_runs()
    {
        var (tracer, meter, logger) = await ProvidersAsync([]);
        Assert.Null(tracer);
        Assert.Null(meter);
        Assert.Null(logger);
    }

    [Fact]
    public async Task The_standard_OTEL_EXPORTER_OTLP_ENDPOINT_starts_all_three_signals()
    {
        // Port 9 (discard): nothing listens, and nothing is exported in this test anyway.
        var (tracer, meter, logger) = await ProvidersAsync(new() { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9" });
        Assert.NotNull(tracer);
        Assert.NotNull(meter);
        Assert.NotNull(logger);
    }
}

/// <summary>
/// A real export over OTLP/HTTP protobuf to a tiny receiver on a local port: traces, metrics and logs reach it from the
/// app configured with <c>OpenTelemetry:OtlpEndpoint</c>, and none of them holds the number that was searched for.
/// </summary>
public sealed class OtlpExportTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<(string Path, string ContentType, byte[] Body)> received = new();
    private WebApplication receiver = default!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        receiver = builder.Build();
        receiver.MapPost("/v1/{signal}", async (HttpContext http) =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body);
            received.Enqueue((http.Request.Path, http.Request.ContentType ?? "", body.ToArray()));
            // An empty protobuf message: an export response without partial-success details.
            return Results.Bytes([], "application/x-protobuf");
        });
        await receiver.StartAsync();
    }

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    private string Endpoint => receiver.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

    private List<byte[]> BodiesOf(string path) => received.Where(r => r.Path == path).Select(r => r.Body).ToList();

    private static bool Holds(byte[] body, string text) => body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;

    [Fact]
    public async Task Spans_metrics_and_logs_reach_an_otlp_http_receiver_without_the_searched_number()
    {
        var exported = new List<Activity>();
        var app = new ExportingApp(new Dictionary<string, string?>
        {
            [TelemetryFeature.EndpointKey] = Endpoint,
            [TelemetryFeature.ProtocolKey] = "http/protobuf",
        }, exported);
        try
        {
            await app.InitializeAsync();
            await TestData.AddAsync(app, TestData.Recording(caller: "48601234567"));
            var search = await app.ClientAs(Roles.ComplaintHandler).GetAsync("/api/v1/recordings?number=601234567");
            Assert.Equal(HttpStatusCode.OK, search.StatusCode);
            // A refused upload logs a warning: a log record to export.
            var uploader = await app.KeyClientAsync("ingest");
            var refused = await uploader.PostAsync("/api/v1/recordings", new StringContent("not multipart"));
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, refused.StatusCode);
            // What the batching exporters hold goes now, each waiting for its export to be answered.
            Assert.True(app.Services.GetRequiredService<TracerProvider>().ForceFlush(10_000));
            Assert.True(app.Services.GetRequiredService<MeterProvider>().ForceFlush(10_000));
            Assert.True(app.Services.GetRequiredService<LoggerProvider>().ForceFlush(10_000));
        }
        finally
        {
            await ((IAsyncLifetime)app).DisposeAsync();
        }

        // The ASP.NET Core span of the search keeps the query's names, not its values.
        var request = Assert.Single(exported, a => a.Source.Name == "Microsoft.AspNetCore" && (a.GetTagItem("url.query") as string ?? "").Contains("number"));
        Assert.Equal("?number=Redacted", request.GetTagItem("url.query"));
        Assert.Contains(exported, a => a.OperationName == "recordings.search" && a.Parent == request);

        Assert.All(received, r => Assert.Equal("application/x-protobuf", r.ContentType));
        var paths = string.Join(", ", received.Select(r => $"{r.Path} ({r.Body.Length} B)"));
        var traces = BodiesOf("/v1/traces");
        var metrics = BodiesOf("/v1/metrics");
        var logs = BodiesOf("/v1/logs");
        Assert.True(traces.Any(b => Holds(b, "recordings.search") && Holds(b, AppTelemetry.Name) && Holds(b, TelemetryFeature.InstanceId)), $"received: {paths}");
        Assert.Contains(metrics, b => Holds(b, "nagrywanie.search.duration") && Holds(b, "http.server.request.duration"));
        Assert.Contains(logs, b => Holds(b, "Upload refused"));
        Assert.DoesNotContain(received, r => Holds(r.Body, "601234567"));
    }

    private sealed class ExportingApp(IDictionary<string, string?> telemetry, List<Activity> exported) : AppFactory
    {
        protected override IDictionary<string, string?> Settings => telemetry;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(exported)));
        }
    }
}
