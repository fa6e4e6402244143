using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Demo;
using NagrywanieRozmow.Features.Playback;
using NagrywanieRozmow.Shared.Cli;
using NagrywanieRozmow.Shared.Storage;

using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Features.Backup;

public sealed record BackupResult(BackupManifest Manifest, TimeSpan Took, long Bytes);

/// <param name="Refused">The backup did not pass its check and nothing was changed; otherwise <paramref name="Problems"/> are those of the check after the restore.</param>
public sealed record RestoreResult(BackupManifest? Manifest, bool Refused, IReadOnlyList<string> Problems, TimeSpan Took, long Bytes, int FilesWritten, int FilesAlreadyThere);

/// <summary>
/// Backup and restore of a SQLite installation: the database by SQLite's online backup API, the recording store by
/// copying exactly the files the database snapshot references, each checked against its row's SHA-256.
/// </summary>
/// <remarks>
/// Consistency: the database is snapshotted first, in one step (one read transaction, so ingestion keeps writing
/// meanwhile), and only then are files copied. Ingestion writes a file before its row commits, so every row in the
/// snapshot already has its file. Deletions are held off with <see cref="BackupGate"/> while the copy runs, so no file
/// the snapshot references can vanish; one that is missing or different anyway (deleted by hand, a damaged disk) is named
/// in the report and in the manifest, and makes the backup incomplete, which restore refuses.
/// </remarks>
public sealed class SqliteBackup(IDbContextFactory<AppDbContext> dbs, IRecordingStore store, IOptions<StorageOptions> storage, AuditLog audit, TimeProvider time)
{
    public const string RestoredAction = "backup.restored";
    private const int Parallelism = 4;

    public async Task<BackupResult> BackupAsync(string target, CancellationToken ct = default)
    {
        var (liveConnection, databasePath) = await SqliteDatabaseAsync("backup", ct);
        target = Path.GetFullPath(target);
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
            throw new CliException($"the target folder {target} is not empty; give a new or empty folder (a backup never overwrites another).");
        if (File.Exists(target)) throw new CliException($"{target} is a file; give a new or empty folder.");
        Directory.CreateDirectory(target);

        using var gate = await BackupGate.TryHoldAsync(databasePath)
            ?? throw new CliException("another backup of this database is running; wait for it to finish.");
        var watch = Stopwatch.StartNew();

        var databaseFile = Path.Combine(target, BackupManifest.DatabaseFileName);
        using (var source = new SqliteConnection(liveConnection))
        using (var destination = new SqliteConnection(FileConnection(databaseFile, readOnly: false)))
        {
            source.Open();
            destination.Open();
            // One step (-1): every page under one read transaction, a consistent snapshot however busy the app is.
            source.BackupDatabase(destination);
            // The copied header says WAL; a backup should be one self-contained file.
            Execute(destination, "PRAGMA journal_mode=DELETE;");
        }
        var snapshot = ReadSnapshot(databaseFile);

        var files = new ConcurrentBag<BackupFile>();
        var problems = new ConcurrentBag<string>();
        var metadataOnly = new ConcurrentBag<long>();
        // Rows may share a stored file (the same content arriving twice under one name): each key is copied once.
        var byKey = snapshot.Recordings.GroupBy(r => r.StorageKey).ToList();
        await Parallel.ForEachAsync(byKey, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (group, token) =>
        {
            var copied = await CopyOutAsync(group.Key, target, token);
            foreach (var row in group)
            {
                if (copied is null && row.Sha256 == BulkSeeder.PlaceholderSha256(row.CallId)) metadataOnly.Add(row.Id);
                else if (copied is null) problems.Add($"recording {row.Id}: its file {group.Key} is not in the store");
                else if (copied.Value.Sha256 != row.Sha256)
                    problems.Add($"recording {row.Id}: its file {group.Key} has SHA-256 {copied.Value.Sha256}, its row says {row.Sha256} (the stored file changed since ingestion)");
            }
            if (copied is { } c && group.Any(r => r.Sha256 == c.Sha256))
                files.Add(new BackupFile(group.Key, group.First(r => r.Sha256 == c.Sha256).Id, BackupFileKind.Original, c.Size, c.Sha256));
            foreach (var row in group)
            {
                // Renditions are derived (made again on first play when absent), but copying them saves the ffmpeg work.
                var key = Renditions.RenditionKeyOf(row.Id);
                if (key != group.Key && await CopyOutAsync(key, target, token) is { } r)
                    files.Add(new BackupFile(key, row.Id, BackupFileKind.Rendition, r.Size, r.Sha256));
            }
        });

        var databaseInfo = new FileInfo(databaseFile);
        var ordered = files.OrderBy(f => f.RecordingId).ThenBy(f => f.Kind).ToList();
        var manifest = new BackupManifest
        {
            AppVersion = AppVersion,
            CreatedAt = time.GetUtcNow().UtcDateTime,
            DatabaseProvider = nameof(DatabaseProvider.Sqlite),
            StorageProvider = storage.Value.Provider.ToString(),
            Database = new BackupDatabaseFile(BackupManifest.DatabaseFileName, databaseInfo.Length, await ContentHash.OfFileAsync(databaseFile, ct), snapshot.LastMigration, snapshot.AuditEntries),
            Counts = new BackupCounts(snapshot.Recordings.Count, ordered.Count(f => f.Kind == BackupFileKind.Original),
                ordered.Count(f => f.Kind == BackupFileKind.Rendition), metadataOnly.Count, ordered.Sum(f => f.SizeBytes)),
            Files = ordered,
            MetadataOnlyRecordings = metadataOnly.Order().ToList(),
            Problems = problems.Order(StringComparer.Ordinal).ToList(),
        };
        // Written last and moved into place: a folder with a manifest is a finished backup.
        var partial = Path.Combine(target, BackupManifest.FileName + ".partial");
        await File.WriteAllBytesAsync(partial, JsonSerializer.SerializeToUtf8Bytes(manifest, BackupManifest.Json), ct);
        File.Move(partial, Path.Combine(target, BackupManifest.FileName));
        return new BackupResult(manifest, watch.Elapsed, databaseInfo.Length + manifest.Counts.FileBytes);
    }

