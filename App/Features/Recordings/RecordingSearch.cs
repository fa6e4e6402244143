using System.Globalization;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Data;

namespace NagrywanieRozmow.Features.Recordings;

/// <summary>
/// The one search behind the panel and the API. Every filter and sort has an index to walk; a number fragment of 3+
/// digits goes through the FTS5 trigram index on SQLite; counting stops at <see cref="CountCap"/>.
/// </summary>
public static class RecordingSearch
{
    public const int CountCap = 10_000;

    /// <summary>
    /// A common number fragment's page is found by walking the sort's index from the top and checking each row's digits
    /// there (the date and duration indexes hold the digits, so no row is read): such a fragment fills a page within a few
    /// thousand rows, while the trigram index would hand over, and the page sort, every one of its matches. A fragment the
    /// trigram index holds fewer than <see cref="TrigramStats.RareBelow"/> candidates for goes straight to the index, whose
    /// few matches are cheap to sort; so does one the walk did not fill a page from within
    /// <see cref="TrigramStats.WalkLimit"/> rows. Pages beyond the <see cref="MaxWalkedRows"/>-th row always take the index.
    /// </summary>
    public const int MaxWalkedRows = 500;

    public static IQueryable<Recording> Filter(AppDbContext db, RecordingFilter f) => MatchNumber(db, WithoutNumber(db, f), f.Number);

    /// <summary>Every filter but the number fragment.</summary>
    public static IQueryable<Recording> WithoutNumber(AppDbContext db, RecordingFilter f)
    {
        var q = db.Recordings.AsNoTracking();
        if (f.From is { } from) q = q.Where(r => r.StartedAt >= from);
        if (f.To is { } to) q = q.Where(r => r.StartedAt < to);
        if (f.Extension is { } extension) q = q.Where(r => r.Extension == extension);
        if (f.Did is { } did) q = q.Where(r => r.Did == did);
        if (f.Types.Count > 0)
        {
            var types = f.Types.ToList();
            q = q.Where(r => types.Contains(r.Type));
        }
        if (f.MinDurationSeconds is { } min) q = q.Where(r => r.DurationMs >= min * 1000);
        if (f.MaxDurationSeconds is { } max) q = q.Where(r => r.DurationMs < (max + 1) * 1000);
        if (f.CallId is { } callId) q = q.Where(r => r.CallId == callId || r.LinkedId == callId);
        if (f.Case is { } caseNumber) q = q.Where(r => r.Cases.Any(c => c.CaseNumber == caseNumber));
        if (f.Text is { } text) q = MatchText(db, q, text);
        return q;
    }

    /// <summary>
    /// Recordings whose transcript holds every word (as a word's beginning: "reklamac" finds "reklamacji"), diacritics folded:
    /// the FTS5 index on SQLite, the tsvector's GIN index on PostgreSQL, a scan elsewhere. The words are letters and digits
    /// only (<see cref="RecordingTranscript.SearchWords"/>), so no query syntax of either index gets through.
    /// </summary>
    public static IQueryable<Recording> MatchText(AppDbContext db, IQueryable<Recording> q, string text)
    {
        var words = RecordingTranscript.SearchWords(text);
        if (words.Count == 0) return q.Where(r => false);
        switch (db.Provider)
        {
            case DatabaseProvider.Sqlite:
                var match = string.Join(' ', words.Select(w => $"\"{w}\"*"));
                var hits = db.Database.SqlQuery<long>($"SELECT rowid AS Value FROM TranscriptWords WHERE TranscriptWords MATCH {match}");
                return q.Join(hits, r => r.Id, hit => hit, (r, _) => r);
            case DatabaseProvider.PostgreSql:
                var tsquery = string.Join(" & ", words.Select(w => w + ":*"));
                var found = db.Database.SqlQuery<long>(
                    $"SELECT \"RecordingId\" AS \"Value\" FROM \"RecordingTranscripts\" WHERE \"SearchVector\" @@ to_tsquery('simple', {tsquery})");
                return q.Where(r => found.Contains(r.Id));
            default:
                foreach (var word in words) q = q.Where(r => db.Transcripts.Any(t => t.RecordingId == r.Id && t.SearchText.Contains(word)));
                return q;
        }
    }

