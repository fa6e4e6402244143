using System.Buffers.Binary;
using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Features.Ingestion;
using Xunit.Abstractions;

namespace NagrywanieRozmow.Tests.Features.Ingestion;

/// <summary>
/// A spool file cut short and written back over and over (a PBX or a copy tool rewriting it) while the ingestion reads it:
/// whatever moment a read lands on, the ingestion answers; a read that saw the file change defers it to the next pass.
/// </summary>
public sealed class ChangingWhileProbedTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly IngestionApp app = new();

    public Task InitializeAsync() => app.InitializeAsync();
    public async Task DisposeAsync() => await ((IAsyncLifetime)app).DisposeAsync();

    [Fact]
    public async Task A_file_cut_short_and_written_back_while_it_is_read_is_deferred_and_never_fails_the_job()
    {
        // 3,000 small chunks before the audio: the probe's walk through them reads the file thousands of times.
        var wav = WithJunkChunks(TestData.Wav(1), 3000);
        var path = app.Drop("in-201-48601234567-20261116-091502-1794816902.2.wav", wav);
        var ingestor = app.Get<RecordingIngestor>();

        using var stop = new CancellationTokenSource();
        var writer = Task.Run(() =>
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            while (!stop.IsCancellationRequested)
            {
                file.SetLength(64);
                file.Position = 64;
                file.Write(wav, 64, wav.Length - 64);
                file.Flush();
                // Longer than the kernel's file-time tick (its clock is coarse: 1 to 4 ms), so every rewrite shows in the
                // file's time even when its length ends the same.
                Thread.Sleep(10);
            }
        });

        var outcomes = new List<IngestResult>();
        var failures = new List<Exception>();
        // Bounded by reads, not by time: a loaded machine reads more slowly, but each read meets the writer as often.
        const int maxReads = 5_000;
        int ChangedWhileRead() => outcomes.Count(o => o.Outcome == IngestOutcome.Deferred && o.Reason!.Contains("changed", StringComparison.Ordinal));
        while (outcomes.Count + failures.Count < maxReads && ChangedWhileRead() < 20 && File.Exists(path))
        {
            try
            {
                outcomes.Add(await ingestor.IngestFileAsync(path, CancellationToken.None));
            }
            catch (Exception e)
            {
                failures.Add(e);
            }
        }
        await stop.CancelAsync();
        await writer;

        var summary = string.Join(", ", outcomes.CountBy(o => o.Outcome).Select(c => $"{c.Key} ×{c.Value}"));
        output.WriteLine(summary);
        Assert.True(failures.Count == 0, $"{failures.Count} of {failures.Count + outcomes.Count} reads failed, e.g. {failures.FirstOrDefault()}");
        // Reads that the writer cut across are told apart and left for the next pass. (The old ingestor judged them on what
        // it had half read: about one deferral in a thousand reads, the rest verdicts on a file in flux.)
        Assert.True(ChangedWhileRead() >= 10, $"only {ChangedWhileRead()} reads were deferred as changing: {summary}");
        // A read between two rewrites saw the whole file: taken once, then known by its content. (One that ran entirely
        // while the writer was held between cutting and writing back saw a stable cut file, and rightly rejects it; that is
        // the one other outcome, and it ends the run since the file goes to quarantine.)
        Assert.All(outcomes.Where(o => o.Outcome != IngestOutcome.Rejected), o => Assert.True(o.Outcome is IngestOutcome.Deferred or IngestOutcome.Accepted or IngestOutcome.Duplicate, summary));
        Assert.True(outcomes.Count(o => o.Outcome == IngestOutcome.Rejected) <= 1, summary);
    }

    /// <summary>The WAV with <paramref name="count"/> empty JUNK chunks between its RIFF header and its fmt chunk.</summary>
    private static byte[] WithJunkChunks(byte[] wav, int count)
    {
        var junk = new byte[count * 8];
        for (var i = 0; i < count; i++) "JUNK"u8.CopyTo(junk.AsSpan(i * 8));
        var result = new byte[wav.Length + junk.Length];
        wav.AsSpan(0, 12).CopyTo(result);
        junk.CopyTo(result, 12);
        wav.AsSpan(12).CopyTo(result.AsSpan(12 + junk.Length));
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(4), (uint)(result.Length - 8));
        return result;
    }

    [Fact]
    public async Task A_file_taken_away_before_its_job_runs_is_nothing_to_do_not_a_failed_job()
    {
        var path = app.Drop("in-201-48601234567-20261116-091502-1794816902.2.wav", TestData.Wav(1));
        File.Delete(path);

        var result = await app.Get<RecordingIngestor>().IngestFileAsync(path, CancellationToken.None);

        Assert.Equal(IngestOutcome.Deferred, result.Outcome);
        Assert.Equal(0, await app.WithDbAsync(db => db.IngestedFiles.CountAsync()));
    }
}