    /// <summary>
    /// Checks the whole backup first and changes nothing when any part of it is wrong; then writes the files into the
    /// store, replaces the database with the backup's, migrates it to this version's schema, and checks the result.
    /// </summary>
    public async Task<RestoreResult> RestoreAsync(string source, bool force, Func<string, Task> progress, CancellationToken ct = default)
    {
        var (liveConnection, _) = await SqliteDatabaseAsync("restore", ct);
        source = Path.GetFullPath(source);
        if (!Directory.Exists(source)) throw new CliException($"there is no folder {source}.");
        var watch = Stopwatch.StartNew();

        var (verified, problems) = await VerifyBackupAsync(source, ct);
        if (problems.Count > 0 || verified is not { } manifest) return new RestoreResult(verified, true, problems, watch.Elapsed, 0, 0, 0);

        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            var known = db.Database.GetMigrations().ToHashSet(StringComparer.Ordinal);
            if (manifest.Database.LastMigration is { } last && !known.Contains(last))
                throw new CliException($"the backup's database has schema {last}, which this version of the app does not know (made by a newer version?); restore it with that version.");
            var filled = new List<string>();
            if (await db.Recordings.AnyAsync(ct)) filled.Add($"{await db.Recordings.CountAsync(ct)} recordings");
            if (await db.Set<RecordingTombstone>().AnyAsync(ct)) filled.Add("erased recordings");
            if (await db.AuditLog.AnyAsync(ct)) filled.Add($"{await db.AuditLog.CountAsync(ct)} audit entries");
            if (await db.Users.AnyAsync(ct)) filled.Add($"{await db.Users.CountAsync(ct)} users");
            if (filled.Count > 0 && !force)
                throw new CliException($"the database is not empty ({string.Join(", ", filled)}); restoring replaces all of it. Stop the app and add --force to replace it.");
        }
        if (!await store.IsReadyAsync(ct)) throw new CliException($"the recording store ({storage.Value.Provider}) does not answer.");