    /// <summary>Recordings whose caller or callee digits hold the fragment (through the trigram index on SQLite).</summary>
    public static IQueryable<Recording> MatchNumber(AppDbContext db, IQueryable<Recording> q, string? number)
    {
        if (number is null) return q;
        var digits = PhoneNumber.NormalizeFragment(number);
        if (db.Provider == DatabaseProvider.Sqlite && digits.Length >= 3)
        {
            // A join, not IN (…): SQLite streams a join from the index and stops at a LIMIT, where IN first collects every
            // match (1M rows, a common trigram: 22 ms vs 154 ms). The index is asked for the fragment's two rarest trigrams
            // (digits only, so the query cannot carry FTS syntax), then each candidate's digits are checked.
            var (query, exact) = TrigramStats.QueryFor(db, digits);
            var hits = db.Database.SqlQuery<long>($"SELECT rowid AS Value FROM RecordingNumbers WHERE RecordingNumbers MATCH {query}");
            q = q.Join(hits, r => r.Id, hit => hit, (r, _) => r);
            if (exact) return q;
        }
        if (db.Provider == DatabaseProvider.PostgreSql)
        {
            // LIKE '%…%' is what the GIN trigram indexes answer; said outright rather than left to how Contains is translated
            // (strpos, which no index serves, in older providers; LIKE in Npgsql 10). The fragment is normalised to the
            // digits 0-9, so it never holds %, _ or \ and needs no escaping.
            var pattern = "%" + digits + "%";
            return q.Where(r => EF.Functions.Like(r.CallerDigits, pattern) || EF.Functions.Like(r.CalleeDigits, pattern));
        }
        return q.Where(r => r.CallerDigits.Contains(digits) || r.CalleeDigits.Contains(digits));
    }

    /// <summary>
    /// Rows skip … skip + take of the search in the sort's order. A number fragment not known to be rare is first looked for
    /// by walking the sort's order (a prefix of the same order, so a full page from it is the right page); otherwise, or if
    /// the walk ends short, the index answers.
    /// </summary>
    public static async Task<List<T>> PageAsync<T>(
        AppDbContext db, IQueryable<Recording> withoutNumber, string? number, RecordingSort sort, int skip, int take,
        Func<IQueryable<Recording>, IQueryable<T>> select, CancellationToken ct)
    {
        if (number is not null && PhoneNumber.NormalizeFragment(number) is { Length: > 0 } digits && skip + take <= MaxWalkedRows
            && await WalkLimitAsync(db, digits, skip + take, ct) is var limit && limit != 0
            && WalkIds(withoutNumber, sort, digits, skip + take, limit) is { } walk)
        {
            var ids = await walk.ToListAsync(ct);
            // A walk without a limit saw every row: what it found is the whole answer, even if short of a page.
            if (ids.Count == skip + take || limit is null)
                return await select(Sort(withoutNumber.Where(r => ids.Contains(r.Id)), sort).Skip(skip).Take(take)).ToListAsync(ct);
        }
        return await select(Sort(MatchNumber(db, withoutNumber, number), sort).Skip(skip).Take(take)).ToListAsync(ct);
    }

    /// <summary>
    /// How many rows to walk for a page of <paramref name="count"/> matches: 0 not to walk (a rare fragment), null for no limit
    /// (two digits on SQLite, which have no trigram: the walk is the scan, stopped at the page). Other databases walk
    /// 5 000 rows, as their planners have no digits in the sort indexes.
    /// </summary>
    private static async Task<int?> WalkLimitAsync(AppDbContext db, string digits, int count, CancellationToken ct)
    {
        if (db.Provider != DatabaseProvider.Sqlite) return 5_000;
        if (digits.Length < 3) return null;
        return await TrigramStats.IsRareAsync(db, digits, count, ct) ? 0 : TrigramStats.WalkLimit(db, count);
    }

    /// <summary>The filters of a search as the audit log keeps them: only those that were set, dates in UTC.</summary>
    public static string Describe(RecordingFilter f) => AuditLog.Details(new
    {
        from = f.From?.ToString("O", CultureInfo.InvariantCulture), to = f.To?.ToString("O", CultureInfo.InvariantCulture),
        number = f.Number, extension = f.Extension, did = f.Did, type = f.Types.Count == 0 ? null : f.Types.Select(t => t.ToString()),
        minDuration = f.MinDurationSeconds, maxDuration = f.MaxDurationSeconds, callId = f.CallId, @case = f.Case, text = f.Text,
        sort = f.Sort == RecordingSort.Default ? null : f.Sort.ToString(),
    });

