using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Ingestion;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Features.Calls;

/// <summary>
/// Demo call records for <c>seed-demo --calls N</c> and the benchmarks: CDR rows as a FreePBX writes them (an incoming call
/// ringing a group, a queue trying its agents, outgoing and internal calls; about three rows a call) and the calls folded
/// from them. The recordings already seeded become the recorded calls (their call id is the linkedid); the rest are calls
/// nobody recorded, a good part of them missed. On SQLite the rows are written with the indexes set aside, as the
/// recordings' bulk seeder does.
/// </summary>
public sealed class CallSeeder(IDbContextFactory<AppDbContext> dbs, TimeProvider clock, NumberNormalizer numbers, IOptions<IngestionOptions> ingestion)
{
    private static readonly string[] CdrColumns =
        ["UniqueId", "LinkedId", "Source", "Destination", "Context", "DestinationChannel", "StartedAt", "DurationSeconds", "BillSeconds", "Disposition", "ReadAt"];
    private static readonly string[] CallColumns =
    [
        "LinkedId", "StartedAt", "CallerNumber", "CallerDigits", "CalleeNumber", "CalleeDigits", "Did", "Extension", "UserName", "Team", "Queue",
        "Type", "Disposition", "RingSeconds", "TalkSeconds", "Legs", "Erased", "HasRecording", "UpdatedAt",
    ];

    public async Task<(int Calls, int Rows, int Recorded)> SeedAsync(int count, int days, int seed, TextWriter progress, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        await using var db = await dbs.CreateDbContextAsync(ct);
        var (internals, people) = await CdrStore.DirectoryAsync(db, ingestion.Value.MaxExtensionDigits, ct);
        var recordings = await db.Recordings.AsNoTracking().Where(r => !db.Calls.Any(c => c.LinkedId == r.CallId)).OrderBy(r => r.Id).Take(count)
            .Select(r => new Recorded(r.CallId, r.StartedAt, r.DurationMs, r.CallerNumber, r.CalleeNumber, r.Extension, r.Type)).ToListAsync(ct);
        var calls = Generate(count, days, seed, recordings, people.Keys.ToList(), internals, people);
        int rows, written;
        // Setting the indexes aside pays only for a benchmark's millions (and a running app's queries would miss them meanwhile).
        if (db.Provider == DatabaseProvider.Sqlite && count >= 50_000) (written, rows) = await SqliteAsync(db, calls, progress, ct);
        else (written, rows) = await EfAsync(calls, ct);
        // The CDR just written is folded already: the call-history job starts after it.
        await using (var cursorDb = await dbs.CreateDbContextAsync(ct))
        {
            var last = await cursorDb.CdrRecords.MaxAsync(c => (long?)c.Id, ct) ?? 0;
            var cursor = await cursorDb.Set<CallSummaryCursor>().FirstOrDefaultAsync(c => c.Id == 1, ct);
            if (cursor is null) cursorDb.Add(cursor = new CallSummaryCursor { Id = 1 });
            cursor.LastCdrId = last;
            cursor.UpdatedAt = clock.GetUtcNow().UtcDateTime;
            await cursorDb.SaveChangesAsync(ct);
        }
        await progress.WriteLineAsync($"… {written} calls from {rows} CDR rows ({Math.Min(recordings.Count, count)} with a recording) in {watch.Elapsed.TotalSeconds:0.0} s");
        return (written, rows, Math.Min(recordings.Count, count));
    }

    private sealed record Recorded(string CallId, DateTime StartedAt, int DurationMs, string Caller, string Callee, string? Extension, CallType Type);

