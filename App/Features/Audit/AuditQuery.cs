using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Primitives;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Shared;
using NagrywanieRozmow.Shared.Time;

namespace NagrywanieRozmow.Features.Audit;

/// <summary>What the audit page, its export and its API look for. Times are UTC; <see cref="To"/> is exclusive.</summary>
public sealed record AuditFilter
{
    /// <summary>A fragment of the e-mail or "apikey:&lt;name&gt;", case-insensitive.</summary>
    public string? Actor { get; init; }
    public string? Action { get; init; }
    public long? RecordingId { get; init; }

    /// <summary>A fragment of the caller's or callee's number of the recording an entry concerns.</summary>
    public string? Number { get; init; }
    public DateTime? From { get; init; }
    public DateTime? To { get; init; }
    public string? Outcome { get; init; }

    /// <summary>
    /// The entries found that <paramref name="reader"/> may read: all of them, but those about a recording withheld from
    /// the reader (their blind evaluation of it is open), which would name its agent.
    /// </summary>
    public IQueryable<AuditEntry> Apply(IQueryable<AuditEntry> entries, AppDbContext db, ClaimsPrincipal reader)
    {
        var q = entries;
        if (AppDbContext.MayBeWithheldFrom(reader))
        {
            var withheld = db.WithheldFrom(reader).Select(id => (long?)id);
            q = q.Where(a => a.RecordingId == null || !withheld.Contains(a.RecordingId));
        }
        if (Actor is { } actor) q = q.Where(a => EF.Functions.Like(a.Actor, "%" + EscapeLike(actor) + "%", "\\"));
        if (Action is { } action) q = q.Where(a => a.Action == action);
        if (RecordingId is { } id) q = q.Where(a => a.RecordingId == id);
        if (Number is { } number)
        {
            // The recordings search already matches number fragments (through the trigram index where it can).
            var recordings = RecordingSearch.Filter(db, new RecordingFilter { Number = number }).Select(r => (long?)r.Id);
            q = q.Where(a => a.RecordingId != null && recordings.Contains(a.RecordingId));
        }
        if (From is { } from) q = q.Where(a => a.At >= from);
        if (To is { } to) q = q.Where(a => a.At < to);
        if (Outcome is { } outcome) q = q.Where(a => a.Outcome == outcome);
        return q;
    }

    /// <summary>One page of the entries found, newest first, and how many there are (counted up to <see cref="RecordingSearch.CountCap"/>).</summary>
    public async Task<SearchPage<T>> PageAsync<T>(AppDbContext db, ClaimsPrincipal reader, int skip, int take, System.Linq.Expressions.Expression<Func<AuditEntry, T>> select, CancellationToken ct)
    {
        var (total, estimate) = await RecordingSearch.CountAsync(Apply(db.AuditLog.AsNoTracking(), db, reader), ct);
        var rows = await Newest(db, reader).Skip(skip).Take(take).Select(select).ToListAsync(ct);
        return new SearchPage<T>(rows, total, estimate, NextCursor: null);
    }

    /// <summary>Newest first. Ids grow with time (appends are serialised), so this is also the order of <see cref="AuditEntry.At"/>.</summary>
    public IQueryable<AuditEntry> Newest(AppDbContext db, ClaimsPrincipal reader) => Apply(db.AuditLog.AsNoTracking(), db, reader).OrderByDescending(a => a.Id);

    /// <summary>The filters as the audit log keeps them (for the entry that records an export): only those set, dates in UTC.</summary>
    public string Describe() => AuditLog.Details(new
    {
        actor = Actor, action = Action, recording = RecordingId, number = Number,
        from = From?.ToString("O", CultureInfo.InvariantCulture), to = To?.ToString("O", CultureInfo.InvariantCulture), outcome = Outcome,
    });

    private static string EscapeLike(string text) => text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}

/// <summary>A parsed audit query string: the filter, paging, and every problem found (field → messages).</summary>
public sealed record AuditQuery(AuditFilter Filter, int Page, int PageSize, IReadOnlyDictionary<string, string[]> Errors)
{
    public const int MaxPageSize = 200;
    public const int DefaultPageSize = 50;
    public static readonly IReadOnlyList<string> Outcomes = [AuditOutcomes.Success, AuditOutcomes.Denied, AuditOutcomes.Failed];

