using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Features.Playback;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Shared.Media;
using NagrywanieRozmow.Tests.Shared.Media;

namespace NagrywanieRozmow.Tests.Features.Playback;

public sealed class RenditionsTests(AppFactory app) : IClassFixture<AppFactory>
{
    private Renditions Renditions => app.Services.GetRequiredService<Renditions>();

    private static string Spool(string file) => Path.Combine(AppContext.BaseDirectory, "Fixtures/freepbx-spool/monitor", file);

    private async Task<Recording> AddSpoolFileAsync(string file, string codec, string format, int seconds)
    {
        var row = TestData.Recording(durationSeconds: seconds, format: format);
        row.Codec = codec;
        await using (var bytes = File.OpenRead(Spool(file))) await app.Store.SaveAsync(row.StorageKey, bytes, CancellationToken.None);
        return await TestData.AddAsync(app, row);
    }

    private Task<RecordingWaveform?> StoredWaveformAsync(long id) =>
        app.WithDbAsync(db => db.Waveforms.AsNoTracking().FirstOrDefaultAsync(w => w.RecordingId == id));

    [Theory]
    [InlineData("2026/11/17/q-400-48698765432-20261117-083012-1794900612.6.WAV", "gsm_ms", "wav49", 61)]
    [InlineData("2026/11/16/in-221234500-48227654321-20261116-101130-1794820290.4.wav", "pcm_mulaw", "wav", 75)]
    public async Task Preparing_a_recording_the_browser_cannot_play_makes_its_WAV_and_its_waveform_at_once(string file, string codec, string format, int seconds)
    {
        var row = await AddSpoolFileAsync(file, codec, format, seconds);
        Assert.False(await app.Store.ExistsAsync($"playable/{row.Id}.wav", CancellationToken.None));
        Assert.Null(await StoredWaveformAsync(row.Id));

        await Renditions.PrepareAsync(row, CancellationToken.None);

        await using (var playable = await app.Store.OpenReadAsync($"playable/{row.Id}.wav", CancellationToken.None))
        {
            Assert.NotNull(playable);
            var header = new byte[22];
            await playable.ReadExactlyAsync(header);
            Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(header, 0, 4));
            Assert.Equal(1, BitConverter.ToInt16(header, 20)); // PCM
        }
        Assert.Equal($"playable/{row.Id}.wav", await Renditions.PlayableKeyAsync(row, CancellationToken.None));
        var waveform = await StoredWaveformAsync(row.Id);
        Assert.NotNull(waveform);
        Assert.Equal(Waveform.Buckets, waveform.Peaks.Length);
        Assert.True(waveform.Peaks.Max() > 25, "the speech in the recording shows in its peaks");
    }

    [Fact]
    public async Task A_recording_the_browser_plays_gets_no_copy_but_its_waveform()
    {
        var row = await TestData.AddWithAudioAsync(app, TestData.Recording(durationSeconds: 2));
        await Renditions.PrepareAsync(row, CancellationToken.None);
        Assert.Equal(row.StorageKey, await Renditions.PlayableKeyAsync(row, CancellationToken.None));
        Assert.False(await app.Store.ExistsAsync($"playable/{row.Id}.wav", CancellationToken.None));
        Assert.NotNull(await StoredWaveformAsync(row.Id));
    }

    [Fact]
    public async Task Preparing_a_recording_whose_file_is_missing_does_not_throw_and_stores_nothing()
    {
        var gsm = TestData.Recording(format: "wav49");
        gsm.Codec = "gsm_ms";
        await TestData.AddAsync(app, gsm);
        var pcm = await TestData.AddAsync(app, TestData.Recording());

        await Renditions.PrepareAsync(gsm, CancellationToken.None);
        await Renditions.PrepareAsync(pcm, CancellationToken.None);

        Assert.False(await app.Store.ExistsAsync($"playable/{gsm.Id}.wav", CancellationToken.None));
        Assert.Null(await StoredWaveformAsync(gsm.Id));
        Assert.Null(await StoredWaveformAsync(pcm.Id));
        Assert.Null(await Renditions.WaveformAsync(pcm, CancellationToken.None));
        await Assert.ThrowsAsync<FileNotFoundException>(() => Renditions.PlayableKeyAsync(gsm, CancellationToken.None));
    }

    [Fact]
    public async Task Preparing_a_file_ffmpeg_cannot_read_is_logged_not_thrown()
    {
        var row = TestData.Recording(format: "wav49");
        row.Codec = "gsm_ms";
        await app.Store.SaveAsync(row.StorageKey, new MemoryStream("<html>this is not audio</html>"u8.ToArray()), CancellationToken.None);
        await TestData.AddAsync(app, row);

        await Renditions.PrepareAsync(row, CancellationToken.None);

        Assert.False(await app.Store.ExistsAsync($"playable/{row.Id}.wav", CancellationToken.None));
        await Assert.ThrowsAsync<NagrywanieRozmow.Shared.Media.FfmpegFailedException>(() => Renditions.PlayableKeyAsync(row, CancellationToken.None));
    }

    [Fact]
    public async Task Preparing_stops_when_cancelled()
    {
        var row = await AddSpoolFileAsync("2026/11/17/q-400-48698765432-20261117-083012-1794900612.6.WAV", "gsm_ms", "wav49", 61);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Renditions.PrepareAsync(row, new CancellationToken(canceled: true)));
    }

    /// <summary>A server without ffmpeg, for this test's own work only (tests beside it keep theirs).</summary>
    private static void WithoutFfmpeg() => Ffmpeg.Executable = Path.Combine(Path.GetTempPath(), $"no-ffmpeg-{Guid.NewGuid():N}");

    private async Task<Recording> AddRawAsync(string wavFixture, string format, string codec, int sampleRate)
    {
        var samples = await PcmSamples.StripHeaderAsync(PcmSamples.Spool(wavFixture));
        var row = TestData.Recording(format: format);
        (row.Codec, row.SampleRate, row.SizeBytes) = (codec, sampleRate, samples.Length);
        row.DurationMs = (int)(samples.Length * 1000L / (sampleRate * PcmDecoder.SampleBytes(codec)!.Value));
        await app.Store.SaveAsync(row.StorageKey, new MemoryStream(samples), CancellationToken.None);
        return await TestData.AddAsync(app, row);
    }

    [Theory]
    [InlineData(PcmSamples.MuLawWav, "wav", "pcm_mulaw", 8000)]
    [InlineData(PcmSamples.ALawWav, "wav", "pcm_alaw", 8000)]
    [InlineData(PcmSamples.MuLawWav, "ulaw", "pcm_mulaw", 8000)]
    [InlineData(PcmSamples.ALawWav, "alaw", "pcm_alaw", 8000)]
    [InlineData(PcmSamples.PcmWav, "sln", "pcm_s16le", 8000)]
    [InlineData(PcmSamples.PcmWav, "sln", "pcm_s16le", 16000)]
    public async Task Without_ffmpeg_a_PCM_or_G711_recording_still_gets_its_rendition_and_its_waveform(string fixture, string format, string codec, int sampleRate)
    {
        WithoutFfmpeg();
        var row = format == "wav" ? await AddSpoolFileAsync(fixture, codec, format, 75) : await AddRawAsync(fixture, format, codec, sampleRate);

        // A raw sln is pcm_s16le too, but with no header no browser plays it: it gets a WAV like the others.
        Assert.Equal($"playable/{row.Id}.wav", await Renditions.PlayableKeyAsync(row, CancellationToken.None));
        var waveform = await Renditions.WaveformAsync(row, CancellationToken.None);

        await using (var playable = await app.Store.OpenReadAsync($"playable/{row.Id}.wav", CancellationToken.None))
        {
            var rendition = await PcmDecoder.OpenWavAsync(playable!, CancellationToken.None);
            Assert.NotNull(rendition);
            Assert.Equal((1, sampleRate), (rendition.Channels, rendition.SampleRate));
            await using var original = await app.Store.OpenReadAsync(row.StorageKey, CancellationToken.None);
            var decoded = await PcmSamples.ReadAllAsync((await RecordingPcm.OpenAsync(row, original!, CancellationToken.None))!);
            PcmSamples.AssertSame(decoded, await PcmSamples.ReadAllAsync(rendition));
        }
        Assert.NotNull(waveform);
        Assert.Equal(Waveform.Buckets, waveform.Peaks.Length);
        Assert.True(waveform.Peaks.Max() > 25, "the speech in the recording shows in its peaks");
    }

    [Theory]
    [InlineData("2026/11/17/q-400-48698765432-20261117-083012-1794900612.6.WAV", "gsm_ms", "wav49")]
    [InlineData("2026/11/17/rg-600-48221112233-20261117-121500-1794914100.7.mp3", "mp3", "mp3")]
    public async Task Without_ffmpeg_GSM_and_MP3_are_the_ones_that_cannot_be_prepared(string file, string codec, string format)
    {
        WithoutFfmpeg();
        var row = await AddSpoolFileAsync(file, codec, format, 30);

        await Renditions.PrepareAsync(row, CancellationToken.None);

        Assert.Null(await StoredWaveformAsync(row.Id));
        await Assert.ThrowsAsync<FfmpegUnavailableException>(() => Renditions.WaveformAsync(row, CancellationToken.None));
    }

    [Fact]
    public async Task A_raw_GSM_file_is_handed_to_ffmpeg_as_GSM()
    {
        var raw = Path.Combine(Path.GetTempPath(), $"raw-{Guid.NewGuid():N}.gsm");
        try
        {
            await FfmpegReference.RunAsync("-i", Spool("2026/11/17/q-400-48698765432-20261117-083012-1794900612.6.WAV"),
                "-t", "5", "-ar", "8000", "-ac", "1", "-c:a", "libgsm", "-f", "gsm", "-y", raw);
            var row = TestData.Recording(format: "gsm", durationSeconds: 5);
            row.Codec = "gsm";
            await using (var bytes = File.OpenRead(raw)) await app.Store.SaveAsync(row.StorageKey, bytes, CancellationToken.None);
            await TestData.AddAsync(app, row);

            Assert.Equal($"playable/{row.Id}.wav", await Renditions.PlayableKeyAsync(row, CancellationToken.None));
            Assert.True((await Renditions.WaveformAsync(row, CancellationToken.None))!.Peaks.Max() > 25, "the speech in the recording shows in its peaks");
        }
        finally
        {
            File.Delete(raw);
        }
    }
}
