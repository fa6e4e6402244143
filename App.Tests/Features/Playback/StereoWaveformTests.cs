using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Features.Playback;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Tests.Features.Playback;

public sealed class StereoWaveformTests(AppFactory app) : IClassFixture<AppFactory>
{
    private readonly HttpClient handler = app.ClientAs(Roles.ComplaintHandler);

    private async Task<Recording> AddAsync(byte[] audio, int seconds, int channels)
    {
        var row = TestData.Recording(durationSeconds: seconds);
        row.Channels = channels;
        row.SizeBytes = audio.Length;
        await app.Store.SaveAsync(row.StorageKey, new MemoryStream(audio), CancellationToken.None);
        return await TestData.AddAsync(app, row);
    }

    private static List<double> Numbers(JsonElement array) => array.EnumerateArray().Select(p => p.GetDouble()).ToList();

    [Fact]
    public async Task A_stereo_recording_has_one_waveform_per_side_and_each_follows_its_own_audio()
    {
        // The caller (left) speaks for the first 2 s, the callee (right) answers in the last 2 s.
        var row = await AddAsync(StereoWav.Make(4, t => t < 2, t => t >= 2), seconds: 4, channels: 2);

        var response = await handler.GetAsync($"/api/v1/recordings/{row.Id}/waveform");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        var channels = json.GetProperty("channels").EnumerateArray().Select(Numbers).ToList();
        Assert.Equal(2, channels.Count);
        Assert.All(channels, c => Assert.Equal(Waveform.Buckets, c.Count));
        var (caller, callee) = (channels[0], channels[1]);
        Assert.True(caller.Take(450).Min() > 0.1, "the caller is loud while speaking");
        Assert.True(caller.Skip(550).Max() < 0.01, "the caller is flat while listening");
        Assert.True(callee.Take(450).Max() < 0.01, "the callee is flat while listening");
        Assert.True(callee.Skip(550).Min() > 0.1, "the callee is loud while answering");

        // The one-lane summary (the field older players read) is the louder side of each moment.
        var peaks = Numbers(json.GetProperty("peaks"));
        Assert.Equal(Waveform.Buckets, peaks.Count);
        Assert.Equal(caller.Zip(callee, Math.Max), peaks);

        var stored = await app.WithDbAsync(db => db.Waveforms.AsNoTracking().SingleAsync(w => w.RecordingId == row.Id));
        Assert.Equal(2 * Waveform.Buckets, stored.Peaks.Length);
    }

    [Fact]
    public async Task A_silent_right_channel_is_drawn_flat_beside_a_loud_left_one()
    {
        var row = await AddAsync(StereoWav.LeftOnly(3), seconds: 3, channels: 2);
        var json = await handler.GetFromJsonAsync<JsonElement>($"/api/v1/recordings/{row.Id}/waveform");
        var channels = json.GetProperty("channels").EnumerateArray().Select(Numbers).ToList();
        Assert.Equal(2, channels.Count);
        Assert.True(channels[0].Take(990).Min() > 0.1);
        Assert.Equal(0, channels[1].Max());
    }

    [Fact]
    public async Task A_mono_recording_still_has_one_channel_equal_to_its_peaks()
    {
        var row = await AddAsync(TestData.Wav(3), seconds: 3, channels: 1);
        var json = await handler.GetFromJsonAsync<JsonElement>($"/api/v1/recordings/{row.Id}/waveform");
        var channels = json.GetProperty("channels").EnumerateArray().Select(Numbers).ToList();
        var only = Assert.Single(channels);
        Assert.Equal(Numbers(json.GetProperty("peaks")), only);
        Assert.Equal(Waveform.Buckets, only.Count);
        Assert.True(only.Take(990).Min() > 0.1);
        var stored = await app.WithDbAsync(db => db.Waveforms.AsNoTracking().SingleAsync(w => w.RecordingId == row.Id));
        Assert.Equal(Waveform.Buckets, stored.Peaks.Length);
    }

    [Fact]
    public async Task A_mono_row_stored_before_stereo_existed_reads_as_one_channel()
    {
        var row = await TestData.AddAsync(app, TestData.Recording(durationSeconds: 10));
        var peaks = Enumerable.Range(0, Waveform.Buckets).Select(i => (byte)(i % 256)).ToArray();
        await app.WithDbAsync(async db =>
        {
            db.Waveforms.Add(new RecordingWaveform { RecordingId = row.Id, DurationMs = 10_000, Peaks = peaks });
            await db.SaveChangesAsync();
        });
        var json = await handler.GetFromJsonAsync<JsonElement>($"/api/v1/recordings/{row.Id}/waveform");
        var only = Assert.Single(json.GetProperty("channels").EnumerateArray().Select(Numbers).ToList());
        Assert.Equal(peaks.Select(p => Math.Round(p / 255.0, 3)), only);
        Assert.Equal(10.0, json.GetProperty("durationSeconds").GetDouble());
    }
}
