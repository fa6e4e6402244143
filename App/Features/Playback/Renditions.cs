using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Shared.Media;
using NagrywanieRozmow.Shared.Storage;

namespace NagrywanieRozmow.Features.Playback;

/// <summary>
/// What the player needs besides the original: a rendition the browser can play and the waveform's peaks. Both are made once,
/// by the ingestion right after a recording is accepted, or on first play for a recording that never went through it.
/// </summary>
public sealed class Renditions(IRecordingStore store, IDbContextFactory<AppDbContext> dbs, ILogger<Renditions> logger)
{
    /// <summary>What every current browser plays as it is stored: a WAV of these codecs, MP3, and Ogg Opus or Vorbis.</summary>
    private static readonly HashSet<string> BrowserPlayableWav = ["pcm_s16le", "pcm_u8", "pcm_s24le", "pcm_f32le"];

    private readonly KeyedGate gates = new();

    /// <summary>Where a recording's rendition is kept (whether or not it was ever made): deleting a recording deletes it too.</summary>
    public static string RenditionKeyOf(long recordingId) => $"playable/{recordingId}.wav";

    /// <summary>Header-less files have the container and the codec to blame: a raw sln is pcm_s16le, but no browser plays it.</summary>
    public static bool BrowserPlays(Recording recording) => (recording.Format, recording.Codec) switch
    {
        ("wav", { } codec) => BrowserPlayableWav.Contains(codec),
        ("mp3", "mp3") => true,
        ("ogg", "opus" or "vorbis") => true,
        _ => false,
    };

    /// <summary>
    /// ffmpeg's input options for a stored original: a raw GSM file has no header to probe, so ffmpeg is told what it is.
    /// </summary>
    public static IReadOnlyList<string> FfmpegInput(Recording recording) =>
        recording.Format == "gsm" ? ["-f", "gsm", "-i", "pipe:0"] : ["-i", "pipe:0"];

    /// <summary>
    /// The original when the browser plays it; otherwise a 16-bit PCM WAV made once and kept beside it: decoded here for PCM
    /// and G.711, by ffmpeg for the rest (GSM, and whatever else came in).
    /// </summary>
    /// <exception cref="FileNotFoundException">The original is not in the store.</exception>
    /// <exception cref="FfmpegUnavailableException"/>
    /// <exception cref="FfmpegFailedException"/>
    public async Task<string> PlayableKeyAsync(Recording recording, CancellationToken ct)
    {
        if (BrowserPlays(recording)) return recording.StorageKey;
        var key = RenditionKeyOf(recording.Id);
        if (await store.ExistsAsync(key, ct)) return key;
        using var _ = await gates.EnterAsync(key, ct);
        if (await store.ExistsAsync(key, ct)) return key;
        await using var original = await store.OpenReadAsync(recording.StorageKey, ct) ?? throw new FileNotFoundException(recording.StorageKey);
        var temp = Path.GetTempFileName();
        try
        {
            if (await RecordingPcm.OpenAsync(recording, original, ct) is { } pcm)
            {
                await using var file = File.Create(temp);
                await WavWriter.WriteAsync(file, pcm, null, ct);
            }
            else
            {
                await Ffmpeg.RunAsync(["-v", "error", .. FfmpegInput(recording), "-c:a", "pcm_s16le", "-f", "wav", "pipe:1"], original, async (output, token) =>
                {
                    await using var file = File.Create(temp);
                    await output.CopyToAsync(file, token);
                }, TimeSpan.FromMinutes(5), ct);
            }
            await using var converted = File.OpenRead(temp);
            await store.SaveAsync(key, converted, ct);
        }
        finally
        {
            File.Delete(temp);
        }
        return key;
    }

