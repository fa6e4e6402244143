using Hangfire;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Playback;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Shared.Media;
using NagrywanieRozmow.Shared.Storage;

namespace NagrywanieRozmow.Features.Transcripts;

/// <summary>
/// Transcribes one recording on the <see cref="Queue"/> queue (its own workers: <see cref="TranscriptionOptions.MaxConcurrent"/>).
/// A stereo call is sent one channel at a time (left the caller, right the callee, as MixMonitor writes them), so the
/// transcript says who said what. The text is masked (<see cref="PersonalDataMask"/>) before it is stored; the transcript,
/// the request's state and the audit entry are committed together. A failure is kept on the request and tried again
/// later, up to <see cref="TranscriptionOptions.MaxAttempts"/>.
/// </summary>
public sealed class TranscriptionJob(
    IDbContextFactory<AppDbContext> dbs, IRecordingStore store, Renditions renditions, OpenAiCompatibleTranscriber transcriber,
    IOptions<TranscriptionOptions> options, AuditLog audit, TimeProvider time, IBackgroundJobClient jobs, ILogger<TranscriptionJob> logger)
{
    public const string Queue = "transcription";

    public static void Enqueue(IBackgroundJobClient jobs, long recordingId) =>
        jobs.Create<TranscriptionJob>(j => j.RunAsync(recordingId, CancellationToken.None), new EnqueuedState(Queue));

    [AutomaticRetry(Attempts = 0)]
    [Queue(Queue)]
    public async Task RunAsync(long recordingId, CancellationToken ct)
    {
        var o = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var claimed = await db.Set<TranscriptionRequest>()
            .Where(r => r.RecordingId == recordingId && r.State == TranscriptionState.Pending && (r.ClaimedUntil == null || r.ClaimedUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.ClaimedUntil, now.AddSeconds(o.TimeoutSeconds * 2 + 60)).SetProperty(r => r.Attempts, r => r.Attempts + 1), ct);
        if (claimed == 0) return;   // done, failed for good, gone with its recording, or another attempt holds it
        var recording = await db.Recordings.AsNoTracking().FirstOrDefaultAsync(r => r.Id == recordingId, ct);
        if (recording is null) return;

        IReadOnlyList<TranscriptSegment> segments;
        try
        {
            segments = await TranscribeAsync(recording, ct);
        }
        catch (Exception e) when (e is TranscriptionFailedException or FfmpegUnavailableException or FfmpegFailedException or FileNotFoundException)
        {
            await FailAsync(recordingId, e.Message, ct);
            return;
        }

        var transcript = RecordingTranscript.From(recordingId, o.Provider.ToString(), o.Model, o.Language, time.GetUtcNow().UtcDateTime,
            segments.Select(s => s with { Text = PersonalDataMask.Apply(s.Text) }).OrderBy(s => s.StartMs).ThenBy(s => s.Speaker).ToList());
        await audit.InTransactionAsync(async tx =>
        {
            await tx.Transcripts.Where(t => t.RecordingId == recordingId).ExecuteDeleteAsync(ct);
            if (!await tx.Recordings.AnyAsync(r => r.Id == recordingId, ct)) return (0, (IReadOnlyList<AuditDraft>)[]);
            tx.Transcripts.Add(transcript);
            await tx.SaveChangesAsync(ct);
            await tx.Set<TranscriptionRequest>().Where(r => r.RecordingId == recordingId).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.State, TranscriptionState.Done).SetProperty(r => r.Error, (string?)null)
                .SetProperty(r => r.CompletedAt, transcript.CreatedAt).SetProperty(r => r.ClaimedUntil, (DateTime?)null), ct);
            return (1, (IReadOnlyList<AuditDraft>)[new AuditDraft(new AuditActor(Actor, null), AuditActions.TranscriptCreated, AuditOutcomes.Success, recordingId,
                AuditLog.Details(new { provider = transcript.Provider, model = transcript.Model, language = transcript.Language, segments = segments.Count }))]);
        }, ct);
    }

    public const string Actor = "system (transcription)";

    private async Task FailAsync(long recordingId, string error, CancellationToken ct)
    {
        var o = options.Value;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var request = await db.Set<TranscriptionRequest>().FirstOrDefaultAsync(r => r.RecordingId == recordingId, ct);
        if (request is null) return;
        var final = request.Attempts >= o.MaxAttempts;
        var wait = TimeSpan.FromMinutes(Math.Pow(4, request.Attempts - 1));
        request.Error = error.Length > 2000 ? error[..2000] : error;
        // Held until the retry is due, so the sweep does not start it again before then.
        request.ClaimedUntil = final ? null : time.GetUtcNow().UtcDateTime + wait;
        if (final) request.State = TranscriptionState.Failed;
        await db.SaveChangesAsync(ct);
        logger.LogWarning("Transcribing recording {Id} failed (attempt {Attempt} of {Max}): {Error}", recordingId, request.Attempts, o.MaxAttempts, error);
        if (!final) jobs.Schedule<TranscriptionJob>(j => j.RunAsync(recordingId, CancellationToken.None), wait + TimeSpan.FromSeconds(1));
    }

    private async Task<IReadOnlyList<TranscriptSegment>> TranscribeAsync(Recording recording, CancellationToken ct)
    {
        if (recording.Channels == 2 && RecordingPcm.CanDecode(recording))
        {
            await using var original = await store.OpenReadAsync(recording.StorageKey, ct) ?? throw new FileNotFoundException($"The audio of recording {recording.Id} is missing from the store.");
            if (await RecordingPcm.OpenAsync(recording, original, ct) is { Channels: 2 } stereo)
            {
                var (left, right) = await SplitAsync(stereo, ct);
                var caller = await transcriber.TranscribeAsync(left, "caller", ct);
                var callee = await transcriber.TranscribeAsync(right, "callee", ct);
                return [.. caller, .. callee];
            }
        }
        var key = await renditions.PlayableKeyAsync(recording, ct);
        await using var audio = await store.OpenReadAsync(key, ct) ?? throw new FileNotFoundException($"The audio of recording {recording.Id} is missing from the store.");
        return await transcriber.TranscribeAsync(audio, null, ct);
    }

    /// <summary>The two channels as two 16-bit mono WAVs.</summary>
    private static async Task<(MemoryStream Left, MemoryStream Right)> SplitAsync(PcmDecoder stereo, CancellationToken ct)
    {
        var left = new MemoryStream();
        var right = new MemoryStream();
        var header = new byte[44];
        left.Write(header);
        right.Write(header);
        var buffer = new short[8192];
        int read;
        while ((read = await stereo.ReadAsync(buffer, ct)) > 0)
            for (var i = 0; i + 1 < read; i += 2)
            {
                left.Write(BitConverter.GetBytes(buffer[i]));
                right.Write(BitConverter.GetBytes(buffer[i + 1]));
            }
        foreach (var wav in new[] { left, right })
        {
            WriteHeader(wav, stereo.SampleRate);
            wav.Position = 0;
        }
        return (left, right);
    }

    private static void WriteHeader(MemoryStream wav, int sampleRate)
    {
        var data = (int)wav.Length - 44;
        using var w = new BinaryWriter(new MemoryStream(wav.GetBuffer(), 0, 44, writable: true));
        w.Write("RIFF"u8); w.Write(36 + data); w.Write("WAVE"u8);
        w.Write("fmt "u8); w.Write(16); w.Write((short)1); w.Write((short)1); w.Write(sampleRate); w.Write(sampleRate * 2); w.Write((short)2); w.Write((short)16);
        w.Write("data"u8); w.Write(data);
    }
}