    /// <summary>
    /// For the date and duration orders: the ids of the first <paramref name="count"/> matches among the first
    /// <paramref name="limit"/> rows (all rows if null), read with only the columns of the covering index (id, sort key,
    /// digits), so no row is fetched. Null for other orders.
    /// </summary>
    private static IQueryable<long>? WalkIds(IQueryable<Recording> q, RecordingSort sort, string digits, int count, int? limit) => sort.Field switch
    {
        SortField.StartedAt => WalkIds(q, r => r.StartedAt, sort.Descending, digits, count, limit),
        SortField.Duration => WalkIds(q, r => r.DurationMs, sort.Descending, digits, count, limit),
        _ => null,
    };

    private static IQueryable<long> WalkIds<TKey>(IQueryable<Recording> q, Expression<Func<Recording, TKey>> key, bool descending, string digits, int count, int? limit)
    {
        var ordered = descending ? q.OrderByDescending(key).ThenByDescending(r => r.Id) : q.OrderBy(key).ThenBy(r => r.Id);
        // r => new Walked<TKey> { Id = r.Id, Key = <key>, CallerDigits = r.CallerDigits, CalleeDigits = r.CalleeDigits }
        var r = key.Parameters[0];
        var walked = typeof(Walked<TKey>);
        var project = Expression.Lambda<Func<Recording, Walked<TKey>>>(Expression.MemberInit(Expression.New(walked),
            Expression.Bind(walked.GetProperty(nameof(Walked<TKey>.Id))!, Expression.Property(r, nameof(Recording.Id))),
            Expression.Bind(walked.GetProperty(nameof(Walked<TKey>.Key))!, key.Body),
            Expression.Bind(walked.GetProperty(nameof(Walked<TKey>.CallerDigits))!, Expression.Property(r, nameof(Recording.CallerDigits))),
            Expression.Bind(walked.GetProperty(nameof(Walked<TKey>.CalleeDigits))!, Expression.Property(r, nameof(Recording.CalleeDigits)))), r);
        var rows = (limit is { } l ? ordered.Take(l) : ordered).Select(project)
            .Where(w => w.CallerDigits.Contains(digits) || w.CalleeDigits.Contains(digits));
        return (descending ? rows.OrderByDescending(w => w.Key).ThenByDescending(w => w.Id) : rows.OrderBy(w => w.Key).ThenBy(w => w.Id))
            .Take(count).Select(w => w.Id);
    }

    private sealed class Walked<TKey>
    {
        public long Id { get; init; }
        public TKey Key { get; init; } = default!;
        public string CallerDigits { get; init; } = "";
        public string CalleeDigits { get; init; } = "";
    }