    /// <summary>The stored peaks, or peaks computed now (per channel for a stereo recording) and stored; null when the audio file is missing.</summary>
    /// <exception cref="FfmpegUnavailableException"/>
    /// <exception cref="FfmpegFailedException"/>
    public async Task<RecordingWaveform?> WaveformAsync(Recording recording, CancellationToken ct)
    {
        if (await StoredWaveformAsync(recording.Id, ct) is { } stored) return stored;
        using var _ = await gates.EnterAsync($"waveform/{recording.Id}", ct);
        if (await StoredWaveformAsync(recording.Id, ct) is { } other) return other;
        byte[] peaks;
        await using (var audio = await store.OpenReadAsync(recording.StorageKey, ct))
        {
            if (audio is null) return null;
            peaks = await RecordingPcm.OpenAsync(recording, audio, ct) is { } pcm
                ? await Waveform.ComputeAsync(pcm, recording.DurationMs, ct)
                : await Waveform.ComputeAsync(audio, FfmpegInput(recording), recording.DurationMs, recording.Channels, ct);
        }
        var waveform = new RecordingWaveform { RecordingId = recording.Id, DurationMs = recording.DurationMs, Peaks = peaks };
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Waveforms.Add(waveform);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another instance of the app stored the same peaks a moment earlier.
        }
        return waveform;
    }

    /// <summary>
    /// Makes the rendition (where the browser needs one) and the waveform now, so the first play is instant. A recording
    /// that cannot be prepared is logged and left for the player to report; only cancellation escapes.
    /// </summary>
    public async Task PrepareAsync(Recording recording, CancellationToken ct)
    {
        try
        {
            await PlayableKeyAsync(recording, ct);
            if (await WaveformAsync(recording, ct) is null) throw new FileNotFoundException(recording.StorageKey);
        }
        catch (Exception e) when (e is FileNotFoundException or FfmpegUnavailableException or FfmpegFailedException)
        {
            logger.LogWarning("Recording {Id} could not be prepared for playback: {Reason}", recording.Id, e.Message);
        }
    }

    private async Task<RecordingWaveform?> StoredWaveformAsync(long recordingId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Waveforms.AsNoTracking().FirstOrDefaultAsync(w => w.RecordingId == recordingId, ct);
    }

    /// <summary>One piece of work per key at a time. A gate lives only while someone holds or waits for it, so preparing every ingested recording does not pile them up.</summary>
    private sealed class KeyedGate
    {
        private readonly Dictionary<string, Entry> entries = [];

        public async Task<IDisposable> EnterAsync(string key, CancellationToken ct)
        {
            Entry entry;
            lock (entries)
            {
                if (!entries.TryGetValue(key, out entry!)) entries[key] = entry = new Entry();
                entry.Users++;
            }
            try
            {
                await entry.Semaphore.WaitAsync(ct);
            }
            catch
            {
                Leave(key, entry, release: false);
                throw;
            }
            return new Held(() => Leave(key, entry, release: true));
        }

        private void Leave(string key, Entry entry, bool release)
        {
            lock (entries)
            {
                if (--entry.Users == 0) entries.Remove(key);
            }
            if (release) entry.Semaphore.Release();
        }

        private sealed class Entry
        {
            public readonly SemaphoreSlim Semaphore = new(1, 1);
            public int Users;
        }

        private sealed class Held(Action leave) : IDisposable
        {
            private int left;
            public void Dispose()
            {
                if (Interlocked.Exchange(ref left, 1) == 0) leave();
            }
        }
    }
}

/// <summary>
/// Prepares a newly accepted recording for playback (rendition, waveform) as a job of its own, so the ffmpeg work never
/// delays a recording's arrival in the panel. A recording never prepared (an archive import) is prepared on first play.
/// </summary>
public sealed class PrepareForPlaybackJob(Renditions renditions, IDbContextFactory<AppDbContext> dbs)
{
    public const string Queue = Shared.Jobs.JobQueues.Playback;

    [Hangfire.AutomaticRetry(Attempts = 2)]
    [Hangfire.Queue(Queue)]
    public async Task RunAsync(long recordingId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (await db.Recordings.AsNoTracking().FirstOrDefaultAsync(r => r.Id == recordingId, ct) is { } recording)
            await renditions.PrepareAsync(recording, ct);
    }
}
