using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Primitives;
using NagrywanieRozmow.Shared;
using NagrywanieRozmow.Shared.Time;

namespace NagrywanieRozmow.Features.Recordings;

public enum SortField { StartedAt, Duration, Caller, Callee, Extension, Size }

public sealed record RecordingSort(SortField Field, bool Descending)
{
    public static readonly RecordingSort Default = new(SortField.StartedAt, true);
    private static readonly Dictionary<string, SortField> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["startedAt"] = SortField.StartedAt, ["duration"] = SortField.Duration, ["caller"] = SortField.Caller,
        ["callee"] = SortField.Callee, ["extension"] = SortField.Extension, ["size"] = SortField.Size,
    };

    public static bool TryParse(string text, out RecordingSort sort)
    {
        var descending = text.StartsWith('-');
        sort = Default;
        if (!Names.TryGetValue(descending ? text[1..] : text, out var field)) return false;
        sort = new RecordingSort(field, descending);
        return true;
    }

    public override string ToString() => (Descending ? "-" : "") + Names.First(n => n.Value == Field).Key;
}

public enum DatePreset { Today, Yesterday, Last7, ThisMonth, Day }

/// <summary>What the panel and the API search for. Times are UTC; <see cref="To"/> is exclusive.</summary>
public sealed record RecordingFilter
{
    public DateTime? From { get; init; }
    public DateTime? To { get; init; }
    public string? Number { get; init; }
    public string? Extension { get; init; }

    /// <summary>The number the caller dialled, exactly as the PBX wrote it (the panel offers the ones it has seen).</summary>
    public string? Did { get; init; }
    public IReadOnlyList<CallType> Types { get; init; } = [];
    public int? MinDurationSeconds { get; init; }
    public int? MaxDurationSeconds { get; init; }
    public string? CallId { get; init; }
    public string? Case { get; init; }

    /// <summary>Words said in the call (where a transcript exists): every word, as a word's beginning, diacritics folded.</summary>
    public string? Text { get; init; }
    public RecordingSort Sort { get; init; } = RecordingSort.Default;

    /// <summary>
    /// The most telling filter, by what decides the search's cost (for telemetry): an exact call id or case, a number
    /// fragment (one of 3+ digits goes through the trigram index, a shorter one is a scan), an extension, other filters
    /// only, or none. The fragment's digits never leave this method.
    /// </summary>
    public string Kind
    {
        get
        {
            if (CallId is not null) return "call_id";
            if (Case is not null) return "case";
            if (Text is not null) return "text";
            if (Number is not null) return PhoneNumber.NormalizeFragment(Number).Length >= 3 ? "number" : "number_short";
            if (Extension is not null) return "extension";
            if (From is not null || To is not null || Types.Count > 0 || MinDurationSeconds is not null || MaxDurationSeconds is not null)
                return "filtered";
            return "all";
        }
    }
}

