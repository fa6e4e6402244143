using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Features.Playback;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Shared.Time;

namespace NagrywanieRozmow.Tests.Features.Playback;

public sealed class PlaybackEndpointTests(AppFactory app) : IClassFixture<AppFactory>
{
    private readonly HttpClient handler = app.ClientAs(Roles.ComplaintHandler, email: "handler@example.com");

    private async Task<(Recording Row, byte[] Audio)> AddAsync(int seconds = 4)
    {
        var row = await TestData.AddWithAudioAsync(app, TestData.Recording(durationSeconds: seconds));
        await using var stored = await app.Store.OpenReadAsync(row.StorageKey, CancellationToken.None);
        using var copy = new MemoryStream();
        await stored!.CopyToAsync(copy);
        return (row, copy.ToArray());
    }

    private Task<int> AuditCountAsync(string action, long id) =>
        app.WithDbAsync(db => db.AuditLog.CountAsync(a => a.Action == action && a.RecordingId == id));

    [Fact]
    public async Task Audio_is_served_whole_or_by_range_and_a_bad_range_is_416()
    {
        var (row, audio) = await AddAsync();
        var whole = await handler.GetAsync($"/api/v1/recordings/{row.Id}/audio");
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal("bytes", whole.Headers.AcceptRanges.Single());
        Assert.Equal("audio/wav", whole.Content.Headers.ContentType!.MediaType);
        Assert.Equal(audio, await whole.Content.ReadAsByteArrayAsync());

        using var partial = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/recordings/{row.Id}/audio");
        partial.Headers.Range = new RangeHeaderValue(1000, 1999);
        var part = await handler.SendAsync(partial);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal($"bytes 1000-1999/{audio.Length}", part.Content.Headers.ContentRange!.ToString());
        Assert.Equal(audio[1000..2000], await part.Content.ReadAsByteArrayAsync());

        using var beyond = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/recordings/{row.Id}/audio");
        beyond.Headers.Range = new RangeHeaderValue(audio.Length + 10, audio.Length + 20);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, (await handler.SendAsync(beyond)).StatusCode);
    }

    [Fact]
    public async Task A_listening_is_audited_once_however_many_ranges_the_player_asks_for()
    {
        var (row, _) = await AddAsync();
        var session = Guid.NewGuid().ToString("N");
        for (var start = 0; start < 30_000; start += 10_000)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/recordings/{row.Id}/audio?session={session}");
            request.Headers.Range = new RangeHeaderValue(start, null);
            Assert.Equal(HttpStatusCode.PartialContent, (await handler.SendAsync(request)).StatusCode);
        }
        Assert.Equal(1, await AuditCountAsync(AuditActions.Listen, row.Id));
        await handler.GetAsync($"/api/v1/recordings/{row.Id}/audio?session={Guid.NewGuid():N}");
        Assert.Equal(2, await AuditCountAsync(AuditActions.Listen, row.Id));
        var entry = await app.WithDbAsync(db => db.AuditLog.FirstAsync(a => a.Action == AuditActions.Listen && a.RecordingId == row.Id));
        Assert.Equal("handler@example.com", entry.Actor);
    }

    [Fact]
    public async Task A_download_is_the_original_with_a_readable_name_and_is_audited()
    {
        var (row, audio) = await AddAsync();
        var response = await handler.GetAsync($"/api/v1/recordings/{row.Id}/download");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("2026-11-16_09-15_48601234567_to_201_incoming.wav", response.Content.Headers.ContentDisposition.FileNameStar);
        Assert.Equal("audio/wav", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(audio, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(1, await AuditCountAsync(AuditActions.Download, row.Id));
    }

    [Theory]
    [InlineData("+48 601-234-567", "anonymous", CallType.Queue, "in-400-x.WAV", "2026-11-16_09-15_+48601234567_to_anonymous_queue.WAV")]
    [InlineData("../../etc", "201", CallType.Outgoing, "a.mp3", "2026-11-16_09-15_etc_to_201_outgoing.mp3")]
    public void Download_names_are_readable_and_safe(string caller, string callee, CallType type, string original, string expected)
    {
        var r = TestData.Recording(caller: caller, callee: callee, type: type);
        r.OriginalFileName = original;
        Assert.Equal(expected, PlaybackEndpoints.DownloadName(r, new DisplayTime(TimeZoneInfo.FindSystemTimeZoneById("Europe/Warsaw"))));
    }

    [Fact]
    public async Task An_unknown_recording_or_a_missing_file_is_a_404_problem()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await handler.GetAsync("/api/v1/recordings/987654/audio")).StatusCode);
        var orphan = await TestData.AddAsync(app, TestData.Recording());
        foreach (var route in new[] { "audio", "download", "waveform" })
        {
            var response = await handler.GetAsync($"/api/v1/recordings/{orphan.Id}/{route}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Contains("missing", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Who_may_listen_and_who_may_download()
    {
        var (row, _) = await AddAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.AnonymousClient().GetAsync($"/api/v1/recordings/{row.Id}/audio")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientAs(Roles.Agent).GetAsync($"/api/v1/recordings/{row.Id}/audio")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.ClientAs(Roles.Compliance).GetAsync($"/api/v1/recordings/{row.Id}/audio")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientAs(Roles.Compliance).GetAsync($"/api/v1/recordings/{row.Id}/download")).StatusCode);
        Assert.Equal(0, await AuditCountAsync(AuditActions.Download, row.Id));
    }

    [Fact]
    public async Task A_GSM_recording_is_converted_once_into_WAV_the_browser_plays()
    {
        var bytes = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures/freepbx-spool/monitor/2026/11/17/q-400-48698765432-20261117-083012-1794900612.6.WAV"));
        var row = TestData.Recording(durationSeconds: 61, format: "wav49");
        row.Codec = "gsm_ms";
        await app.Store.SaveAsync(row.StorageKey, new MemoryStream(bytes), CancellationToken.None);
        await TestData.AddAsync(app, row);

        var response = await handler.GetAsync($"/api/v1/recordings/{row.Id}/audio");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var playable = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(playable, 0, 4));
        Assert.Equal(1, BitConverter.ToInt16(playable, 20)); // PCM
        Assert.InRange(playable.Length, 61 * 8000 * 2, 61 * 8000 * 2 + 2000);
        Assert.True(await app.Store.ExistsAsync($"playable/{row.Id}.wav", CancellationToken.None));

        // The original stays what it was, for evidence.
        var original = await (await handler.GetAsync($"/api/v1/recordings/{row.Id}/download")).Content.ReadAsByteArrayAsync();
        Assert.Equal(bytes, original);
    }

    [Fact]
    public async Task The_waveform_is_computed_once_and_follows_the_audio()
    {
        // 2 s of silence then 2 s of tone: the first half of the peaks is quiet, the second loud.
        var silence = TestData.Wav(2, frequency: 0);
        var tone = TestData.Wav(2);
        var audio = silence[..44].Concat(silence[44..]).Concat(tone[44..]).ToArray();
        BitConverter.GetBytes(audio.Length - 8).CopyTo(audio, 4);
        BitConverter.GetBytes(audio.Length - 44).CopyTo(audio, 40);
        var row = TestData.Recording(durationSeconds: 4);
        await app.Store.SaveAsync(row.StorageKey, new MemoryStream(audio), CancellationToken.None);
        await TestData.AddAsync(app, row);

        var first = await handler.GetFromJsonAsync<JsonElement>($"/api/v1/recordings/{row.Id}/waveform");
        var peaks = first.GetProperty("peaks").EnumerateArray().Select(p => p.GetDouble()).ToList();
        Assert.Equal(Waveform.Buckets, peaks.Count);
        Assert.Equal(4.0, first.GetProperty("durationSeconds").GetDouble());
        Assert.True(peaks.Take(450).Max() < 0.01, "the silent half is drawn flat");
        Assert.True(peaks.Skip(550).Min() > 0.1, "the tone is drawn loud");

        await app.Store.DeleteAsync(row.StorageKey, CancellationToken.None);
        var second = await handler.GetFromJsonAsync<JsonElement>($"/api/v1/recordings/{row.Id}/waveform");
        Assert.Equal(first.GetRawText(), second.GetRawText());
    }
}