    private IEnumerable<(CallSummary Call, List<CallDetailRecord> Rows)> Generate(
        int count, int days, int seed, List<Recorded> recordings, List<string> extensions, InternalNumbers internals, IReadOnlyDictionary<string, DirectoryEntry> people)
    {
        var random = new Random(seed);
        var now = clock.GetUtcNow().UtcDateTime;
        var epoch = new DateTimeOffset(now).ToUnixTimeSeconds();
        if (extensions.Count == 0) extensions = ["201", "202", "203", "204"];
        string[] dids = ["221234500", "221234501", "587654300"];
        string[] queues = ["400", "401", "402"];
        string Outside() => random.Next(10) switch
        {
            < 6 => $"{random.Next(500, 800)}{random.Next(0, 1_000_000):D6}",
            < 9 => $"{random.Next(12, 95)}{random.Next(0, 10_000_000):D7}",
            _ => $"0048{random.Next(500, 800)}{random.Next(0, 1_000_000):D6}",
        };
        string Ext() => extensions[random.Next(extensions.Count)];
        for (var i = 0; i < count; i++)
        {
            var recorded = i < recordings.Count ? recordings[i] : null;
            var linkedId = recorded?.CallId ?? $"{epoch - random.Next(days * 86_400)}.{7_000_000 + i}";
            var start = recorded?.StartedAt ?? now.AddSeconds(-random.NextDouble() * days * 86_400);
            var rows = new List<CallDetailRecord>();
            var leg = 0;
            CallDetailRecord Row(int offset, string src, string dst, string context, string channel, string disposition, int duration, int billsec) => new()
            {
                UniqueId = leg++ == 0 ? linkedId : $"{linkedId}{leg}", LinkedId = linkedId, StartedAt = start.AddSeconds(offset), Source = src, Destination = dst,
                Context = context, DestinationChannel = channel, Disposition = disposition, DurationSeconds = duration, BillSeconds = billsec, ReadAt = start.AddSeconds(offset + duration),
            };
            // Recorded calls were answered; the others are answered two times in three.
            var answered = recorded is not null || random.Next(3) > 0;
            var talk = recorded is not null ? Math.Max(1, recorded.DurationMs / 1000) : random.Next(5, 900);
            var ring = random.Next(2, 30);
            var kind = recorded?.Type ?? (random.Next(10) switch { < 4 => CallType.Incoming, < 7 => CallType.Queue, < 9 => CallType.Outgoing, _ => CallType.Internal });
            var caller = recorded?.Caller ?? (kind is CallType.Outgoing or CallType.Internal ? Ext() : Outside());
            var agent = recorded?.Extension ?? Ext();
            switch (kind)
            {
                case CallType.Queue:
                {
                    var queue = queues[random.Next(queues.Length)];
                    rows.Add(Row(0, caller, queue, "ext-queues", answered ? $"Local/{agent}@from-queue-{i:x8};1" : "", "ANSWERED", ring + (answered ? talk : 40), ring + (answered ? talk : 38)));
                    var tries = random.Next(3, 6);
                    for (var t = 0; t < tries; t++)
                    {
                        var who = t == tries - 1 && answered ? agent : Ext();
                        var last = t == tries - 1 && answered;
                        rows.Add(Row(1 + t, caller, who, "from-queue", $"PJSIP/{who}-{i:x8}", last ? "ANSWERED" : "NO ANSWER", last ? ring + talk : 15, last ? talk : 0));
                    }
                    break;
                }
                case CallType.Outgoing:
                {
                    var to = recorded?.Callee ?? Outside();
                    var outcome = answered ? "ANSWERED" : random.Next(2) == 0 ? "BUSY" : "NO ANSWER";
                    rows.Add(Row(0, caller, to, "from-internal", $"PJSIP/trunk-{i:x8}", outcome, ring + (answered ? talk : 0), answered ? talk : 0));
                    if (random.Next(3) == 0) rows.Add(Row(ring + talk, caller, to, "from-internal", "", "FAILED", 0, 0));
                    break;
                }
                case CallType.Internal:
                    rows.Add(Row(0, caller, agent, "from-internal", $"PJSIP/{agent}-{i:x8}", answered ? "ANSWERED" : "NO ANSWER", ring + (answered ? talk : 0), answered ? talk : 0));
                    break;
                default:
                {
                    // An incoming call through a DID to a ring group: one row for the caller, one per phone that rang.
                    var did = dids[random.Next(dids.Length)];
                    var outcome = answered ? "ANSWERED" : random.Next(4) == 0 ? "BUSY" : "NO ANSWER";
                    rows.Add(Row(0, caller, did, "from-trunk", answered ? $"PJSIP/{agent}-{i:x8}" : "", outcome, ring + (answered ? talk : 0), answered ? talk : 0));
                    var others = random.Next(1, 4);
                    for (var t = 0; t < others; t++)
                    {
                        var who = Ext();
                        if (answered && who == agent) continue;
                        rows.Add(Row(1, caller, who, "ext-local", $"PJSIP/{who}-{i:x8}{t}", "NO ANSWER", ring, 0));
                    }
                    break;
                }
            }
            var call = new CallSummary { LinkedId = linkedId, CallerNumber = "", CallerDigits = "", CalleeNumber = "", CalleeDigits = "", UpdatedAt = now };
            CallBuilder.Fold(call, rows, internals, people, numbers.Normalize);
            call.HasRecording = recorded is not null;
            yield return (call, rows);
        }
    }

    private async Task<(int Calls, int Rows)> EfAsync(IEnumerable<(CallSummary Call, List<CallDetailRecord> Rows)> calls, CancellationToken ct)
    {
        int written = 0, rows = 0;
        foreach (var chunk in calls.Chunk(2_000))
        {
            await using var batch = await dbs.CreateDbContextAsync(ct);
            batch.CdrRecords.AddRange(chunk.SelectMany(c => c.Rows));
            batch.Calls.AddRange(chunk.Select(c => c.Call));
            await batch.SaveChangesAsync(ct);
            written += chunk.Length;
            rows += chunk.Sum(c => c.Rows.Count);
        }
        return (written, rows);
    }