/// <summary>A parsed query string: the filter, paging, the UI's own fields, and every problem found (field → message).</summary>
public sealed record RecordingQuery(
    RecordingFilter Filter, int PageSize, string? Cursor, DatePreset? Preset, DateOnly? Day, int Page, IReadOnlyDictionary<string, string[]> Errors)
{
    public const int MaxPageSize = 200;
    public const int DefaultPageSize = 50;
    public bool IsValid => Errors.Count == 0;

    /// <summary>The query-string fields a search reads; any other is refused.</summary>
    public static readonly string[] Known =
        ["from", "to", "number", "extension", "did", "type", "minDuration", "maxDuration", "callId", "case", "text", "sort", "pageSize", "cursor", "preset", "page"];

    /// <summary>
    /// Reads the names of CONTRACTS.md. A date or time without an offset is local time in App:TimeZone; a date-only `to`
    /// includes that whole day. Presets (today, yesterday, last7, thisMonth, day) are resolved against <paramref name="nowUtc"/>.
    /// </summary>
    public static RecordingQuery Parse(IEnumerable<KeyValuePair<string, StringValues>> query, DisplayTime time, DateTime nowUtc)
    {
        var read = new QueryReader(query);
        int? Int(string name, int min, int max) => (int?)read.Whole(name, min, max);

        DatePreset? preset = null;
        DateOnly? day = null;
        DateTime? from = null, to = null;
        var presetText = read.One("preset");
        if (presetText is not null)
        {
            if (Shared.EnumNames.TryParse<DatePreset>(presetText, out var p)) preset = p;
            else read.Fail("preset", $"'preset' must be one of today, yesterday, last7, thisMonth, day; not '{presetText}'.");
        }
        var fromText = read.One("from");
        var toText = read.One("to");
        if (preset is { } chosen and not DatePreset.Day)
        {
            (from, to) = Resolve(chosen, time, nowUtc);
        }
        else if (preset == DatePreset.Day)
        {
            if (fromText is not null && DateOnly.TryParseExact(fromText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                && d.Year is >= FirstYear and <= LastYear)
            {
                day = d;
                from = time.ToUtc(d.ToDateTime(TimeOnly.MinValue));
                to = time.ToUtc(d.AddDays(1).ToDateTime(TimeOnly.MinValue));
            }
            else read.Fail("from", $"'from' must be the chosen day as YYYY-MM-DD, not '{fromText}'.");
        }
        else
        {
            from = ParseTime("from", fromText, endOfDay: false, time, read.Fail);
            to = ParseTime("to", toText, endOfDay: true, time, read.Fail);
        }
        if (from is not null && to is not null && from >= to && !read.HasFailed("to"))
            read.Fail("to", "'to' must be later than 'from'.");

        var number = read.One("number");
        if (number is not null && (!PhoneNumber.LooksLikeNumber(number) || PhoneNumber.NormalizeFragment(number).Length == 0))
            read.Fail("number", $"'number' must be digits (spaces, +, - and brackets are ignored), not '{number}'.");

        var types = new List<CallType>();
        foreach (var part in read.Many("type"))
        {
            if (Shared.EnumNames.TryParse<CallType>(part, out var t)) { if (!types.Contains(t)) types.Add(t); }
            else read.Fail("type", $"'type' must be Incoming, Outgoing, Internal, Queue or Ivr, not '{part}'.");
        }

        var min = Int("minDuration", 0, 86_400);
        var max = Int("maxDuration", 0, 86_400);
        if (min is not null && max is not null && min > max) read.Fail("maxDuration", "'maxDuration' must not be shorter than 'minDuration'.");

        var sort = RecordingSort.Default;
        var sortText = read.One("sort");
        if (sortText is not null && !RecordingSort.TryParse(sortText, out sort))
            read.Fail("sort", $"'sort' must be startedAt, duration, caller, callee, extension or size (with '-' for descending), not '{sortText}'.");

        var pageSize = Int("pageSize", 1, MaxPageSize) ?? DefaultPageSize;
        var page = Int("page", 1, 1_000_000) ?? 1;
        var cursor = read.One("cursor");
        if (cursor is not null && KeysetCursor.TryDecode(cursor, sort) is null)
            read.Fail("cursor", "'cursor' is not a cursor this search gave out (it may belong to another sort order).");

        var text = read.One("text");
        if (text is not null && (text.Length > 200 || RecordingTranscript.SearchWords(text).Count == 0))
            read.Fail("text", $"'text' must be words that were said (letters or digits, at most 200 characters), not '{text}'.");

        read.RejectUnknown(Known, unknown => $"'{unknown}' is not a search field.");

        var filter = new RecordingFilter
        {
            From = from, To = to, Number = number, Extension = read.One("extension"), Did = read.One("did"), Types = types,
            MinDurationSeconds = min, MaxDurationSeconds = max, CallId = read.One("callId"), Case = read.One("case"), Text = text, Sort = sort,
        };
        return new RecordingQuery(filter, pageSize, cursor, preset, day, page, read.Errors);
    }

    /// <summary>
    /// The panel's query string for what its filter bar shows, "" when nothing is chosen. A preset stands for its range; other
    /// dates are the days picked (<paramref name="filter"/>'s own From and To are not read). Paging and sort stay out of it.
    /// </summary>
    public static string ToQueryString(RecordingFilter filter, DatePreset? preset, DateOnly? fromDay, DateOnly? toDay)
    {
        var q = new List<KeyValuePair<string, string?>>();
        void Add(string key, string? value) { if (!string.IsNullOrWhiteSpace(value)) q.Add(new(key, value.Trim())); }
        var inv = CultureInfo.InvariantCulture;
        if (preset is { } p and not DatePreset.Day) Add("preset", PresetNames[p]);
        else if (preset == DatePreset.Day && fromDay is { } day) { Add("preset", "day"); Add("from", day.ToString("yyyy-MM-dd", inv)); }
        else
        {
            Add("from", fromDay?.ToString("yyyy-MM-dd", inv));
            Add("to", toDay?.ToString("yyyy-MM-dd", inv));
        }
        Add("number", filter.Number);
        Add("extension", filter.Extension);
        Add("did", filter.Did);
        foreach (var t in filter.Types) Add("type", t.ToString());
        Add("minDuration", filter.MinDurationSeconds?.ToString(inv));
        Add("maxDuration", filter.MaxDurationSeconds?.ToString(inv));
        Add("callId", filter.CallId);
        Add("case", filter.Case);
        Add("text", filter.Text);
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("", q);
    }

    private static readonly Dictionary<DatePreset, string> PresetNames = new()
    {
        [DatePreset.Today] = "today", [DatePreset.Yesterday] = "yesterday", [DatePreset.Last7] = "last7",
        [DatePreset.ThisMonth] = "thisMonth", [DatePreset.Day] = "day",
    };

    public static (DateTime From, DateTime To) Resolve(DatePreset preset, DisplayTime time, DateTime nowUtc)
    {
        var today = DateOnly.FromDateTime(time.ToLocal(nowUtc));
        var (start, end) = preset switch
        {
            DatePreset.Today => (today, today.AddDays(1)),
            DatePreset.Yesterday => (today.AddDays(-1), today),
            DatePreset.Last7 => (today.AddDays(-6), today.AddDays(1)),
            DatePreset.ThisMonth => (new DateOnly(today.Year, today.Month, 1), today.AddDays(1)),
            _ => (today, today.AddDays(1)),
        };
        return (time.ToUtc(start.ToDateTime(TimeOnly.MinValue)), time.ToUtc(end.ToDateTime(TimeOnly.MinValue)));
    }

    /// <summary>Recordings exist between these years; anything outside is a typo, not a search (and would overflow).</summary>
    private const int FirstYear = 1990, LastYear = 2200;

    private static DateTime? ParseTime(string field, string? text, bool endOfDay, DisplayTime time, Action<string, string> fail)
    {
        if (text is null) return null;
        DateTime? result = null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            if (date.Year is >= FirstYear and <= LastYear) result = time.ToUtc((endOfDay ? date.AddDays(1) : date).ToDateTime(TimeOnly.MinValue));
        }
        else if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value) && text.Contains('T'))
        {
            if (value.Year is >= FirstYear and <= LastYear)
            {
                var hasOffset = text.EndsWith('Z') || text.EndsWith('z') || System.Text.RegularExpressions.Regex.IsMatch(text, @"[+-]\d\d:?\d\d$");
                result = hasOffset ? value.UtcDateTime : time.ToUtc(value.DateTime);
            }
        }
        else
        {
            fail(field, $"'{field}' must be an ISO 8601 date or date-time (e.g. 2026-11-16 or 2026-11-16T09:15:00Z), not '{text}'.");
            return null;
        }
        if (result is null) fail(field, $"'{field}' must be a date between {FirstYear} and {LastYear}, not '{text}'.");
        return result;
    }
}

