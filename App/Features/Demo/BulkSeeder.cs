using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Shared.Time;

namespace NagrywanieRozmow.Features.Demo;

/// <summary>
/// Metadata-only demo rows by the million, for benchmarks. On SQLite the secondary indexes and the number-index triggers
/// are set aside during the load and rebuilt from their own stored definitions, so the database ends exactly as migrated.
/// </summary>
public sealed class BulkSeeder(IDbContextFactory<AppDbContext> dbs, DisplayTime time, TimeProvider clock, ILogger<BulkSeeder> logger)
{
    private static readonly string[] Columns =
    [
        "CallId", "LinkedId", "StartedAt", "DurationMs", "CallerNumber", "CallerDigits", "CalleeNumber", "CalleeDigits", "Extension",
        "UserName", "Team", "Type", "Queue", "SizeBytes", "Format", "Codec", "SampleRate", "Channels", "Sha256", "StorageKey",
        "OriginalFileName", "IngestedAt", "LegalHold",
    ];

    public async Task<int> SeedMetadataAsync(int count, int days, int seed, long firstSequence, TextWriter progress, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var calls = new DemoCalls(seed, firstSequence).Generate(count, days, clock.GetUtcNow().UtcDateTime, time.Zone).Select(c => WithoutAudio(c.Row));
        if (db.Provider != DatabaseProvider.Sqlite)
        {
            var done = 0;
            foreach (var chunk in calls.Chunk(5000))
            {
                await using var batch = await dbs.CreateDbContextAsync(ct);
                batch.Recordings.AddRange(chunk);
                await batch.SaveChangesAsync(ct);
                done += chunk.Length;
            }
            return done;
        }

        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await connection.OpenAsync(ct);
        await ExecuteAsync(connection, "PRAGMA synchronous=OFF; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-262144; PRAGMA threads=4;", ct);
        var watch = Stopwatch.StartNew();

        // Set aside what slows a bulk load, keeping its exact definition to put back.
        var setAside = new List<string>();
        await using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT sql FROM sqlite_master WHERE tbl_name = 'Recordings' AND type IN ('index', 'trigger') AND sql IS NOT NULL";
            await using var reader = await read.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) setAside.Add(reader.GetString(0));
        }
        var names = setAside.Select(sql => (Kind: sql.StartsWith("CREATE TRIGGER", StringComparison.OrdinalIgnoreCase) ? "TRIGGER" : "INDEX", Name: NameOf(sql))).ToList();
        int inserted;
        try
        {
            foreach (var (kind, name) in names) await ExecuteAsync(connection, $"DROP {kind} IF EXISTS \"{name}\"", ct);
            inserted = await InsertAsync(connection, calls, progress, ct);
        }
        finally
        {
            foreach (var sql in setAside) await ExecuteAsync(connection, sql, CancellationToken.None);
        }
        logger.LogInformation("Inserted {Count} rows in {Seconds:0.0} s; rebuilding the number index", inserted, watch.Elapsed.TotalSeconds);
        await progress.WriteLineAsync($"… {inserted} rows written, indexes rebuilt ({watch.Elapsed.TotalSeconds:0.0} s); rebuilding the number search index");
        await ExecuteAsync(connection, "INSERT INTO RecordingNumbers(RecordingNumbers) VALUES ('rebuild'); ANALYZE; PRAGMA synchronous=FULL;", ct);
        return inserted;
    }

    /// <summary>
    /// One thread makes the rows (names, numbers, hashes) while this one writes them: on two cores the load takes the
    /// longer of the two instead of their sum.
    /// </summary>
    private static async Task<int> InsertAsync(SqliteConnection connection, IEnumerable<Recording> rows, TextWriter progress, CancellationToken ct)
    {
        var made = System.Threading.Channels.Channel.CreateBounded<Recording[]>(2);
        var making = Task.Run(async () =>
        {
            try
            {
                foreach (var chunk in rows.Chunk(20_000)) await made.Writer.WriteAsync(chunk, ct);
                made.Writer.Complete();
            }
            catch (Exception e)
            {
                made.Writer.Complete(e);
            }
        }, ct);
        var inserted = 0;
        await foreach (var chunk in made.Reader.ReadAllAsync(ct))
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = $"INSERT INTO Recordings ({string.Join(", ", Columns)}) VALUES ({string.Join(", ", Columns.Select(c => "$" + c))})";
            var p = Columns.ToDictionary(c => c, c => insert.Parameters.Add(new SqliteParameter("$" + c, null)));
            insert.Prepare();
            foreach (var r in chunk)
            {
                p["CallId"].Value = r.CallId; p["LinkedId"].Value = r.LinkedId; p["StartedAt"].Value = r.StartedAt.Ticks;
                p["DurationMs"].Value = r.DurationMs; p["CallerNumber"].Value = r.CallerNumber; p["CallerDigits"].Value = r.CallerDigits;
                p["CalleeNumber"].Value = r.CalleeNumber; p["CalleeDigits"].Value = r.CalleeDigits;
                p["Extension"].Value = (object?)r.Extension ?? DBNull.Value; p["UserName"].Value = (object?)r.UserName ?? DBNull.Value;
                p["Team"].Value = (object?)r.Team ?? DBNull.Value; p["Type"].Value = (int)r.Type; p["Queue"].Value = (object?)r.Queue ?? DBNull.Value;
                p["SizeBytes"].Value = r.SizeBytes; p["Format"].Value = r.Format; p["Codec"].Value = r.Codec; p["SampleRate"].Value = r.SampleRate;
                p["Channels"].Value = r.Channels; p["Sha256"].Value = r.Sha256; p["StorageKey"].Value = r.StorageKey;
                p["OriginalFileName"].Value = r.OriginalFileName; p["IngestedAt"].Value = r.IngestedAt.Ticks; p["LegalHold"].Value = 0;
                await insert.ExecuteNonQueryAsync(ct);
            }
            await transaction.CommitAsync(ct);
            inserted += chunk.Length;
            if (inserted % 200_000 == 0) await progress.WriteLineAsync($"… {inserted} rows");
        }
        await making;
        return inserted;
    }

    /// <summary>No file is written: the row says what the file would be, and the panel shows it as missing.</summary>
    private static Recording WithoutAudio(Recording row)
    {
        row.Sha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(row.CallId)));
        return row;
    }

    private static string NameOf(string createSql)
    {
        // CREATE [UNIQUE] INDEX "Name" ON … / CREATE TRIGGER Name AFTER …
        var words = createSql.Split([' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var at = Array.FindIndex(words, w => w.Equals("INDEX", StringComparison.OrdinalIgnoreCase) || w.Equals("TRIGGER", StringComparison.OrdinalIgnoreCase));
        var name = words[at + 1];
        if (name.Equals("IF", StringComparison.OrdinalIgnoreCase)) name = words[at + 4];
        return name.Trim('"', '[', ']', '`');
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 600;
        await command.ExecuteNonQueryAsync(ct);
    }
}
