using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Shared.Time;

namespace NagrywanieRozmow.Features.Demo;

/// <summary>
/// Metadata-only demo rows by the million, for benchmarks. On SQLite the secondary indexes and the number-index triggers
/// are set aside during the load and rebuilt from their own stored definitions, so the database ends exactly as migrated;
/// PostgreSQL does the same around a binary COPY; SQL Server gets plain batched inserts. The rows are the same on each.
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
        switch (db.Provider)
        {
            case DatabaseProvider.PostgreSql:
                return await SeedPostgreSqlAsync((NpgsqlConnection)db.Database.GetDbConnection(), calls, progress, ct);
            case DatabaseProvider.SqlServer:
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
        var (made, making) = MakeInBackground(rows, ct);
        var inserted = 0;
        await foreach (var chunk in made.ReadAllAsync(ct))
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

    private static (System.Threading.Channels.ChannelReader<Recording[]> Chunks, Task Making) MakeInBackground(IEnumerable<Recording> rows, CancellationToken ct)
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
        return (made.Reader, making);
    }

    /// <summary>
    /// PostgreSQL: one transaction drops the secondary indexes of Recordings (keeping their definitions), loads the rows
    /// with binary COPY, and creates the indexes again from those definitions, so the table ends exactly as migrated; a
    /// failure anywhere rolls all of it back. Building an index once over the loaded rows is far cheaper than keeping
    /// fourteen of them (two GIN trigram ones) current row by row.
    /// </summary>
    private async Task<int> SeedPostgreSqlAsync(NpgsqlConnection connection, IEnumerable<Recording> rows, TextWriter progress, CancellationToken ct)
    {
        await connection.OpenAsync(ct);
        var watch = Stopwatch.StartNew();
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await ExecuteAsync(connection, "SET LOCAL maintenance_work_mem = '256MB'; SET LOCAL synchronous_commit = off;", ct);
        var setAside = new List<(string Name, string Definition)>();
        await using (var read = connection.CreateCommand())
        {
            read.CommandText = """
                SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x
                JOIN pg_class i ON i.oid = x.indexrelid
                WHERE x.indrelid = '"Recordings"'::regclass AND NOT x.indisprimary
                """;
            await using var reader = await read.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) setAside.Add((reader.GetString(0), reader.GetString(1)));
        }
        foreach (var (name, _) in setAside) await ExecuteAsync(connection, $"DROP INDEX \"{name}\"", ct);

        var (made, making) = MakeInBackground(rows, ct);
        var inserted = 0;
        await using (var copy = await connection.BeginBinaryImportAsync(
            $"COPY \"Recordings\" ({string.Join(", ", PostgreSqlColumns.Select(c => $"\"{c}\""))}) FROM STDIN (FORMAT BINARY)", ct))
        {
            await foreach (var chunk in made.ReadAllAsync(ct))
            {
                foreach (var r in chunk) WriteRow(copy, r);
                inserted += chunk.Length;
                if (inserted % 200_000 == 0) await progress.WriteLineAsync($"… {inserted} rows");
            }
            await making;
            await copy.CompleteAsync(ct);
        }
        await progress.WriteLineAsync($"… {inserted} rows copied ({watch.Elapsed.TotalSeconds:0.0} s); building the indexes");
        foreach (var (_, definition) in setAside) await ExecuteAsync(connection, definition, ct);
        await transaction.CommitAsync(ct);
        await ExecuteAsync(connection, "ANALYZE \"Recordings\"", ct);
        logger.LogInformation("Copied {Count} rows and rebuilt {Indexes} indexes in {Seconds:0.0} s", inserted, setAside.Count, watch.Elapsed.TotalSeconds);
        return inserted;
    }

    /// <summary>Every column of a row that <see cref="WriteRow"/> writes, in its order; Id comes from the identity.</summary>
    private static readonly string[] PostgreSqlColumns = [.. Columns, "TypeIsGuess", "Disposition"];

    /// <summary>Synchronous on purpose: the writes land in Npgsql's buffer, and an await per field would cost more than the copy.</summary>
    private static void WriteRow(NpgsqlBinaryImporter copy, Recording r)
    {
        copy.StartRow();
        copy.Write(r.CallId, NpgsqlDbType.Varchar);
        WriteText(copy, r.LinkedId);
        copy.Write(DateTime.SpecifyKind(r.StartedAt, DateTimeKind.Utc), NpgsqlDbType.TimestampTz);
        copy.Write(r.DurationMs, NpgsqlDbType.Integer);
        copy.Write(r.CallerNumber, NpgsqlDbType.Varchar);
        copy.Write(r.CallerDigits, NpgsqlDbType.Varchar);
        copy.Write(r.CalleeNumber, NpgsqlDbType.Varchar);
        copy.Write(r.CalleeDigits, NpgsqlDbType.Varchar);
        WriteText(copy, r.Extension);
        WriteText(copy, r.UserName);
        WriteText(copy, r.Team);
        copy.Write((int)r.Type, NpgsqlDbType.Integer);
        WriteText(copy, r.Queue);
        copy.Write(r.SizeBytes, NpgsqlDbType.Bigint);
        copy.Write(r.Format, NpgsqlDbType.Varchar);
        WriteText(copy, r.Codec);
        copy.Write(r.SampleRate, NpgsqlDbType.Integer);
        copy.Write(r.Channels, NpgsqlDbType.Integer);
        copy.Write(r.Sha256, NpgsqlDbType.Char);
        copy.Write(r.StorageKey, NpgsqlDbType.Varchar);
        copy.Write(r.OriginalFileName, NpgsqlDbType.Varchar);
        copy.Write(DateTime.SpecifyKind(r.IngestedAt, DateTimeKind.Utc), NpgsqlDbType.TimestampTz);
        copy.Write(r.LegalHold, NpgsqlDbType.Boolean);
        copy.Write(r.TypeIsGuess, NpgsqlDbType.Boolean);
        WriteText(copy, r.Disposition);
    }

    private static void WriteText(NpgsqlBinaryImporter copy, string? value)
    {
        if (value is null) copy.WriteNull();
        else copy.Write(value, NpgsqlDbType.Varchar);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 600;
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>No file is written: the row says what the file would be, and the panel shows it as missing.</summary>
    private static Recording WithoutAudio(Recording row)
    {
        row.Sha256 = PlaceholderSha256(row.CallId);
        return row;
    }

    /// <summary>The hash a metadata-only row carries instead of a file's: how a backup tells such a row from a lost file.</summary>
    public static string PlaceholderSha256(string callId) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(callId)));

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
