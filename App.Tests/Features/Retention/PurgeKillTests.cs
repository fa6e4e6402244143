using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Tests.Features.Retention;

/// <summary>
/// `retention run` as its own process on the SQLite database, killed with SIGKILL at random moments while it erases, then
/// run again to the end: every expired recording is erased, audited and its files removed exactly once; nothing kept is
/// touched; the audit chain verifies.
/// </summary>
public sealed class PurgeKillTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Expired = 120, Recent = 10, Held = 5;
    private readonly AppFactory app = new();

    public Task InitializeAsync() => app.InitializeAsync();
    public async Task DisposeAsync() => await ((IAsyncLifetime)app).DisposeAsync();

    [Fact]
    public async Task Killing_the_purge_at_random_moments_loses_nothing_and_erases_or_audits_nothing_twice()
    {
        var now = DateTime.UtcNow;
        var recordings = Enumerable.Range(0, Expired).Select(i => TestData.Recording(startedAt: now.AddDays(-400).AddMinutes(i)))
            .Concat(Enumerable.Range(0, Recent).Select(i => TestData.Recording(startedAt: now.AddDays(-3).AddMinutes(i))))
            .Concat(Enumerable.Range(0, Held).Select(i => TestData.Recording(startedAt: now.AddDays(-500).AddMinutes(i))))
            .ToList();
        foreach (var (r, i) in recordings.Select((r, i) => (r, i)))
        {
            r.StorageKey = $"2025/01/01/purge-kill-{i}.wav";
            r.LegalHold = i >= Expired + Recent;
            var audio = TestData.Wav(0.2, frequency: 200 + i);
            r.Sha256 = Convert.ToHexStringLower(SHA256.HashData(audio));
            await app.Store.SaveAsync(r.StorageKey, new MemoryStream(audio), CancellationToken.None);
        }
        await app.WithDbAsync(async db => { db.Recordings.AddRange(recordings); await db.SaveChangesAsync(); });
        var expired = recordings.Take(Expired).Select(r => r.Id).ToHashSet();
        var kept = recordings.Skip(Expired).ToList();

        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings__Default"] = $"Data Source={app.DatabasePath}",
            ["Storage__RootPath"] = app.StorePath,
            ["Retention__DefaultDays"] = "365",
            ["Retention__BatchSize"] = "5",
            ["Retention__BatchPauseMs"] = "60",
            ["Demo__Seed"] = "false",
        };
        var random = new Random(20261203);
        var erasedAtKill = new List<long>();
        for (var kill = 0; kill < 3; kill++)
        {
            var before = await TombstonesAsync();
            using var run = Start(settings, "retention", "run");
            // Once this run has erased something, let it go on for a random while (up to ~4 batches), then SIGKILL.
            var watch = Stopwatch.StartNew();
            while (await TombstonesAsync() == before && !run.HasExited && watch.Elapsed < TimeSpan.FromSeconds(90)) await Task.Delay(10);
            await Task.Delay(random.Next(0, 300));
            if (!run.HasExited) run.Kill(entireProcessTree: true);
            await run.WaitForExitAsync();
            erasedAtKill.Add(await TombstonesAsync());
        }
        output.WriteLine($"tombstones after each kill: {string.Join(", ", erasedAtKill)} of {Expired}");
        Assert.True(erasedAtKill[0] is > 0 and < Expired, $"the first kill did not land in the middle of the purge ({erasedAtKill[0]} of {Expired} erased)");

        using (var last = Start(settings, "retention", "run"))
        {
            await last.WaitForExitAsync();
            Assert.Equal(0, last.ExitCode);
        }

        // Exactly the expired recordings are gone, each as one tombstone whose files are removed; the rest is untouched.
        var remaining = await app.WithDbAsync(db => db.Recordings.Select(r => r.Id).ToListAsync());
        Assert.Equal(kept.Select(r => r.Id).Order(), remaining.Order());
        var tombstones = await app.WithDbAsync(db => db.Set<RecordingTombstone>().ToListAsync());
        Assert.Equal(expired.Order(), tombstones.Select(t => t.Id).Order());
        Assert.All(tombstones, t => Assert.NotNull(t.FilesRemovedAt));
        foreach (var r in recordings.Take(Expired)) Assert.False(await app.Store.ExistsAsync(r.StorageKey, CancellationToken.None), $"{r.StorageKey} is still stored");
        foreach (var r in kept)
        {
            await using var stored = await app.Store.OpenReadAsync(r.StorageKey, CancellationToken.None);
            Assert.Equal(r.Sha256, Convert.ToHexStringLower(await SHA256.HashDataAsync(stored!)));
        }

        // Each erased recording is in exactly one `recording.deleted` entry, whichever run erased it, and the chain holds.
        var details = await app.WithDbAsync(db => db.AuditLog.Where(a => a.Action == AuditActions.RecordingDeleted).Select(a => a.Details!).ToListAsync());
        var audited = details.SelectMany(d => JsonDocument.Parse(d).RootElement.GetProperty("recordings").EnumerateArray().Select(e => e.GetInt64())).ToList();
        Assert.Equal(expired.Order(), audited.Order());
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

    private async Task<long> TombstonesAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={app.DatabasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM RecordingTombstones";
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