    public static IOrderedQueryable<Recording> Sort(IQueryable<Recording> q, RecordingSort sort) => (sort.Field, sort.Descending) switch
    {
        (SortField.StartedAt, false) => q.OrderBy(r => r.StartedAt).ThenBy(r => r.Id),
        (SortField.StartedAt, true) => q.OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id),
        (SortField.Duration, false) => q.OrderBy(r => r.DurationMs).ThenBy(r => r.Id),
        (SortField.Duration, true) => q.OrderByDescending(r => r.DurationMs).ThenByDescending(r => r.Id),
        (SortField.Size, false) => q.OrderBy(r => r.SizeBytes).ThenBy(r => r.Id),
        (SortField.Size, true) => q.OrderByDescending(r => r.SizeBytes).ThenByDescending(r => r.Id),
        (SortField.Caller, false) => q.OrderBy(r => r.CallerDigits).ThenBy(r => r.Id),
        (SortField.Caller, true) => q.OrderByDescending(r => r.CallerDigits).ThenByDescending(r => r.Id),
        (SortField.Callee, false) => q.OrderBy(r => r.CalleeDigits).ThenBy(r => r.Id),
        (SortField.Callee, true) => q.OrderByDescending(r => r.CalleeDigits).ThenByDescending(r => r.Id),
        (SortField.Extension, false) => q.OrderBy(r => r.Extension).ThenBy(r => r.Id),
        (SortField.Extension, true) => q.OrderByDescending(r => r.Extension).ThenByDescending(r => r.Id),
        _ => throw new ArgumentOutOfRangeException(nameof(sort)),
    };

    /// <summary>Rows after the cursor's position in the sort order: a seek on the matching index, not an OFFSET.</summary>
    public static IQueryable<Recording> After(IQueryable<Recording> q, RecordingSort sort, string? value, long id)
    {
        var d = sort.Descending;
        return sort.Field switch
        {
            SortField.StartedAt => After(q, r => r.StartedAt, new DateTime(long.Parse(value!, CultureInfo.InvariantCulture), DateTimeKind.Utc), id, d),
            SortField.Duration => After(q, r => r.DurationMs, int.Parse(value!, CultureInfo.InvariantCulture), id, d),
            SortField.Size => After(q, r => r.SizeBytes, long.Parse(value!, CultureInfo.InvariantCulture), id, d),
            SortField.Caller => AfterText(q, r => r.CallerDigits, value, id, d),
            SortField.Callee => AfterText(q, r => r.CalleeDigits, value, id, d),
            SortField.Extension => AfterText(q, r => r.Extension, value, id, d),
            _ => throw new ArgumentOutOfRangeException(nameof(sort)),
        };
    }

    /// <summary>Just the columns a page boundary needs, so a page is found without reading whole rows.</summary>
    public sealed record SortKeys(long Id, DateTime StartedAt, int DurationMs, long SizeBytes, string CallerDigits, string CalleeDigits, string? Extension)
    {
        public object? ValueFor(RecordingSort sort) => sort.Field switch
        {
            SortField.StartedAt => StartedAt,
            SortField.Duration => DurationMs,
            SortField.Size => SizeBytes,
            SortField.Caller => CallerDigits,
            SortField.Callee => CalleeDigits,
            _ => Extension,
        };
    }

    public static IQueryable<SortKeys> Keys(IQueryable<Recording> q) =>
        q.Select(r => new SortKeys(r.Id, r.StartedAt, r.DurationMs, r.SizeBytes, r.CallerDigits, r.CalleeDigits, r.Extension));

    /// <summary>Counts at most one row past the cap: "10 000+" never costs a full scan. Also used by the audit log's lists.</summary>
    public static async Task<(int Total, bool IsEstimate)> CountAsync<T>(IQueryable<T> q, CancellationToken ct)
    {
        var count = await q.Take(CountCap + 1).CountAsync(ct);
        return count > CountCap ? (CountCap, true) : (count, false);
    }

    private static IQueryable<Recording> After<T>(IQueryable<Recording> q, Expression<Func<Recording, T>> key, T value, long id, bool descending)
    {
        var r = key.Parameters[0];
        var v = Expression.Constant(value, typeof(T));
        var beyond = descending ? Expression.LessThan(key.Body, v) : Expression.GreaterThan(key.Body, v);
        return q.Where(Expression.Lambda<Func<Recording, bool>>(Expression.OrElse(beyond, Expression.AndAlso(Expression.Equal(key.Body, v), IdBeyond(r, id, descending))), r));
    }

    /// <summary>Text keys compare with string.Compare (SQL &lt; and &gt;); NULL sorts first ascending, last descending.</summary>
    private static IQueryable<Recording> AfterText(IQueryable<Recording> q, Expression<Func<Recording, string?>> key, string? value, long id, bool descending)
    {
        var r = key.Parameters[0];
        var isNull = Expression.Equal(key.Body, Expression.Constant(null, typeof(string)));
        var idBeyond = IdBeyond(r, id, descending);
        Expression condition;
        if (value is null)
        {
            condition = descending
                ? Expression.AndAlso(isNull, idBeyond)
                : Expression.OrElse(Expression.AndAlso(isNull, idBeyond), Expression.Not(isNull));
        }
        else
        {
            var compare = Expression.Call(typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!, key.Body, Expression.Constant(value));
            var beyond = descending ? Expression.LessThan(compare, Expression.Constant(0)) : Expression.GreaterThan(compare, Expression.Constant(0));
            var same = Expression.AndAlso(Expression.Equal(key.Body, Expression.Constant(value, typeof(string))), idBeyond);
            condition = Expression.OrElse(Expression.AndAlso(Expression.Not(isNull), beyond), same);
            if (descending) condition = Expression.OrElse(condition, isNull);
        }
        return q.Where(Expression.Lambda<Func<Recording, bool>>(condition, r));
    }

    private static BinaryExpression IdBeyond(ParameterExpression r, long id, bool descending)
    {
        var idProperty = Expression.Property(r, nameof(Recording.Id));
        var idValue = Expression.Constant(id);
        return descending ? Expression.LessThan(idProperty, idValue) : Expression.GreaterThan(idProperty, idValue);
    }
}
