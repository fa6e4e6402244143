using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Tests.Features.Playback;

/// <summary>A GSM call (WAV49 or raw .gsm) needs ffmpeg to play: without it the audio endpoint says so, in Polish, with the fix.</summary>
public sealed class GsmWithoutFfmpegTests(GsmWithoutFfmpegTests.App app) : IClassFixture<GsmWithoutFfmpegTests.App>
{
    public sealed class App : AppFactory
    {
        protected override IDictionary<string, string?> Settings => MediaSettings.Missing(Root);
    }

    private async Task<Recording> AddAsync(string codec, string format, int channels = 1)
    {
        var row = TestData.Recording(format: format);
        row.Codec = codec;
        row.Channels = channels;
        // Never decoded here: the answer must come before anything reads the bytes.
        var audio = new byte[33 * 50];
        await app.Store.SaveAsync(row.StorageKey, new MemoryStream(audio), CancellationToken.None);
        return await TestData.AddAsync(app, row);
    }

    [Theory]
    [InlineData("gsm_ms", "wav49")]
    [InlineData("gsm", "gsm")]
    public async Task The_audio_endpoint_answers_a_problem_saying_in_polish_that_ffmpeg_is_missing_and_how_to_install_it(string codec, string format)
    {
        var recording = await AddAsync(codec, format);

        var response = await app.ClientAs(Roles.ComplaintHandler).GetAsync($"/api/v1/recordings/{recording.Id}/audio");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(
            "Tego nagrania (GSM) nie można odtworzyć: na serwerze brakuje programu ffmpeg. Administrator może go doinstalować (apt-get install ffmpeg).",
            problem.GetProperty("detail").GetString());
        Assert.Equal("ffmpeg", problem.GetProperty("missing").GetString());
        // Nothing was heard: no listening in the audit log.
        Assert.Equal(0, await app.WithDbAsync(db => db.AuditLog.CountAsync(a => a.RecordingId == recording.Id && a.Action == AuditActions.Listen)));
    }

    [Fact]
    public async Task A_pcm_call_plays_without_ffmpeg()
    {
        var recording = await TestData.AddWithAudioAsync(app, TestData.Recording(durationSeconds: 2));

        var response = await app.ClientAs(Roles.ComplaintHandler).GetAsync($"/api/v1/recordings/{recording.Id}/audio");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("audio/wav", response.Content.Headers.ContentType!.MediaType);
    }
}
