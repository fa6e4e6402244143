using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Features.Ingestion;
using NagrywanieRozmow.Features.Playback;

namespace NagrywanieRozmow.Tests.Features.Playback;

/// <summary>A recording taken in from the spool is ready to play: its browser rendition and waveform exist before anyone presses play.</summary>
public sealed class IngestionPreparesPlaybackTests(IngestionPreparesPlaybackTests.App app) : IClassFixture<IngestionPreparesPlaybackTests.App>
{
    private async Task<long> IngestAsync(string file)
    {
        var source = Path.Combine(AppContext.BaseDirectory, "Fixtures/freepbx-spool/monitor", file);
        var target = Path.Combine(app.Root, "spool", Guid.NewGuid().ToString("N"), Path.GetFileName(file));
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(source, target);
        File.SetLastWriteTimeUtc(target, DateTime.UtcNow.AddMinutes(-5));
        var result = await app.Services.GetRequiredService<RecordingIngestor>().IngestFileAsync(target, CancellationToken.None);
        Assert.Equal(IngestOutcome.Accepted, result.Outcome);
        var id = result.RecordingId!.Value;
        // Prepared by a job of its own, which the app's Hangfire server runs.
        await Tests.Features.Ingestion.IngestionApp.EventuallyAsync(() => app.WithDbAsync(db => db.Waveforms.AnyAsync(w => w.RecordingId == id)), "the waveform is stored");
        return id;
    }

    [Fact]
    public async Task A_mu_law_call_gets_its_WAV_and_waveform_when_it_is_ingested()
    {
        var id = await IngestAsync("2026/11/16/in-221234500-48227654321-20261116-101130-1794820290.4.wav");
        Assert.True(await app.Store.ExistsAsync($"playable/{id}.wav", CancellationToken.None));
        var waveform = await app.WithDbAsync(db => db.Waveforms.AsNoTracking().SingleAsync(w => w.RecordingId == id));
        Assert.Equal(Waveform.Buckets, waveform.Peaks.Length);
    }

    [Fact]
    public async Task A_stereo_call_gets_a_waveform_per_channel_when_it_is_ingested()
    {
        var id = await IngestAsync("2026/11/18/external-203-48601234567-20261118-150533-1795010733.10.wav");
        Assert.False(await app.Store.ExistsAsync($"playable/{id}.wav", CancellationToken.None)); // PCM: the original plays as it is
        var waveform = await app.WithDbAsync(db => db.Waveforms.AsNoTracking().SingleAsync(w => w.RecordingId == id));
        Assert.Equal(2 * Waveform.Buckets, waveform.Peaks.Length);
        // Two different voices: the sides are not copies of each other.
        Assert.NotEqual(waveform.Peaks[..Waveform.Buckets], waveform.Peaks[Waveform.Buckets..]);
    }

    public sealed class App : AppFactory
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Ingestion:QuarantinePath"] = Path.Combine(Root, "quarantine"),
        };
    }
}
