using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace NagrywanieRozmow.Tests.Features.Transcripts;

/// <summary>One request as the server got it: the form's fields and the audio's WAV header (channels, bytes).</summary>
public sealed record TranscriptionCall(string? Model, string? Language, string? Format, string? Authorization, int Channels, long AudioBytes);

/// <summary>
/// A real HTTP server on a free loopback port that speaks <c>POST /v1/audio/transcriptions</c> as whisper.cpp's server and
/// the OpenAI API do (multipart in, verbose_json segments with start/end in seconds out). It answers the n-th request with
/// <see cref="Answers"/>[n], or the status <see cref="Status"/> when that is not 200.
/// </summary>
public sealed class WhisperProtocolServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<TranscriptionCall> calls = new();
    private int count;

    private WhisperProtocolServer(WebApplication app) => this.app = app;

    public string Url { get; private set; } = "";
    public int Status { get; set; } = 200;
    public List<(double Start, double End, string Text)[]> Answers { get; } = [];
    public IReadOnlyList<TranscriptionCall> Calls => calls.ToArray();

    public static async Task<WhisperProtocolServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new WhisperProtocolServer(app);
        app.MapPost("/v1/audio/transcriptions", server.HandleAsync);
        await app.StartAsync();
        server.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return server;
    }

    private async Task<IResult> HandleAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        var file = form.Files["file"];
        var header = new byte[44];
        if (file is not null) await using (var s = file.OpenReadStream()) await s.ReadAtLeastAsync(header, 44, throwOnEndOfStream: false);
        calls.Enqueue(new TranscriptionCall(form["model"], form["language"], form["response_format"], request.Headers.Authorization.ToString(),
            BitConverter.ToInt16(header, 22), file?.Length ?? 0));
        if (Status != 200) return Results.Text("{\"error\":{\"message\":\"model not loaded\"}}", "application/json", statusCode: Status);
        var n = Interlocked.Increment(ref count) - 1;
        var segments = n < Answers.Count ? Answers[n] : [];
        return Results.Json(new
        {
            task = "transcribe", language = "polish", duration = segments.Length == 0 ? 0 : segments[^1].End,
            text = string.Join(' ', segments.Select(s => s.Text)),
            segments = segments.Select((s, i) => new { id = i, start = s.Start, end = s.End, text = " " + s.Text }),
        });
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
