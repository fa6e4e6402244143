using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Features.Transcripts;

namespace NagrywanieRozmow.Tests.Features.Transcripts;

/// <summary>
/// Transcription through a real local server that speaks the OpenAI-compatible protocol: an uploaded stereo call is
/// transcribed per channel by the rule, masked, stored with its provider and found by what was said; a provider that fails
/// leaves the reason on the request.
/// </summary>
public sealed class TranscriptionTests : IAsyncLifetime
{
    private sealed class TranscribingApp(string url, int maxAttempts) : AppFactory
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Transcription:Provider"] = "OpenAiCompatible", ["Transcription:BaseUrl"] = url, ["Transcription:ApiKey"] = "sk-local",
            ["Transcription:Model"] = "ggml-small", ["Transcription:MaxAttempts"] = maxAttempts.ToString(),
        };
    }

    private WhisperProtocolServer server = default!;
    private TranscribingApp app = default!;

    public async Task InitializeAsync()
    {
        server = await WhisperProtocolServer.StartAsync();
        app = new TranscribingApp(server.Url, maxAttempts: 1);
        await app.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)app).DisposeAsync();
        await server.DisposeAsync();
    }

    /// <summary>Two seconds of 16-bit stereo: a tone on the left (the caller), another on the right (the callee).</summary>
    private static byte[] StereoWav()
    {
        const int rate = 8000, frames = 2 * rate;
        using var ms = new MemoryStream();
        using var w = new BinaryWriter(ms);
        w.Write("RIFF"u8); w.Write(36 + frames * 4); w.Write("WAVE"u8);
        w.Write("fmt "u8); w.Write(16); w.Write((short)1); w.Write((short)2); w.Write(rate); w.Write(rate * 4); w.Write((short)4); w.Write((short)16);
        w.Write("data"u8); w.Write(frames * 4);
        for (var i = 0; i < frames; i++)
        {
            w.Write((short)(Math.Sin(2 * Math.PI * 440 * i / rate) * 8000));
            w.Write((short)(Math.Sin(2 * Math.PI * 660 * i / rate) * 8000));
        }
        w.Flush();
        return ms.ToArray();
    }

    private async Task<long> UploadAsync()
    {
        var ingest = await app.KeyClientAsync(ApiKeyScopes.Ingest);
        var form = new MultipartFormDataContent();
        form.Add(new StringContent(JsonSerializer.Serialize(new
        {
            callId = "1794816902.7", startedAt = "2026-11-16T08:15:02Z", callerNumber = "+48 601 234 567", calleeNumber = "201", extension = "201",
            type = "Incoming", team = "Reklamacje",
        }), System.Text.Encoding.UTF8, "application/json"), "metadata");
        var audio = new ByteArrayContent(StereoWav());
        audio.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        form.Add(audio, "audio", "call.wav");
        var response = await ingest.PostAsync("/api/v1/recordings", form);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    private async Task<TranscriptionRequest> SettledAsync(long id)
    {
        for (var i = 0; i < 300; i++)
        {
            var request = await app.WithDbAsync(db => db.Set<TranscriptionRequest>().AsNoTracking().FirstOrDefaultAsync(r => r.RecordingId == id));
            if (request is { State: not TranscriptionState.Pending }) return request;
            await Task.Delay(100);
        }
        throw new TimeoutException("The transcription did not finish within 30 s.");
    }

    [Fact]
    public async Task An_uploaded_stereo_call_is_transcribed_per_channel_masked_stored_with_its_provider_and_found_by_what_was_said()
    {
        server.Answers.Add([(0.0, 2.1, "Dzień dobry, dzwonię w sprawie reklamacji."), (2.4, 4.0, "Mój PESEL to 44051401359.")]);
        server.Answers.Add([(1.0, 1.8, "Rozumiem, sprawdzę zamówienie.")]);
        var id = await UploadAsync();

        Assert.Equal(TranscriptionState.Done, (await SettledAsync(id)).State);
        var transcript = await app.WithDbAsync(db => db.Transcripts.AsNoTracking().SingleAsync(t => t.RecordingId == id));
        Assert.Equal(("OpenAiCompatible", "ggml-small", "pl"), (transcript.Provider, transcript.Model, transcript.Language));
        Assert.Equal(
            [(0, 2_100, "caller", "Dzień dobry, dzwonię w sprawie reklamacji."), (1_000, 1_800, "callee", "Rozumiem, sprawdzę zamówienie."),
             (2_400, 4_000, "caller", "Mój PESEL to [PESEL].")],
            transcript.ReadSegments().Select(s => (s.StartMs, s.EndMs, s.Speaker, s.Text)).ToList());
        Assert.DoesNotContain("44051401359", transcript.Text + transcript.SearchText + transcript.Segments);

        // Each channel went as its own mono WAV, with the protocol's fields and the key.
        Assert.Equal(2, server.Calls.Count);
        Assert.All(server.Calls, c => Assert.Equal(("ggml-small", "pl", "verbose_json", "Bearer sk-local", (short)1), (c.Model, c.Language, c.Format, c.Authorization, (short)c.Channels)));
        var entry = Assert.Single(await app.WithDbAsync(db => db.AuditLog.Where(a => a.Action == AuditActions.TranscriptCreated).ToListAsync()));
        Assert.Equal(id, entry.RecordingId);
        Assert.Contains("\"provider\":\"OpenAiCompatible\"", entry.Details);

        var found = await app.ClientAs(Roles.ComplaintHandler).GetFromJsonAsync<JsonElement>("/api/v1/recordings?text=reklamacja");
        Assert.Equal([id], found.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
    }

    [Fact]
    public async Task A_failing_provider_leaves_its_answer_on_the_request_and_a_person_can_ask_again()
    {
        server.Status = 503;
        var id = await UploadAsync();
        var failed = await SettledAsync(id);
        Assert.Equal(TranscriptionState.Failed, failed.State);
        Assert.Contains("503", failed.Error);
        Assert.Contains("model not loaded", failed.Error);
        Assert.False(await app.WithDbAsync(db => db.Transcripts.AnyAsync(t => t.RecordingId == id)));
        var transcriptions = app.Services.GetRequiredService<Transcriptions>();
        Assert.Equal((0, 0, 1), ((await transcriptions.ProgressAsync()).Waiting, (await transcriptions.ProgressAsync()).Done, (await transcriptions.ProgressAsync()).Failed));

        // The provider is back: asking again (audited) transcribes it.
        server.Status = 200;
        server.Answers.Add([(0.0, 1.0, "Halo?")]);
        server.Answers.Add([(0.5, 1.5, "Słucham.")]);
        var person = TestAuth.Principal("jakosc@example.com", Roles.QualityManager);
        Assert.Null(await transcriptions.RequestAsync(id, person, new AuditActor("jakosc@example.com", null)));
        Assert.Equal(TranscriptionState.Done, (await SettledAsync(id)).State);
        Assert.Single(await app.WithDbAsync(db => db.AuditLog.Where(a => a.Action == AuditActions.TranscriptRequested && a.RecordingId == id).ToListAsync()));
        // Outside the person's scope the call does not exist.
        Assert.Equal("Recording_NotFound", (await transcriptions.RequestAsync(id, TestAuth.Principal("x@example.com", Roles.QualityManager, "Sprzedaż"),
            new AuditActor("x@example.com", null)))!.Key);
    }
}