/// <summary>Opaque keyset position: the last row's sort value and id, tied to the sort it was made for.</summary>
public static class KeysetCursor
{
    public static string Encode(RecordingSort sort, object? value, long id)
    {
        var json = JsonSerializer.Serialize(new Payload(sort.ToString(), value switch
        {
            DateTime d => d.Ticks.ToString(CultureInfo.InvariantCulture),
            null => null,
            _ => Convert.ToString(value, CultureInfo.InvariantCulture),
        }, id));
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static (string? Value, long Id)? TryDecode(string cursor, RecordingSort sort)
    {
        try
        {
            var base64 = cursor.Replace('-', '+').Replace('_', '/');
            base64 += new string('=', (4 - base64.Length % 4) % 4);
            var payload = JsonSerializer.Deserialize<Payload>(Encoding.UTF8.GetString(Convert.FromBase64String(base64)));
            if (payload is null || payload.S != sort.ToString() || payload.I <= 0) return null;
            // The value must be one a row can hold: the seek builds a DateTime, an int or a long from it.
            const NumberStyles integer = NumberStyles.AllowLeadingSign;
            var usable = sort.Field switch
            {
                SortField.StartedAt => long.TryParse(payload.V, integer, CultureInfo.InvariantCulture, out var ticks) && ticks >= 0 && ticks <= DateTime.MaxValue.Ticks,
                SortField.Duration => int.TryParse(payload.V, integer, CultureInfo.InvariantCulture, out _),
                SortField.Size => long.TryParse(payload.V, integer, CultureInfo.InvariantCulture, out _),
                _ => true,
            };
            return usable ? (payload.V, payload.I) : null;
        }
        catch (FormatException) { return null; }
        catch (JsonException) { return null; }
        catch (ArgumentException) { return null; }
    }

    private sealed record Payload(string S, string? V, long I);
}