    private static async Task<(int Calls, int Rows)> SqliteAsync(AppDbContext db, IEnumerable<(CallSummary Call, List<CallDetailRecord> Rows)> calls, TextWriter progress, CancellationToken ct)
    {
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await connection.OpenAsync(ct);
        await ExecuteAsync(connection, "PRAGMA synchronous=OFF; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-262144;", ct);
        // Set aside the indexes and triggers of both tables, keeping their exact definitions to put back.
        var setAside = new List<string>();
        await using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT sql FROM sqlite_master WHERE tbl_name IN ('CdrRecords', 'Calls') AND type IN ('index', 'trigger') AND sql IS NOT NULL";
            await using var reader = await read.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) setAside.Add(reader.GetString(0));
        }
        long before;
        await using (var max = connection.CreateCommand())
        {
            max.CommandText = "SELECT COALESCE(MAX(Id), 0) FROM Calls";
            before = (long)(await max.ExecuteScalarAsync(ct))!;
        }
        int written = 0, rows = 0;
        try
        {
            foreach (var sql in setAside)
            {
                var kind = sql.StartsWith("CREATE TRIGGER", StringComparison.OrdinalIgnoreCase) ? "TRIGGER" : "INDEX";
                await ExecuteAsync(connection, $"DROP {kind} IF EXISTS \"{NameOf(sql)}\"", ct);
            }
            foreach (var chunk in calls.Chunk(20_000))
            {
                await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
                await using var cdr = Insert(connection, transaction, "CdrRecords", CdrColumns, out var c);
                await using var call = Insert(connection, transaction, "Calls", CallColumns, out var s);
                foreach (var (summary, legs) in chunk)
                {
                    foreach (var r in legs)
                    {
                        c["UniqueId"].Value = r.UniqueId; c["LinkedId"].Value = r.LinkedId; c["Source"].Value = r.Source; c["Destination"].Value = r.Destination;
                        c["Context"].Value = r.Context; c["DestinationChannel"].Value = r.DestinationChannel; c["StartedAt"].Value = r.StartedAt.Ticks;
                        c["DurationSeconds"].Value = r.DurationSeconds; c["BillSeconds"].Value = r.BillSeconds; c["Disposition"].Value = r.Disposition;
                        c["ReadAt"].Value = r.ReadAt.Ticks;
                        await cdr.ExecuteNonQueryAsync(ct);
                    }
                    s["LinkedId"].Value = summary.LinkedId; s["StartedAt"].Value = summary.StartedAt.Ticks; s["CallerNumber"].Value = summary.CallerNumber;
                    s["CallerDigits"].Value = summary.CallerDigits; s["CalleeNumber"].Value = summary.CalleeNumber; s["CalleeDigits"].Value = summary.CalleeDigits;
                    s["Did"].Value = (object?)summary.Did ?? DBNull.Value; s["Extension"].Value = (object?)summary.Extension ?? DBNull.Value;
                    s["UserName"].Value = (object?)summary.UserName ?? DBNull.Value; s["Team"].Value = (object?)summary.Team ?? DBNull.Value;
                    s["Queue"].Value = (object?)summary.Queue ?? DBNull.Value; s["Type"].Value = (int)summary.Type; s["Disposition"].Value = (int)summary.Disposition;
                    s["RingSeconds"].Value = summary.RingSeconds; s["TalkSeconds"].Value = summary.TalkSeconds; s["Legs"].Value = summary.Legs;
                    s["Erased"].Value = 0; s["HasRecording"].Value = summary.HasRecording ? 1 : 0; s["UpdatedAt"].Value = summary.UpdatedAt.Ticks;
                    await call.ExecuteNonQueryAsync(ct);
                    rows += legs.Count;
                }
                await transaction.CommitAsync(ct);
                written += chunk.Length;
                if (written % 200_000 == 0) await progress.WriteLineAsync($"… {written} calls, {rows} CDR rows");
            }
        }
        finally
        {
            foreach (var sql in setAside) await ExecuteAsync(connection, sql, CancellationToken.None);
        }
        // The new calls' digits into the trigram index in one pass (1M calls: 3.4 s here; FTS5's 'rebuild' of the same ran for
        // over ten minutes on this machine before it was stopped).
        await ExecuteAsync(connection,
            $"INSERT INTO CallNumbers(rowid, CallerDigits, CalleeDigits) SELECT Id, CallerDigits, CalleeDigits FROM Calls WHERE Id > {before}; ANALYZE; PRAGMA synchronous=FULL;", ct);
        return (written, rows);
    }

    private static SqliteCommand Insert(SqliteConnection connection, SqliteTransaction transaction, string table, string[] columns, out Dictionary<string, SqliteParameter> parameters)
    {
        var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select(c => "$" + c))})";
        parameters = columns.ToDictionary(c => c, c => insert.Parameters.Add(new SqliteParameter("$" + c, null)));
        insert.Prepare();
        return insert;
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
