using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Features.Ingestion;

namespace NagrywanieRozmow.Tests.Features.Ingestion;

/// <summary>`ingest --path` takes files in batches (several workers, one transaction a batch): the outcomes stay those of one file at a time.</summary>
public sealed class BatchIngestTests : IAsyncLifetime
{
    private readonly IngestionApp app = new();

    public Task InitializeAsync() => app.InitializeAsync();
    public async Task DisposeAsync() => await ((IAsyncLifetime)app).DisposeAsync();

    private Task<(int Exit, string Output)> IngestAsync() => app.RunCliAsync(IngestCli.RunAsync, "--path", app.Spool);

    private Task<List<AuditEntry>> IngestEntriesAsync() =>
        app.WithDbAsync(db => db.AuditLog.AsNoTracking().Where(a => a.Action == AuditActions.Ingest && a.Outcome == AuditOutcomes.Success).ToListAsync());

    private static string Sha256Of(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    [Fact]
    public async Task A_bad_file_in_a_batch_is_rejected_with_its_reason_and_the_others_of_the_batch_are_taken()
    {
        var sources = SpoolFiles.Write(app.Spool, 20);
        var good = File.ReadAllBytes(Path.Combine(app.Spool, sources[0].RelativePath));
        var truncated = app.Drop("in-201-48601999999-20261116-120000-1794830400.99.wav", good[..(good.Length / 2)]);

        var (exit, output) = await IngestAsync();

        Assert.Equal(3, exit);
        Assert.Contains("accepted 20, duplicate 0, rejected 1,", output);
        Assert.Contains("in-201-48601999999-20261116-120000-1794830400.99.wav: the file is truncated", output);
        var decision = await app.WithDbAsync(db => db.IngestedFiles.AsNoTracking().SingleAsync(f => f.SourcePath == truncated));
        Assert.Equal((IngestOutcome.Rejected, RejectKind.Truncated), (decision.Outcome, decision.Problem));
        Assert.False(File.Exists(truncated));
        Assert.Equal(good[..(good.Length / 2)], File.ReadAllBytes(decision.QuarantinedAs!));

        var recordings = await app.WithDbAsync(db => db.Recordings.AsNoTracking().ToListAsync());
        Assert.Equal(sources.Select(s => (s.CallId, s.Sha256)).Order(), recordings.Select(r => (r.CallId, r.Sha256)).Order());
        foreach (var recording in recordings)
        {
            await using var stored = await app.Store.OpenReadAsync(recording.StorageKey, CancellationToken.None);
            Assert.Equal(recording.Sha256, Convert.ToHexStringLower(await SHA256.HashDataAsync(stored!)));
        }
        var entries = await IngestEntriesAsync();
        Assert.Equal(recordings.Select(r => (long?)r.Id).Order(), entries.Select(e => e.RecordingId).Order());
        Assert.Null(await app.Get<AuditLog>().VerifyAsync());
    }

    [Fact]
    public async Task Several_batches_take_every_file_once_with_one_audit_entry_each_and_a_second_pass_takes_none()
    {
        var count = RecordingIngestor.BatchSize * 2 + 7;
        var sources = SpoolFiles.Write(app.Spool, count);

        var (exit, first) = await IngestAsync();
        var (_, second) = await IngestAsync();

        Assert.Equal(0, exit);
        Assert.Contains($"accepted {count}, duplicate 0, rejected 0", first);
        Assert.Contains($"accepted 0, duplicate {count}, rejected 0", second);
        var recordings = await app.WithDbAsync(db => db.Recordings.AsNoTracking().ToListAsync());
        Assert.Equal(sources.Select(s => s.CallId).Order(), recordings.Select(r => r.CallId).Order());
        Assert.Equal(count, Directory.GetFiles(app.StorePath, "*", SearchOption.AllDirectories).Length);
        var decisions = await app.WithDbAsync(db => db.IngestedFiles.AsNoTracking().ToListAsync());
        Assert.Equal(count, decisions.Count);
        Assert.All(decisions, d => Assert.Equal(IngestOutcome.Accepted, d.Outcome));
        Assert.Equal(recordings.Select(r => (long?)r.Id).Order(), decisions.Select(d => d.RecordingId).Order());
        var entries = await IngestEntriesAsync();
        Assert.Equal(recordings.Select(r => (long?)r.Id).Order(), entries.Select(e => e.RecordingId).Order());
        Assert.Null(await app.Get<AuditLog>().VerifyAsync());
    }

    [Fact]
    public async Task The_same_call_twice_in_one_batch_is_one_recording_and_a_duplicate_pointing_at_it()
    {
        var audio = TestData.Wav(2, frequency: 523);
        var name = "in-201-48601234567-20261116-091502-1794816902.2.wav";
        var first = app.Drop(name, audio, day: "2026/11/16/a");
        var copy = app.Drop(name, audio, day: "2026/11/16/b");

        var (_, output) = await IngestAsync();

        Assert.Contains("accepted 1, duplicate 1, rejected 0", output);
        var recording = await app.WithDbAsync(db => db.Recordings.AsNoTracking().SingleAsync());
        Assert.Equal(Sha256Of(audio), recording.Sha256);
        var decisions = await app.WithDbAsync(db => db.IngestedFiles.AsNoTracking().ToDictionaryAsync(f => f.SourcePath));
        Assert.Equal((IngestOutcome.Accepted, (long?)recording.Id), (decisions[first].Outcome, decisions[first].RecordingId));
        Assert.Equal((IngestOutcome.Duplicate, (long?)recording.Id), (decisions[copy].Outcome, decisions[copy].RecordingId));
        Assert.Single(Directory.GetFiles(app.StorePath, "*", SearchOption.AllDirectories));
        Assert.Single(await IngestEntriesAsync());
    }

    [Fact]
    public async Task Files_of_one_batch_wanting_the_same_place_in_the_store_each_get_their_own()
    {
        // The same call written again with other audio, in several folders: same stored name, different content, taken at once.
        var name = "in-201-48601234567-20261116-091502-1794816902.2.wav";
        var contents = Enumerable.Range(0, 6).Select(i => TestData.Wav(1, frequency: 300 + 100 * i)).ToList();
        for (var i = 0; i < contents.Count; i++) app.Drop(name, contents[i], day: $"2026/11/16/part{i}");

        var (_, output) = await IngestAsync();

        Assert.Contains($"accepted {contents.Count}, duplicate 0, rejected 0", output);
        var recordings = await app.WithDbAsync(db => db.Recordings.AsNoTracking().ToListAsync());
        Assert.Equal(contents.Count, recordings.Select(r => r.StorageKey).Distinct().Count());
        Assert.Equal(contents.Select(Sha256Of).Order(), recordings.Select(r => r.Sha256).Order());
        foreach (var recording in recordings)
        {
            await using var stored = await app.Store.OpenReadAsync(recording.StorageKey, CancellationToken.None);
            Assert.Equal(recording.Sha256, Convert.ToHexStringLower(await SHA256.HashDataAsync(stored!)));
        }
        Assert.Equal(contents.Count, Directory.GetFiles(app.StorePath, "*", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public async Task A_recording_saved_by_a_run_stopped_before_its_audit_entry_gets_exactly_one_on_the_next_run()
    {
        // What a run killed between a batch's commit and its audit entries leaves: the recording and its decision, no entry.
        var path = app.Drop("in-201-48601234567-20261116-091502-1794816902.2.wav", TestData.Wav(1));
        var recording = TestData.Recording(callId: "1794816902.2");
        await app.WithDbAsync(async db =>
        {
            db.IngestedFiles.Add(new IngestedFile
            {
                SourcePath = path, SizeBytes = new FileInfo(path).Length, LastWriteUtc = File.GetLastWriteTimeUtc(path),
                Outcome = IngestOutcome.Accepted, Recording = recording, ProcessedAt = DateTime.UtcNow,
            });
            await db.SaveChangesAsync();
        });

        var (_, output) = await IngestAsync();
        var (_, again) = await IngestAsync();

        Assert.Contains("audit: 1 recordings saved by an interrupted run got their recording.ingest entry now.", output);
        Assert.Contains("accepted 0, duplicate 1", output);
        Assert.DoesNotContain("audit:", again);
        var entry = Assert.Single(await IngestEntriesAsync());
        Assert.Equal(recording.Id, entry.RecordingId);
        Assert.Contains(recording.Sha256, entry.Details);
        Assert.Null(await app.Get<AuditLog>().VerifyAsync());
    }
}
