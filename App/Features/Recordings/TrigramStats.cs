using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Data;

namespace NagrywanieRozmow.Features.Recordings;

/// <summary>
/// How many recordings hold each digit trigram, per SQLite database, so a long fragment asks the trigram index only for
/// its two rarest trigrams. An FTS5 phrase of a 9-digit fragment walks the lists of all seven of its trigrams, some of them
/// in a large share of all numbers ("000", the area code); the two rarest hold far fewer rows, and checking those rows'
/// digits afterwards keeps the answer exact (1M rows: 14 ms → 1.5 ms). Digits make at most 1 000 trigrams, so the counts
/// are small; they are read in the background from an fts5vocab table and at most every ten minutes. Until the first read
/// has finished the whole phrase is asked, which is slower but as exact. Counts only steer speed, never the answer.
/// </summary>
public static class TrigramStats
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(10);
    private static readonly ConcurrentDictionary<string, Entry> Databases = new();

    private sealed class Entry
    {
        public volatile IReadOnlyDictionary<string, long>? Counts;
        public long Rows;
        public DateTime ReadAt = DateTime.MinValue;
        public int Reading;
    }

    /// <summary>
    /// The FTS5 query for a fragment of 3+ digits: the whole phrase (exact), or, for 5+ digits once counts exist, its two
    /// rarest trigrams (candidates, whose digits the caller must check).
    /// </summary>
    public static (string Query, bool Exact) QueryFor(AppDbContext db, string digits)
    {
        var phrase = ("\"" + digits + "\"", true);
        if (digits.Length < 5 || CountsOf(db.Database.GetConnectionString()) is not { } counts) return phrase;
        var rarest = Enumerable.Range(0, digits.Length - 2).Select(i => digits.Substring(i, 3)).Distinct()
            .OrderBy(t => counts.GetValueOrDefault(t)).ThenBy(t => t, StringComparer.Ordinal).Take(2);
        return (string.Join(" AND ", rarest.Select(t => "\"" + t + "\"")), false);
    }

    /// <summary>
    /// Fewer trigram-index candidates than this make a fragment rare for a page of <paramref name="count"/>: its matches are
    /// cheaper to fetch and sort (≈1.1 µs each at 1M rows) than the rows a walk of the sort's covering index would read
    /// to find a page (≈0.09 µs each, count × rows ÷ matches of them); the two cost the same at √(count × rows ÷ 12)
    /// matches: ≈2 000 for a page of 50 at 1M rows, ≈6 500 at 10M.
    /// </summary>
    public static int RareBelow(AppDbContext db, int count) => (int)Math.Clamp(Math.Sqrt(count * (double)RowsOf(db) / 12), 200, 10_000);

    /// <summary>How far a walk goes before the index is asked instead: four times what a fragment just above
    /// <see cref="RareBelow"/> needs (≈100 000 rows, 9 ms, for a page of 50 at 1M).</summary>
    public static int WalkLimit(AppDbContext db, int count) => (int)Math.Clamp(4.0 * count * RowsOf(db) / RareBelow(db, count), 5_000, 1_000_000);

    /// <summary>
    /// Whether the trigram index holds fewer than <see cref="RareBelow"/> candidates for the fragment of 3+ digits: a count
    /// that stops at the limit (a few hundred µs), with the query <see cref="QueryFor"/> gives, so for 5+ digits the
    /// candidates of its two rarest trigrams. Those may be many more than the matches (the demo repeats some customers'
    /// numbers); a walk that finds too few then hands over to the index, having read at most <see cref="WalkLimit"/> rows.
    /// </summary>
    public static async Task<bool> IsRareAsync(AppDbContext db, string digits, int count, CancellationToken ct)
    {
        var (query, _) = QueryFor(db, digits);
        var cap = RareBelow(db, count);
        var candidates = await db.Database
            .SqlQuery<int>($"SELECT count(*) AS Value FROM (SELECT rowid FROM RecordingNumbers WHERE RecordingNumbers MATCH {query} LIMIT {cap})")
            .SingleAsync(ct);
        return candidates < cap;
    }

    /// <summary>The table's size as last read (its highest id), or a million before the first read.</summary>
    private static long RowsOf(AppDbContext db) =>
        Databases.TryGetValue(db.Database.GetConnectionString() ?? "", out var entry) && entry.Counts is not null ? Math.Max(1, entry.Rows) : 1_000_000;

    /// <summary>Reads the counts now (tests, and a warm start); later reads happen in the background.</summary>
    public static void Refresh(AppDbContext db)
    {
        var entry = Databases.GetOrAdd(db.Database.GetConnectionString()!, _ => new Entry());
        Read(db.Database.GetConnectionString()!, entry);
    }

    private static IReadOnlyDictionary<string, long>? CountsOf(string? connectionString)
    {
        if (connectionString is null) return null;
        var entry = Databases.GetOrAdd(connectionString, _ => new Entry());
        if (DateTime.UtcNow - entry.ReadAt > MaxAge && Interlocked.CompareExchange(ref entry.Reading, 1, 0) == 0)
            _ = Task.Run(() => Read(connectionString, entry));
        return entry.Counts;
    }

    private static void Read(string connectionString, Entry entry)
    {
        try
        {
            using var connection = new SqliteConnection(connectionString);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE VIRTUAL TABLE IF NOT EXISTS temp.RecordingNumbersVocab USING fts5vocab(main, RecordingNumbers, 'row');
                SELECT term, doc FROM temp.RecordingNumbersVocab;
                """;
            var counts = new Dictionary<string, long>();
            using (var reader = command.ExecuteReader())
                while (reader.Read()) counts[reader.GetString(0)] = reader.GetInt64(1);
            command.CommandText = "SELECT COALESCE(MAX(Id), 0) FROM Recordings";
            entry.Rows = (long)command.ExecuteScalar()!;
            entry.Counts = counts;
        }
        catch (SqliteException)
        {
            // No trigram index (yet): the phrase is asked, as before the first read.
        }
        finally
        {
            entry.ReadAt = DateTime.UtcNow;
            entry.Reading = 0;
        }
    }
}
