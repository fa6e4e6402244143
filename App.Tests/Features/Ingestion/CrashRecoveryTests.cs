using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace NagrywanieRozmow.Tests.Features.Ingestion;

/// <summary>
/// The real app, as its own process, is killed hard (three times, at random moments) while it takes a watched spool, then
/// started again: every file must end up in the panel exactly once, with its original kept once, byte for byte.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int FileCount = 400, Kills = 3;

    private readonly string root = Path.Combine(Path.GetTempPath(), "nr-crash-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly List<AppInstance> processes = [];
    private string Spool => Path.Combine(root, "spool");
    private string Store => Path.Combine(root, "store");
    private string Database => Path.Combine(root, "app.db");

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(Spool);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var process in processes) await process.DisposeAsync();
        SqliteConnection.ClearAllPools();
        for (var attempt = 0; Directory.Exists(root); attempt++)
        {
            try { Directory.Delete(root, recursive: true); }
            catch (IOException) when (attempt < 10) { await Task.Delay(200); }
        }
    }

    [Fact]
    public async Task Hard_kills_at_random_moments_of_ingestion_lose_no_file_and_take_none_twice()
    {
        // Written beside the spool and moved in once the app watches it: the sweep starts at once, not at the next minute.
        var staging = Path.Combine(root, "staging");
        var sources = SpoolFiles.Write(staging, FileCount);

        var first = Start();
        await first.WaitUntilReadyAsync(TimeSpan.FromSeconds(120));
        foreach (var day in Directory.GetDirectories(staging))
        {
            var target = Path.Combine(Spool, Path.GetRelativePath(staging, day));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            Directory.Move(day, target);
        }

        // Killed three times at random moments of a running ingestion: each time once it has taken a few more files, after
        // a random further while. Every restart has only the startup sweep (the safety net for a restart) to find the rest.
        var random = new Random(20261203);
        var running = first;
        var inAtKill = new List<long>();
        for (var kill = 0; kill < Kills; kill++)
        {
            var before = CountRows("Recordings");
            var goal = before + random.Next(5, FileCount / 8);
            await WaitForAsync(running, () => CountRows("Recordings") >= goal || CountRows("IngestedFiles") >= FileCount, TimeSpan.FromSeconds(150),
                $"recordings past {goal} before kill {kill + 1}");
            await Task.Delay(random.Next(0, 100));
            await running.KillAsync();
            inAtKill.Add(CountRows("Recordings"));
            running = Start();
        }
        output.WriteLine($"recordings in at each kill: {string.Join(", ", inAtKill)} of {FileCount}");
        Assert.True(inAtKill[^1] < FileCount, $"the ingestion finished before the last kill ({string.Join(", ", inAtKill)} of {FileCount})");

        await WaitForAsync(running, () => CountRows("Recordings") >= FileCount && CountRows("IngestedFiles") >= FileCount,
            TimeSpan.FromMinutes(5), $"all {FileCount} recordings");
        await running.KillAsync();

        var recordings = Query("SELECT Id, CallId, Sha256, StorageKey FROM Recordings",
            r => (Id: r.GetInt64(0), CallId: r.GetString(1), Sha256: r.GetString(2).Trim(), StorageKey: r.GetString(3)));
        var decisions = Query("SELECT SourcePath, Outcome, RecordingId FROM IngestedFiles",
            r => (SourcePath: r.GetString(0), Outcome: r.GetString(1), RecordingId: r.IsDBNull(2) ? (long?)null : r.GetInt64(2)));

        Assert.Equal(FileCount, recordings.Count);
        Assert.All(recordings.GroupBy(r => r.CallId), g => Assert.True(g.Count() == 1, $"call {g.Key} is in the panel {g.Count()} times"));
        Assert.Equal(sources.Select(s => s.CallId).Order(), recordings.Select(r => r.CallId).Order());

        var recordingOf = recordings.ToDictionary(r => r.CallId);
        var decisionOf = decisions.ToDictionary(d => d.SourcePath);
        foreach (var source in sources)
        {
            var recording = recordingOf[source.CallId];
            Assert.Equal(source.Sha256, recording.Sha256);
            var spoolPath = Path.Combine(Spool, source.RelativePath);
            Assert.True(decisionOf.TryGetValue(spoolPath, out var decision), $"no IngestedFiles row for {source.RelativePath}");
            Assert.Equal(recording.Id, decision.RecordingId);
            Assert.Contains(decision.Outcome, new[] { "Accepted", "Duplicate" });

            var stored = Path.Combine(Store, recording.StorageKey);
            Assert.True(File.Exists(stored), $"the original of {source.CallId} is missing from the store ({recording.StorageKey})");
            Assert.Equal(source.Sha256, Sha256Of(stored));
        }

        // A write cut off by the kill may leave its temporary ".partial-" file; any other file in the store is a second copy.
        var storeFiles = Directory.GetFiles(Store, "*", SearchOption.AllDirectories);
        var leftovers = storeFiles.Where(f => Path.GetFileName(f).Contains(".partial-", StringComparison.Ordinal)).ToList();
        foreach (var leftover in leftovers) output.WriteLine($"left over by the kill: {Path.GetRelativePath(Store, leftover)} ({new FileInfo(leftover).Length} bytes)");
        var originals = storeFiles.Except(leftovers).Select(Sha256Of).ToList();
        Assert.Equal(FileCount, originals.Count);
        Assert.Equal(sources.Select(s => s.Sha256).Order(), originals.Order());
    }

    private AppInstance Start()
    {
        var process = AppInstance.Start("crash", new Dictionary<string, string>
        {
            ["ConnectionStrings__Default"] = $"Data Source={Database}",
            ["Storage__RootPath"] = Store,
            ["Ingestion__SpoolPath"] = Spool,
            ["Ingestion__SettleSeconds"] = "1",
            ["Ingestion__QuarantinePath"] = Path.Combine(root, "quarantine"),
            ["Demo__Seed"] = "false",
        });
        processes.Add(process);
        return process;
    }

    private static async Task WaitForAsync(AppInstance app, Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (app.HasExited) throw new Xunit.Sdk.XunitException($"The app exited ({app.ExitCode}) before {what}:\n{app.Log}");
            if (deadline.Elapsed > timeout) throw new Xunit.Sdk.XunitException($"No {what} within {timeout.TotalSeconds} s:\n{app.Log}");
            await Task.Delay(10);
        }
    }

    private long CountRows(string table)
    {
        try { return Query($"SELECT COUNT(*) FROM {table}", r => r.GetInt64(0)).Single(); }
        catch (SqliteException) { return 0; } // not created or migrated yet
    }

    private List<T> Query<T>(string sql, Func<SqliteDataReader, T> read)
    {
        if (!File.Exists(Database)) return [];
        using var connection = new SqliteConnection($"Data Source={Database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read()) rows.Add(read(reader));
        return rows;
    }

    private static string Sha256Of(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
}

/// <summary>FreePBX spool files: real 8 kHz 16-bit mono PCM WAVs, each with its own content and uniqueid, over a few days.</summary>
internal static class SpoolFiles
{
    public sealed record SpoolFile(string RelativePath, string CallId, string Sha256);

    public static List<SpoolFile> Write(string spool, int count, double seconds = 1, int days = 3)
    {
        var files = new List<SpoolFile>(count);
        var firstDay = new DateTime(2026, 11, 16, 8, 0, 0);
        for (var i = 0; i < count; i++)
        {
            var local = firstDay.AddDays(i % days).AddSeconds(i * 37);
            var epoch = new DateTimeOffset(local, TimeSpan.FromHours(1)).ToUnixTimeSeconds(); // Europe/Warsaw in November
            var callId = $"{epoch}.{i}";
            var caller = $"48601{i:D6}";
            var relative = Path.Combine(local.ToString("yyyy/MM/dd", CultureInfo.InvariantCulture),
                string.Create(CultureInfo.InvariantCulture, $"in-{200 + i % 20}-{caller}-{local:yyyyMMdd-HHmmss}-{callId}.wav"));
            var bytes = Wav(seconds, seed: i);
            var path = Path.Combine(spool, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, bytes);
            files.Add(new SpoolFile(relative, callId, Convert.ToHexStringLower(SHA256.HashData(bytes))));
        }
        return files;
    }

    /// <summary>A tone whose pitch and noise depend on the seed, so no two files hash the same.</summary>
    public static byte[] Wav(double seconds, int seed, int sampleRate = 8000)
    {
        var samples = (int)(seconds * sampleRate);
        var random = new Random(seed);
        var frequency = 300 + seed % 1500;
        var bytes = new byte[44 + samples * 2];
        var w = new BinaryWriter(new MemoryStream(bytes));
        w.Write("RIFF"u8); w.Write(36 + samples * 2); w.Write("WAVE"u8);
        w.Write("fmt "u8); w.Write(16); w.Write((short)1); w.Write((short)1); w.Write(sampleRate); w.Write(sampleRate * 2); w.Write((short)2); w.Write((short)16);
        w.Write("data"u8); w.Write(samples * 2);
        for (var i = 0; i < samples; i++)
            w.Write((short)(Math.Sin(2 * Math.PI * frequency * i / sampleRate) * 6000 + random.Next(-500, 500)));
        return bytes;
    }
}