    public bool IsValid => Errors.Count == 0;

    /// <summary>The query-string fields an audit search reads; any other is refused.</summary>
    public static readonly string[] Known = ["actor", "action", "recording", "number", "from", "to", "outcome", "page", "pageSize"];
    private const int FirstYear = 1990, LastYear = 2200;

    /// <summary>What the audit page's filter bar holds, as typed (a bad value goes into the URL and is reported from there).</summary>
    public sealed record Fields(string? Actor, string? Action, string? Recording, string? Number, DateOnly? From, DateOnly? To, string? Outcome);

    /// <summary>The query string of the filter bar's fields (empty ones left out), read back by <see cref="Parse"/>.</summary>
    public static string ToQueryString(Fields f)
    {
        var q = new List<KeyValuePair<string, string?>>();
        void Add(string key, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value)) q.Add(new(key, value.Trim()));
        }
        Add("actor", f.Actor);
        Add("action", f.Action);
        Add("recording", f.Recording);
        Add("number", f.Number);
        Add("from", f.From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Add("to", f.To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Add("outcome", f.Outcome);
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("", q);
    }

    /// <summary>
    /// A date without a time is a local day in App:TimeZone: `from` starts that day, `to` includes it. A date-time without
    /// an offset is local too; with `Z` or an offset it is taken as given.
    /// </summary>
    public static AuditQuery Parse(IEnumerable<KeyValuePair<string, StringValues>> query, DisplayTime time)
    {
        var read = new QueryReader(query);
        var action = read.One("action");
        if (action is not null && !AuditActions.All.Contains(action))
        {
            read.Fail("action", $"'action' must be one of {string.Join(", ", AuditActions.All)}; not '{action}'.");
            action = null;
        }

        var outcome = read.One("outcome");
        if (outcome is not null && !Outcomes.Contains(outcome))
        {
            read.Fail("outcome", $"'outcome' must be {string.Join(", ", Outcomes)}; not '{outcome}'.");
            outcome = null;
        }

        var number = read.One("number");
        if (number is not null && (!PhoneNumber.LooksLikeNumber(number) || PhoneNumber.NormalizeFragment(number).Length == 0))
        {
            read.Fail("number", $"'number' must be digits (spaces, +, - and brackets are ignored), not '{number}'.");
            number = null;
        }

        var recording = read.Whole("recording", 1, long.MaxValue);
        var from = ParseTime("from", read.One("from"), endOfDay: false, time, read.Fail);
        var to = ParseTime("to", read.One("to"), endOfDay: true, time, read.Fail);
        if (from is not null && to is not null && from >= to && !read.HasFailed("to"))
        {
            read.Fail("to", "'to' must be later than 'from'.");
            to = null;
        }

        var pageSize = (int?)read.Whole("pageSize", 1, MaxPageSize) ?? DefaultPageSize;
        var page = (int?)read.Whole("page", 1, 1_000_000) ?? 1;
        read.RejectUnknown(Known, unknown => $"'{unknown}' is not an audit filter.");

        var filter = new AuditFilter
        {
            Actor = read.One("actor"), Action = action, RecordingId = recording, Number = number, From = from, To = to, Outcome = outcome,
        };
        return new AuditQuery(filter, page, pageSize, read.Errors);
    }

    private static DateTime? ParseTime(string field, string? text, bool endOfDay, DisplayTime time, Action<string, string> fail)
    {
        if (text is null) return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            if (day.Year is >= FirstYear and <= LastYear) return time.ToUtc((endOfDay ? day.AddDays(1) : day).ToDateTime(TimeOnly.MinValue));
        }
        else if (text.Contains('T') && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
        {
            if (value.Year is >= FirstYear and <= LastYear)
            {
                var hasOffset = text.EndsWith('Z') || text.EndsWith('z') || System.Text.RegularExpressions.Regex.IsMatch(text, @"[+-]\d\d:?\d\d$");
                return hasOffset ? value.UtcDateTime : time.ToUtc(value.DateTime);
            }
        }
        else
        {
            fail(field, $"'{field}' must be a date (YYYY-MM-DD) or an ISO 8601 date-time, not '{text}'.");
            return null;
        }
        fail(field, $"'{field}' must be a date between {FirstYear} and {LastYear}, not '{text}'.");
        return null;
    }
}
