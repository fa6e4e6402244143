using Microsoft.Data.Sqlite;

namespace NagrywanieRozmow.Shared.Storage;

/// <summary>
/// Holds off file deletions while a backup copies files: a lock file beside the SQLite database
/// (<c>app.db.backup-lock</c>), held exclusively by the running <c>backup</c> and looked at by <c>RecordingEraser</c> before
/// it removes files. The lock is the operating system's (.NET takes <c>flock</c> for <see cref="FileShare.None"/>), so it
/// works across processes, between two handles of one process (the tests), and is gone the moment a backup process dies.
/// </summary>
/// <remarks>
/// Why a lock and not "copy what is left and report the rest": the eraser commits a recording's tombstone before it
/// deletes the files, so a database snapshot taken while the lock is held references only files the eraser will not
/// touch until the lock is gone. An eraser that looked before the lock was taken only deletes files of rows it had
/// already tombstoned (committed before it looked, so before the snapshot): the snapshot does not reference them either.
/// Deferring costs nothing lasting: the tombstones keep their pending keys and the next purge (or <c>retention run</c>)
/// finishes them, as it does after any interrupted run.
/// </remarks>
public static class BackupGate
{
    public static string LockPathOf(string sqliteDatabasePath) => sqliteDatabasePath + ".backup-lock";

    /// <summary>The database file of a SQLite connection string, or null for an in-memory database.</summary>
    public static string? DatabasePathOf(string? connectionString)
    {
        if (string.IsNullOrEmpty(connectionString)) return null;
        var csb = new SqliteConnectionStringBuilder(connectionString);
        return csb.DataSource is { Length: > 0 } ds && ds != ":memory:" && csb.Mode != SqliteOpenMode.Memory ? Path.GetFullPath(ds) : null;
    }

    /// <summary>Takes the lock for a backup; null when another backup holds it.</summary>
    public static async Task<IDisposable?> TryHoldAsync(string sqliteDatabasePath)
    {
        // A few tries: an eraser's look (a shared lock for an instant) must not pass for a second backup.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return new FileStream(LockPathOf(sqliteDatabasePath), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 10)
            {
                await Task.Delay(100);
            }
            catch (IOException)
            {
                return null;
            }
        }
    }

    /// <summary>True while a backup of this database is copying files: deletions of stored files must wait.</summary>
    public static bool IsHeld(string? sqliteDatabasePath)
    {
        if (sqliteDatabasePath is null) return false;
        try
        {
            using var probe = new FileStream(LockPathOf(sqliteDatabasePath), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return false;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (DirectoryNotFoundException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }
}