        // The store is looked at before anything is written: a key holding other content is replaced only with --force.
        var toWrite = new ConcurrentBag<BackupFile>();
        var conflicts = new ConcurrentBag<string>();
        var alreadyThere = 0;
        await Parallel.ForEachAsync(manifest.Files, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (file, token) =>
        {
            await using var existing = await store.OpenReadAsync(file.Key, token);
            if (existing is null) toWrite.Add(file);
            else if (await ContentHash.OfAsync(existing, token) == file.Sha256) Interlocked.Increment(ref alreadyThere);
            else
            {
                conflicts.Add(file.Key);
                toWrite.Add(file);
            }
        });
        if (!conflicts.IsEmpty && !force)
            throw new CliException(
                $"{conflicts.Count} file(s) in the recording store hold other content than the backup's, e.g. {string.Join(", ", conflicts.Order().Take(3))}; add --force to replace them.");

        await progress($"Backup verified: {manifest.Files.Count} files and the database match the manifest. Writing {toWrite.Count} files to the store…");
        long bytes = 0;
        var conflicted = conflicts.ToHashSet(StringComparer.Ordinal);
        await Parallel.ForEachAsync(toWrite, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (file, token) =>
        {
            if (conflicted.Contains(file.Key)) await store.DeleteAsync(file.Key, token);
            await using var content = new FileStream(PathInBackup(source, file.Key), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
            await store.SaveAsync(file.Key, content, token);
            Interlocked.Add(ref bytes, file.SizeBytes);
        });

        // Then the database, replacing the empty one the command line migrated before this verb ran.
        SqliteConnection.ClearAllPools();
        using (var backup = new SqliteConnection(FileConnection(Path.Combine(source, manifest.Database.File), readOnly: true)))
        using (var live = new SqliteConnection(liveConnection))
        {
            backup.Open();
            live.Open();
            backup.BackupDatabase(live);
        }
        SqliteConnection.ClearAllPools();
        bytes += manifest.Database.SizeBytes;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            // A backup made by an older version gets this version's schema now, as a start of the app would give it.
            await db.Database.MigrateAsync(ct);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }

