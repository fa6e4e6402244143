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
    /// How many rows of the search in order to look through for a page of <paramref name="take"/> matches before asking the
    /// index, or null to ask the index straight away. The index costs about as much per match (each is fetched and sorted)
    /// as the window per row, so it wins while matches ≲ √(take × rows); a fragment with more gets a window expected to
    /// hold three pages. Without counts (two digits, or before the first read): <paramref name="fallback"/> rows.
    /// </summary>
    public static int? WindowFor(AppDbContext db, string digits, int take, int fallback, int max)
    {
        if (digits.Length < 3 || CountsOf(db.Database.GetConnectionString()) is not { } counts) return fallback;
        var rows = Databases[db.Database.GetConnectionString()!].Rows;
        // Three digits: the trigram's count is the answer; four: the rarer of two trigrams that share two digits. Longer:
        // two trigrams sharing at most one digit taken as independent (the pair giving the fewest), which guesses low rather
        // than high (a rare fragment whose trigrams are each common would otherwise be given a long window to read in vain:
        // 5 digits, 215 matches in 10M rows, 40 000 rows read, 333 ms).
        var c = Enumerable.Range(0, digits.Length - 2).Select(i => (double)counts.GetValueOrDefault(digits.Substring(i, 3))).ToList();
        var matches = c.Count <= 2 ? c.Min()
            : (from i in Enumerable.Range(0, c.Count) from j in Enumerable.Range(i + 2, Math.Max(0, c.Count - i - 2)) select c[i] * c[j] / Math.Max(1, rows)).Min();
        if (matches <= 0.7 * Math.Sqrt((double)take * rows)) return null;
        return (int)Math.Clamp(3.0 * take * rows / matches, fallback, max);
    }

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
