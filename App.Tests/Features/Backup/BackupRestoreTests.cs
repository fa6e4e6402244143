using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Audit;
using NagrywanieRozmow.Features.Backup;
using NagrywanieRozmow.Features.Demo;
using NagrywanieRozmow.Features.Ingestion;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Features.Retention;
using NagrywanieRozmow.Shared.Cli;
using NagrywanieRozmow.Shared.Storage;
using NagrywanieRozmow.Tests.Features.Ingestion;

namespace NagrywanieRozmow.Tests.Features.Backup;

/// <summary>
/// `backup --to` on one installation (the sample FreePBX spool ingested, plus metadata-only demo rows), `restore --from`
/// into a fresh one: the same rows, the same bytes, an intact audit chain; a damaged backup changes nothing.
/// </summary>
public sealed class BackupRestoreTests(Xunit.Abstractions.ITestOutputHelper log) : IAsyncLifetime
{
    private readonly SourceApp source = new();
    private readonly AppFactory target = new();
    private readonly string backups = Path.Combine(Path.GetTempPath(), "nr-tests", "backups-" + Guid.NewGuid().ToString("N"));
    private string BackupDir => Path.Combine(backups, "2026-12-03");

    public async Task InitializeAsync()
    {
        await source.InitializeAsync();
        await target.InitializeAsync();
        var samples = Path.Combine(AppContext.BaseDirectory, "Fixtures/freepbx-spool");
        foreach (var file in Directory.EnumerateFiles(samples, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".json", StringComparison.Ordinal)))
        {
            var copy = Path.Combine(source.Spool, Path.GetRelativePath(samples, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
    }

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)source).DisposeAsync();
        await ((IAsyncLifetime)target).DisposeAsync();
        try { Directory.Delete(backups, recursive: true); } catch (IOException) { }
    }

    private async Task IngestSamplesAsync()
    {
        var (_, output) = await source.RunCliAsync(IngestCli.RunAsync, "--path", source.Spool);
        Assert.True(output.Contains("accepted 9,", StringComparison.Ordinal), output);
    }

    private Task<(int Exit, string Output)> BackupAsync() => source.RunCliAsync(BackupCli.BackupAsync, "--to", BackupDir);

    private Task<(int Exit, string Output)> RestoreAsync(params string[] more) => target.RunCliAsync(BackupCli.RestoreAsync, ["--from", BackupDir, .. more]);

    private static Task<List<Recording>> RecordingsOf(AppFactory app) => app.WithDbAsync(db => db.Recordings.AsNoTracking().OrderBy(r => r.Id).ToListAsync());

    private static async Task<string?> Sha256InStoreAsync(AppFactory app, string key)
    {
        await using var stored = await app.Store.OpenReadAsync(key, CancellationToken.None);
        return stored is null ? null : Convert.ToHexStringLower(await SHA256.HashDataAsync(stored));
    }

    [Fact]
    public async Task A_restored_installation_has_every_row_and_every_file_byte_for_byte_and_its_audit_log_verifies()
    {
        await IngestSamplesAsync();
        var (seeded, _) = await source.RunCliAsync(SeedDemoCli.RunAsync, "--recordings", "3", "--audio", "none");
        Assert.Equal(0, seeded);
        var before = await RecordingsOf(source);
        var audited = await source.WithDbAsync(db => db.AuditLog.AsNoTracking().OrderBy(a => a.Id).Select(a => a.Hash).ToListAsync());

        var (backupExit, backupOutput) = await BackupAsync();

        Assert.True(backupExit == 0, backupOutput);
        Assert.Contains("12 recordings: 9 originals", backupOutput);
        Assert.Contains("3 metadata-only demo rows without a file", backupOutput);
        Assert.Matches(@"MB in \d+\.\d\d s \(\d+\.\d MB/s\)", backupOutput);
        var manifest = JsonSerializer.Deserialize<BackupManifest>(File.ReadAllBytes(Path.Combine(BackupDir, BackupManifest.FileName)), BackupManifest.Json)!;
        Assert.Equal(("Sqlite", "FileSystem", 12, 9, 3), (manifest.DatabaseProvider, manifest.StorageProvider, manifest.Counts.Recordings, manifest.Counts.Originals, manifest.Counts.MetadataOnly));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(BackupDir, BackupManifest.DatabaseFileName)))), manifest.Database.Sha256);

        var (restoreExit, restoreOutput) = await RestoreAsync();

        Assert.True(restoreExit == 0, restoreOutput);
        Assert.Contains("Check passed", restoreOutput);
        var after = await RecordingsOf(target);
        Assert.Equal(JsonSerializer.Serialize(before), JsonSerializer.Serialize(after));
        foreach (var recording in after)
        {
            var restored = await Sha256InStoreAsync(target, recording.StorageKey);
            if (recording.Sha256 == BulkSeeder.PlaceholderSha256(recording.CallId)) Assert.Null(restored);
            else Assert.Equal(recording.Sha256, restored);
        }
        Assert.Equal(9, after.Count(r => r.Sha256 != BulkSeeder.PlaceholderSha256(r.CallId)));

        var (verifyExit, verifyOutput) = await target.RunCliAsync(AuditCli.VerifyAsync);
        Assert.True(verifyExit == 0, verifyOutput);
        var chain = await target.WithDbAsync(db => db.AuditLog.AsNoTracking().OrderBy(a => a.Id).ToListAsync());
        Assert.Equal(audited, chain.Take(audited.Count).Select(a => a.Hash));
        Assert.Equal(SqliteBackup.RestoredAction, chain.Last().Action);
    }

    [Fact]
    public async Task A_tampered_file_in_the_backup_is_refused_by_name_and_the_target_stays_untouched()
    {
        await IngestSamplesAsync();
        Assert.Equal(0, (await BackupAsync()).Exit);
        var victim = (await RecordingsOf(source)).First().StorageKey;
        var path = Path.Combine(BackupDir, BackupManifest.FilesFolder, victim);
        var bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 0x55; // one sample changed, same length
        File.WriteAllBytes(path, bytes);

        var (exit, output) = await RestoreAsync();

        Assert.Equal(1, exit);
        Assert.Contains("REFUSED", output);
        Assert.Contains($"files/{victim}: its SHA-256 differs from the manifest's", output);
        Assert.Empty(await RecordingsOf(target));
        Assert.Equal(0, await target.WithDbAsync(db => db.AuditLog.CountAsync()));
        Assert.Empty(Directory.GetFiles(target.StorePath, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_backup_whose_database_file_was_changed_is_refused()
    {
        await IngestSamplesAsync();
        Assert.Equal(0, (await BackupAsync()).Exit);
        await using (var file = File.OpenWrite(Path.Combine(BackupDir, BackupManifest.DatabaseFileName)))
        {
            file.Seek(0, SeekOrigin.End);
            file.WriteByte(0);
        }

        var (exit, output) = await RestoreAsync();

        Assert.Equal(1, exit);
        Assert.Contains("database.sqlite: its SHA-256 differs from the manifest's", output);
        Assert.Empty(await RecordingsOf(target));
    }

    [Fact]
    public async Task A_file_gone_from_the_store_is_named_and_makes_the_backup_one_that_restore_refuses()
    {
        await IngestSamplesAsync();
        var lost = (await RecordingsOf(source)).Last();
        await source.Store.DeleteAsync(lost.StorageKey, CancellationToken.None); // by hand, behind the app's back

        var (exit, output) = await BackupAsync();

        Assert.Equal(1, exit);
        Assert.Contains("INCOMPLETE: 1 recording(s)", output);
        Assert.Contains($"recording {lost.Id}: its file {lost.StorageKey} is not in the store", output);
        var (restoreExit, restoreOutput) = await RestoreAsync();
        Assert.Equal(1, restoreExit);
        Assert.Contains($"the backup is incomplete: recording {lost.Id}: its file {lost.StorageKey} is not in the store", restoreOutput);
        Assert.Empty(await RecordingsOf(target));
    }

    [Fact]
    public async Task Backup_refuses_a_folder_that_is_not_empty_and_leaves_it_alone()
    {
        Directory.CreateDirectory(BackupDir);
        File.WriteAllText(Path.Combine(BackupDir, "last-week.txt"), "an older backup");

        var refused = await Assert.ThrowsAsync<CliException>(BackupAsync);

        Assert.Contains("is not empty", refused.Message);
        Assert.Equal([Path.Combine(BackupDir, "last-week.txt")], Directory.GetFileSystemEntries(BackupDir));
    }

    [Fact]
    public async Task Restore_refuses_a_database_that_is_not_empty_unless_forced()
    {
        await IngestSamplesAsync();
        Assert.Equal(0, (await BackupAsync()).Exit);
        Assert.Equal(0, (await RestoreAsync()).Exit);

        var refused = await Assert.ThrowsAsync<CliException>(() => RestoreAsync());
        Assert.Contains("the database is not empty (9 recordings", refused.Message);
        Assert.Contains("--force", refused.Message);

        var (exit, output) = await RestoreAsync("--force");
        Assert.True(exit == 0, output);
        Assert.Contains("0 files written to the store", output);
        Assert.Equal(9, (await RecordingsOf(target)).Count);
        Assert.Equal(0, (await target.RunCliAsync(AuditCli.VerifyAsync)).Exit);
    }

    [Fact]
    public async Task Files_of_recordings_erased_while_a_backup_runs_stay_until_it_ends_and_go_with_the_next_run()
    {
        await IngestSamplesAsync();
        var doomed = (await RecordingsOf(source)).First();
        var eraser = source.Get<RecordingEraser>();

        using (await BackupGate.TryHoldAsync(source.DatabasePath))
        {
            var erased = await eraser.EraseAsync([new Erasure(doomed.Id, "test")], ErasureCause.Manual, "tester");
            Assert.Single(erased.Erased);
            Assert.NotNull(await Sha256InStoreAsync(source, doomed.StorageKey));
            Assert.Equal(1, await eraser.PendingCountAsync());
            Assert.Equal(0, await eraser.CompletePendingAsync()); // the next run while the backup still runs: waits too
            Assert.NotNull(await Sha256InStoreAsync(source, doomed.StorageKey));
        }

        Assert.Equal(1, await eraser.CompletePendingAsync());
        Assert.Null(await Sha256InStoreAsync(source, doomed.StorageKey));
    }

    [Fact]
    public async Task A_second_backup_of_the_same_database_at_the_same_time_is_refused()
    {
        using (await BackupGate.TryHoldAsync(source.DatabasePath))
        {
            var refused = await Assert.ThrowsAsync<CliException>(BackupAsync);
            Assert.Contains("another backup of this database is running", refused.Message);
        }
    }

    [Fact]
    public async Task A_backup_taken_while_files_are_being_ingested_restores_with_every_row_and_its_file()
    {
        var sources = SpoolFiles.Write(source.Spool, 300);
        var ingesting = source.RunCliAsync(IngestCli.RunAsync, "--path", source.Spool);
        await IngestionApp.EventuallyAsync(async () => await source.WithDbAsync(db => db.Recordings.AnyAsync()) || ingesting.IsCompleted, "the first recordings");

        var (backupExit, backupOutput) = await BackupAsync();
        var (_, ingested) = await ingesting;

        Assert.True(backupExit == 0, backupOutput);
        Assert.True(ingested.Contains("accepted 309,", StringComparison.Ordinal), ingested);
        var (restoreExit, restoreOutput) = await RestoreAsync();
        Assert.True(restoreExit == 0, restoreOutput);
        var restored = await RecordingsOf(target);
        Assert.NotEmpty(restored);
        foreach (var recording in restored) Assert.Equal(recording.Sha256, await Sha256InStoreAsync(target, recording.StorageKey));
        Assert.Equal(0, (await target.RunCliAsync(AuditCli.VerifyAsync)).Exit);
        var final = await RecordingsOf(source);
        Assert.Subset(final.Select(r => r.CallId).ToHashSet(), restored.Select(r => r.CallId).ToHashSet());
        Assert.Subset(final.Select(r => r.CallId).ToHashSet(), sources.Select(s => s.CallId).ToHashSet());
        log.WriteLine($"the backup caught {restored.Count} of {final.Count} recordings: {backupOutput}");
    }

    [Fact]
    public async Task The_verbs_say_that_a_server_database_is_backed_up_with_the_servers_tools()
    {
        // Only the provider is looked at before refusing: the connection is never opened.
        var postgres = new ServerDatabase();
        var backup = new SqliteBackup(postgres, source.Store, Options.Create(new StorageOptions()), new AuditLog(postgres, TimeProvider.System), TimeProvider.System);

        var refused = await Assert.ThrowsAsync<CliException>(() => backup.BackupAsync(BackupDir));
        var refusedRestore = await Assert.ThrowsAsync<CliException>(() => backup.RestoreAsync(BackupDir, force: true, _ => Task.CompletedTask));

        Assert.Contains("the database is PostgreSql: its backup and restore belong to the server's own tools (pg_dump", refused.Message);
        Assert.Contains("`restore` covers SQLite installations", refusedRestore.Message);
        Assert.False(Directory.Exists(BackupDir));
    }

    private sealed class ServerDatabase : IDbContextFactory<AppDbContext>
    {
        public AppDbContext CreateDbContext() => new PostgreSqlAppDbContext(new DbContextOptionsBuilder<PostgreSqlAppDbContext>()
            .UseNpgsql("Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none").Options);
    }

    /// <summary>The app with a spool folder of its own that nothing watches: the tests ingest it with `ingest --path`.</summary>
    private sealed class SourceApp : AppFactory
    {
        public string Spool => Path.Combine(Root, "spool");

        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Ingestion:QuarantinePath"] = Path.Combine(Root, "quarantine"),
            ["Ingestion:StagingPath"] = Path.Combine(Root, "incoming"),
        };

        public T Get<T>() where T : notnull => Services.GetRequiredService<T>();
    }
}