        var check = await CheckRestoredAsync(manifest, ct);
        if (check.Count == 0)
        {
            await audit.AppendAsync(AuditActor.CommandLine.Name, RestoredAction, AuditOutcomes.Success,
                details: AuditLog.Details(new
                {
                    from = source, backupCreatedAt = manifest.CreatedAt, manifest.AppVersion, manifest.Counts.Recordings, databaseSha256 = manifest.Database.Sha256
                }), ct: ct);
        }
        return new RestoreResult(manifest, false, check, watch.Elapsed, bytes, toWrite.Count, alreadyThere);
    }

    /// <summary>Every problem of a backup folder, each naming its file: missing, resized, changed, or not matching the database's rows.</summary>
    public async Task<(BackupManifest? Manifest, List<string> Problems)> VerifyBackupAsync(string source, CancellationToken ct)
    {
        var problems = new List<string>();
        var manifestPath = Path.Combine(source, BackupManifest.FileName);
        if (!File.Exists(manifestPath)) return (null, [$"{manifestPath} is missing: not a backup folder, or a backup that did not finish."]);
        BackupManifest? manifest;
        try
        {
            await using var stream = File.OpenRead(manifestPath);
            manifest = await JsonSerializer.DeserializeAsync<BackupManifest>(stream, BackupManifest.Json, ct);
        }
        catch (JsonException e)
        {
            return (null, [$"{BackupManifest.FileName} cannot be read ({e.Message})."]);
        }
        if (manifest is null) return (null, [$"{BackupManifest.FileName} is empty."]);
        if (manifest.Format != BackupManifest.CurrentFormat) return (manifest, [$"{BackupManifest.FileName} has format {manifest.Format}; this version reads format {BackupManifest.CurrentFormat}."]);
        if (manifest.DatabaseProvider != nameof(DatabaseProvider.Sqlite))
            return (manifest, [$"the backup holds a {manifest.DatabaseProvider} database; only SQLite backups are restored by this verb."]);
        foreach (var p in manifest.Problems) problems.Add($"the backup is incomplete: {p}");

        var databaseFile = Path.Combine(source, BackupManifest.DatabaseFileName);
        if (manifest.Database.File != BackupManifest.DatabaseFileName)
            problems.Add($"{BackupManifest.FileName} names the database file '{manifest.Database.File}', expected {BackupManifest.DatabaseFileName}.");
        else if (!File.Exists(databaseFile)) problems.Add($"{BackupManifest.DatabaseFileName} is missing.");
        else if (await ContentHash.OfFileAsync(databaseFile, ct) != manifest.Database.Sha256)
            problems.Add($"{BackupManifest.DatabaseFileName}: its SHA-256 differs from the manifest's (changed or damaged since the backup).");

        var bad = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(manifest.Files, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (file, token) =>
        {
            string path;
            try
            {
                path = PathInBackup(source, file.Key);
            }
            catch (ArgumentException)
            {
                bad.Add($"{BackupManifest.FileName} lists an invalid storage key '{file.Key}'.");
                return;
            }
            var name = $"{BackupManifest.FilesFolder}/{file.Key}";
            if (!File.Exists(path)) bad.Add($"{name} is missing.");
            else if (new FileInfo(path).Length != file.SizeBytes) bad.Add($"{name}: {new FileInfo(path).Length} bytes, the manifest says {file.SizeBytes}.");
            else if (await ContentHash.OfFileAsync(path, token) != file.Sha256) bad.Add($"{name}: its SHA-256 differs from the manifest's (changed or damaged since the backup).");
        });
        problems.AddRange(bad.Order(StringComparer.Ordinal));
        if (problems.Count > 0) return (manifest, problems);

        // The database itself must agree: each recording's original is in the backup with the hash its row (and its
        // recording.ingest audit entry) holds, or the row is one of the metadata-only demo rows.
        var snapshot = ReadSnapshot(databaseFile);
        var originals = manifest.Files.Where(f => f.Kind == BackupFileKind.Original).GroupBy(f => f.Key).ToDictionary(g => g.Key, g => g.First().Sha256, StringComparer.Ordinal);
        var metadataOnly = manifest.MetadataOnlyRecordings.ToHashSet();
        foreach (var row in snapshot.Recordings)
        {
            if (originals.TryGetValue(row.StorageKey, out var sha))
            {
                if (sha != row.Sha256) problems.Add($"{BackupManifest.FilesFolder}/{row.StorageKey}: SHA-256 {sha} in the manifest, recording {row.Id}'s row says {row.Sha256}.");
            }
            else if (!(metadataOnly.Contains(row.Id) && row.Sha256 == BulkSeeder.PlaceholderSha256(row.CallId)))
                problems.Add($"recording {row.Id}: its file {row.StorageKey} is not in the backup.");
        }
        if (snapshot.Recordings.Count != manifest.Counts.Recordings)
            problems.Add($"{BackupManifest.DatabaseFileName} holds {snapshot.Recordings.Count} recordings, the manifest says {manifest.Counts.Recordings}.");
        return (manifest, problems);
    }

    /// <summary>After a restore: the rows are the backup's, every file is in the store with its hash, and the audit chain holds.</summary>
    private async Task<List<string>> CheckRestoredAsync(BackupManifest manifest, CancellationToken ct)
    {
        var problems = new ConcurrentBag<string>();
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            var count = await db.Recordings.CountAsync(ct);
            if (count != manifest.Counts.Recordings) problems.Add($"the restored database holds {count} recordings, the backup {manifest.Counts.Recordings}.");
        }
        await Parallel.ForEachAsync(manifest.Files, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (file, token) =>
        {
            await using var stored = await store.OpenReadAsync(file.Key, token);
            if (stored is null) problems.Add($"{file.Key} is not in the store after the restore.");
            else if (await ContentHash.OfAsync(stored, token) != file.Sha256) problems.Add($"{file.Key} in the store differs from the backup's.");
        });
        if (await audit.VerifyAsync(ct) is { } broken) problems.Add($"the audit log is broken at entry {broken.Entry.Id}: {broken.Problem}.");
        return problems.Order(StringComparer.Ordinal).ToList();
    }

    private async Task<(string ConnectionString, string DatabasePath)> SqliteDatabaseAsync(string verb, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (db.Provider != DatabaseProvider.Sqlite)
            throw new CliException($"the database is {db.Provider}: its backup and restore belong to the server's own tools " +
                (db.Provider == DatabaseProvider.PostgreSql
                    ? "(pg_dump / pg_restore, or the provider's point-in-time backups)"
                    : "(BACKUP DATABASE / RESTORE DATABASE, or the provider's automated backups)") +
                $", and the recording store ({storage.Value.Provider}) to the storage's own (a copy of the folder, or Azure blob versioning/soft delete). `{verb}` covers SQLite installations.");
        var connection = db.Database.GetConnectionString()!;
        var path = BackupGate.DatabasePathOf(connection) ?? throw new CliException("the database is in memory; there is nothing to back up or restore.");
        return (connection, path);
    }

    private async Task<(long Size, string Sha256)?> CopyOutAsync(string key, string target, CancellationToken ct)
    {
        await using var source = await store.OpenReadAsync(key, ct);
        if (source is null) return null;
        var path = PathInBackup(target, key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long size;
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
        {
            await new ContentHash.HashingReadStream(source, hash).CopyToAsync(file, 256 * 1024, ct);
            size = file.Length;
        }
        return (size, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private static string PathInBackup(string root, string key)
    {
        var files = Path.GetFullPath(Path.Combine(root, BackupManifest.FilesFolder));
        var path = Path.GetFullPath(Path.Combine(files, StorageKeys.Validate(key)));
        if (!path.StartsWith(files + Path.DirectorySeparatorChar, StringComparison.Ordinal)) throw new ArgumentException($"Storage key '{key}' leaves the backup.", nameof(key));
        return path;
    }

    private sealed record SnapshotRow(long Id, string CallId, string Sha256, string StorageKey);

    private sealed record Snapshot(List<SnapshotRow> Recordings, long AuditEntries, string? LastMigration);

    /// <summary>The backed-up database read as it is, by plain SQL (its schema may be an older version's).</summary>
    private static Snapshot ReadSnapshot(string databaseFile)
    {
        using var connection = new SqliteConnection(FileConnection(databaseFile, readOnly: true));
        connection.Open();
        var rows = new List<SnapshotRow>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = """SELECT "Id", "CallId", "Sha256", "StorageKey" FROM "Recordings" ORDER BY "Id";""";
            using var reader = command.ExecuteReader();
            while (reader.Read()) rows.Add(new SnapshotRow(reader.GetInt64(0), reader.GetString(1), reader.GetString(2).Trim(), reader.GetString(3)));
        }
        long audited;
        using (var command = connection.CreateCommand())
        {
            command.CommandText = """SELECT COUNT(*) FROM "AuditLog";""";
            audited = (long)command.ExecuteScalar()!;
        }
        string? lastMigration;
        using (var command = connection.CreateCommand())
        {
            command.CommandText = """SELECT MAX("MigrationId") FROM "__EFMigrationsHistory";""";
            lastMigration = command.ExecuteScalar() as string;
        }
        return new Snapshot(rows, audited, lastMigration);
    }

    private static string FileConnection(string path, bool readOnly) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
        Pooling = false,
    }.ToString();

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string AppVersion =>
        typeof(SqliteBackup).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(SqliteBackup).Assembly.GetName().Version?.ToString() ?? "unknown";
}
