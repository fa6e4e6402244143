using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

using NagrywanieRozmow.Features.Retention;
using NagrywanieRozmow.Shared.Storage;

namespace NagrywanieRozmow.Tests.Features.Retention;

/// <summary>
/// `retention archive` as its own process on the SQLite database and a folder store with an archive folder, killed with
/// SIGKILL at random moments while it moves files, then run again to the end: every due recording's file is in the archive
/// folder and nowhere else, with its hash, its row says "archive", and it is audited exactly once; nothing young is touched;
/// the audit chain verifies.
/// </summary>
public sealed class ArchiveKillTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Due = 120, Young = 10;
    private readonly AppFactory app = new();

    public Task InitializeAsync() => app.InitializeAsync();
    public async Task DisposeAsync() => await ((IAsyncLifetime)app).DisposeAsync();

    private string ArchivePath => Path.Combine(app.Root, "archive");

    [Fact]
    public async Task Killing_the_archive_job_at_random_moments_loses_nothing_and_leaves_no_file_in_two_places()
    {
        var now = DateTime.UtcNow;
        var recordings = Enumerable.Range(0, Due).Select(i => TestData.Recording(startedAt: now.AddDays(-100).AddMinutes(i)))
            .Concat(Enumerable.Range(0, Young).Select(i => TestData.Recording(startedAt: now.AddDays(-3).AddMinutes(i))))
            .ToList();
        foreach (var (r, i) in recordings.Select((r, i) => (r, i)))
        {
            r.StorageKey = $"2025/01/01/archive-kill-{i}.wav";
            r.LegalHold = i % 10 == 3; // holds do not keep a recording out of the archive
            var audio = TestData.Wav(0.5, frequency: 200 + i);
            r.Sha256 = Convert.ToHexStringLower(SHA256.HashData(audio));
            r.SizeBytes = audio.Length;
            await app.Store.SaveAsync(r.StorageKey, new MemoryStream(audio), CancellationToken.None);
        }
        await app.WithDbAsync(async db => { db.Recordings.AddRange(recordings); await db.SaveChangesAsync(); });

        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings__Default"] = $"Data Source={app.DatabasePath}",
            ["Storage__RootPath"] = app.StorePath,
            ["Storage__ArchivePath"] = ArchivePath,
            ["Retention__DefaultDays"] = "365",
            ["Retention__DefaultArchiveDays"] = "30",
            ["Retention__BatchSize"] = "5",
            ["Retention__BatchPauseMs"] = "60",
            ["Demo__Seed"] = "false",
        };
        var random = new Random(20261208);
        var archivedAtKill = new List<long>();
        for (var kill = 0; kill < 3; kill++)
        {
            var before = await ArchivedAsync();
            using var run = Start(settings, "retention", "archive");
            // Once this run has archived something, let it go on for a random while (up to ~4 batches), then SIGKILL.
            var watch = Stopwatch.StartNew();
            while (await ArchivedAsync() == before && !run.HasExited && watch.Elapsed < TimeSpan.FromSeconds(90)) await Task.Delay(10);
            await Task.Delay(random.Next(0, 300));
            if (!run.HasExited) run.Kill(entireProcessTree: true);
            await run.WaitForExitAsync();
            archivedAtKill.Add(await ArchivedAsync());
        }
        output.WriteLine($"archived after each kill: {string.Join(", ", archivedAtKill)} of {Due}");
        Assert.True(archivedAtKill[0] is > 0 and < Due, $"the first kill did not land in the middle of the run ({archivedAtKill[0]} of {Due} archived)");

        using (var last = Start(settings, "retention", "archive"))
        {
            await last.WaitForExitAsync();
            Assert.Equal(0, last.ExitCode);
        }

        // Each due recording: its row says archive, its file is in the archive folder only, byte for byte.
        var rows = await app.WithDbAsync(db => db.Recordings.ToDictionaryAsync(r => r.Id, r => (r.Tier, r.Sha256, r.LegalHold)));
        Assert.Equal(recordings.Count, rows.Count);
        foreach (var r in recordings)
        {
            var due = r.StartedAt < now.AddDays(-30);
            var hot = Path.Combine(app.StorePath, r.StorageKey);
            var archived = Path.Combine(ArchivePath, r.StorageKey);
            Assert.Equal(due ? StorageTier.Archive : StorageTier.Hot, rows[r.Id].Tier);
            Assert.Equal((r.Sha256, r.LegalHold), (rows[r.Id].Sha256, rows[r.Id].LegalHold));
            Assert.True(File.Exists(due ? archived : hot), $"{r.StorageKey} is not where its row says");
            Assert.False(File.Exists(due ? hot : archived), $"{r.StorageKey} is in both places");
            Assert.Equal(r.Sha256, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(due ? archived : hot))));
        }
        Assert.Empty(Directory.EnumerateFiles(ArchivePath, "*.partial-*", SearchOption.AllDirectories));
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<ArchiveMove>().CountAsync()));

        // Each archived recording is in exactly one `recording.archived` entry, whichever run moved it, and the chain holds.
        var details = await app.WithDbAsync(db => db.AuditLog.Where(a => a.Action == AuditActions.RecordingArchived).Select(a => a.Details!).ToListAsync());
        var audited = details.SelectMany(d => JsonDocument.Parse(d).RootElement.GetProperty("recordings").EnumerateArray().Select(e => e.GetInt64())).ToList();
        Assert.Equal(recordings.Take(Due).Select(r => r.Id).Order(), audited.Order());
        var verify = await AppInstance.RunCliAsync(settings, "audit", "verify");
        Assert.True(verify.Exit == 0, $"audit verify: {verify.Output}{verify.Errors}");
    }

    private static Process Start(IReadOnlyDictionary<string, string> settings, params string[] args)
    {
        var process = Process.Start(AppInstance.StartInfo(settings, args))!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task<long> ArchivedAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={app.DatabasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM Recordings WHERE Tier = 1";
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
