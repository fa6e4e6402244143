using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace NagrywanieRozmow.Tests.Features.Webhooks;

/// <summary>One request as the receiver got it, with whether its signature verified (StandardWebhooks package, not the app's code).</summary>
public sealed record ReceivedWebhook(string MessageId, string Timestamp, string Body, bool Verified, string? Problem, int Answered)
{
    public JsonElement Root => JsonDocument.Parse(Body).RootElement;
    public string Type => Root.GetProperty("type").GetString()!;
    public JsonElement Data => Root.GetProperty("data");
    public long RecordingId => Data.GetProperty("recordingId").GetInt64();
}

/// <summary>
/// A real HTTP receiver on a free loopback port (Kestrel): verifies each request's Standard Webhooks signature with the
/// secret it is given, answers what <see cref="Answer"/> says (after <see cref="Delay"/>), and keeps everything it got.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<ReceivedWebhook> received = new();
    private int inFlight;

    private WebhookReceiver(WebApplication app) => this.app = app;

    public string Url { get; private set; } = "";

    /// <summary>The endpoint's signing secret (known once the endpoint is registered, after the receiver is up).</summary>
    public string? Secret { get; set; }

    /// <summary>The status to answer the n-th request (1-based) carrying a given message id; 200 by default.</summary>
    public Func<string, int, int> Answer { get; set; } = (_, _) => 200;

    /// <summary>How long each request is held before it is answered (a slow receiver).</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Requests being held right now.</summary>
    public int InFlight => Volatile.Read(ref inFlight);

    public IReadOnlyList<ReceivedWebhook> Received => received.ToArray();

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", receiver.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver.Url = address.TrimEnd('/') + "/hook";
        return receiver;
    }

    private async Task<IResult> HandleAsync(HttpRequest request)
    {
        Interlocked.Increment(ref inFlight);
        try
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            var id = request.Headers["webhook-id"].ToString();
            var (verified, problem) = Verify(body, request.Headers);
            var nth = received.Count(r => r.MessageId == id) + 1;
            var status = verified ? Answer(id, nth) : 401;
            received.Enqueue(new ReceivedWebhook(id, request.Headers["webhook-timestamp"].ToString(), body, verified, problem, status));
            if (Delay > TimeSpan.Zero) await Task.Delay(Delay);
            return Results.Text(status == 200 ? "ok" : "boom", statusCode: status);
        }
        finally
        {
            Interlocked.Decrement(ref inFlight);
        }
    }

    private (bool, string?) Verify(string body, IHeaderDictionary headers)
    {
        if (Secret is null) return (false, "no secret yet");
        try
        {
            new StandardWebhook(Secret).Verify(body, headers);
            return (true, null);
        }
        catch (WebhookVerificationException e)
        {
            return (false, e.Message);
        }
    }

    /// <summary>Waits until <paramref name="done"/> holds for what was received; fails with what was received otherwise.</summary>
    public async Task WaitForAsync(Func<IReadOnlyList<ReceivedWebhook>, bool> done, TimeSpan timeout, string what)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (!done(Received))
        {
            if (cts.IsCancellationRequested)
                throw new Xunit.Sdk.XunitException($"Waited {timeout.TotalSeconds} s for {what}; received {Received.Count}:\n"
                    + string.Join('\n', Received.Select(r => $"{r.MessageId} {r.Answered} {r.Body}")));
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
