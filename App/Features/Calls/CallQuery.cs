using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Primitives;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Shared;
using NagrywanieRozmow.Shared.Time;

namespace NagrywanieRozmow.Features.Calls;

/// <summary>The call history's sort orders; every column of the view sorts.</summary>
public enum CallSortField { StartedAt, Caller, Callee, Did, Extension, Type, Disposition, Ring, Talk }

public sealed record CallSort(CallSortField Field, bool Descending)
{
    public static readonly CallSort Default = new(CallSortField.StartedAt, true);

    private static readonly Dictionary<string, CallSortField> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["startedAt"] = CallSortField.StartedAt, ["caller"] = CallSortField.Caller, ["callee"] = CallSortField.Callee, ["did"] = CallSortField.Did,
        ["extension"] = CallSortField.Extension, ["type"] = CallSortField.Type, ["disposition"] = CallSortField.Disposition,
        ["ring"] = CallSortField.Ring, ["talk"] = CallSortField.Talk,
        // The recordings' name for the length of a call: here, the time talked.
        ["duration"] = CallSortField.Talk,
    };

    public static bool TryParse(string text, out CallSort sort)
    {
        var descending = text.StartsWith('-');
        sort = Default;
        if (!Names.TryGetValue(descending ? text[1..] : text, out var field)) return false;
        sort = new CallSort(field, descending);
        return true;
    }

    public override string ToString() => (Descending ? "-" : "") + Names.First(n => n.Value == Field).Key;
}

/// <summary>What the call history is searched for. Times are UTC; <see cref="To"/> is exclusive; durations are talk time.</summary>
public sealed record CallFilter
{
    public DateTime? From { get; init; }
    public DateTime? To { get; init; }
    public string? Number { get; init; }
    public string? Extension { get; init; }
    public string? Did { get; init; }
    public IReadOnlyList<CallType> Types { get; init; } = [];
    public IReadOnlyList<CallDisposition> Dispositions { get; init; } = [];
    public int? MinDurationSeconds { get; init; }
    public int? MaxDurationSeconds { get; init; }
    public string? CallId { get; init; }

    /// <summary>true: only calls with a recording; false: only calls without one.</summary>
    public bool? Recorded { get; init; }
    public CallSort Sort { get; init; } = CallSort.Default;

    /// <summary>The "nieodebrane" preset: every way a call can go unanswered.</summary>
    public static readonly IReadOnlyList<CallDisposition> Missed = [CallDisposition.NoAnswer, CallDisposition.Busy, CallDisposition.Failed];
}

/// <summary>A parsed call-history query string (the recordings' names, plus <c>disposition</c> and <c>recorded</c>).</summary>
public sealed record CallQuery(CallFilter Filter, int PageSize, string? Cursor, DatePreset? Preset, int Page, IReadOnlyDictionary<string, string[]> Errors)
{
    public bool IsValid => Errors.Count == 0;

    /// <summary>The recordings' own fields, read by their parser, so dates, presets, numbers, types and durations mean the same.</summary>
    private static readonly string[] Shared = ["from", "to", "preset", "number", "extension", "did", "type", "minDuration", "maxDuration", "callId", "pageSize", "page"];
    private static readonly string[] Own = ["disposition", "recorded", "sort", "cursor"];

    /// <summary>The query-string fields a call search reads; any other is refused.</summary>
    public static readonly string[] Known = [.. Shared, .. Own];

    public static CallQuery Parse(IEnumerable<KeyValuePair<string, StringValues>> query, DisplayTime time, DateTime nowUtc)
    {
        var all = query.ToList();
        var recordings = RecordingQuery.Parse(all.Where(p => Shared.Contains(p.Key, StringComparer.OrdinalIgnoreCase)), time, nowUtc);
        var read = new QueryReader(all.Where(p => !Shared.Contains(p.Key, StringComparer.OrdinalIgnoreCase)));

        var dispositions = new List<CallDisposition>();
        foreach (var part in read.Many("disposition"))
        {
            if (part.Equals("missed", StringComparison.OrdinalIgnoreCase)) dispositions.AddRange(CallFilter.Missed.Except(dispositions));
            else if (EnumNames.TryParse<CallDisposition>(part, out var d)) { if (!dispositions.Contains(d)) dispositions.Add(d); }
            else read.Fail("disposition", $"'disposition' must be Answered, NoAnswer, Busy, Failed or missed, not '{part}'.");
        }
        bool? recorded = null;
        if (read.One("recorded") is { } recordedText)
        {
            if (bool.TryParse(recordedText, out var r)) recorded = r;
            else read.Fail("recorded", $"'recorded' must be true or false, not '{recordedText}'.");
        }
        var sort = CallSort.Default;
        if (read.One("sort") is { } sortText && !CallSort.TryParse(sortText, out sort))
            read.Fail("sort", $"'sort' must be startedAt, caller, callee, did, extension, type, disposition, ring or talk (with '-' for descending), not '{sortText}'.");
        var cursor = read.One("cursor");
        if (cursor is not null && CallCursor.TryDecode(cursor, sort) is null)
            read.Fail("cursor", "'cursor' is not a cursor this search gave out (it may belong to another sort order).");
        read.RejectUnknown(Own.Concat(Shared), unknown => $"'{unknown}' is not a search field.");

        var f = recordings.Filter;
        var filter = new CallFilter
        {
            From = f.From, To = f.To, Number = f.Number, Extension = f.Extension, Did = f.Did, Types = f.Types, Dispositions = dispositions,
            MinDurationSeconds = f.MinDurationSeconds, MaxDurationSeconds = f.MaxDurationSeconds, CallId = f.CallId, Recorded = recorded, Sort = sort,
        };
        var errors = recordings.Errors.Concat(read.Errors).GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.SelectMany(e => e.Value).ToArray());
        return new CallQuery(filter, recordings.PageSize, cursor, recordings.Preset, recordings.Page, errors);
    }
}

/// <summary>
/// Opaque position in a search: the last row's sort value and id (a seek on the sort's index). Orders by a column that may be
/// empty (DID, extension) keep the number of rows already given instead.
/// </summary>
public static class CallCursor
{
    public static string Encode(CallSort sort, string? value, long id, int offset)
    {
        var json = JsonSerializer.Serialize(new Payload(sort.ToString(), value, id, offset));
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static Position? TryDecode(string cursor, CallSort sort)
    {
        try
        {
            var base64 = cursor.Replace('-', '+').Replace('_', '/');
            base64 += new string('=', (4 - base64.Length % 4) % 4);
            var p = JsonSerializer.Deserialize<Payload>(Encoding.UTF8.GetString(Convert.FromBase64String(base64)));
            if (p is null || p.S != sort.ToString() || p.I <= 0 || p.O < 0) return null;
            var usable = sort.Field switch
            {
                CallSortField.StartedAt => long.TryParse(p.V, NumberStyles.None, CultureInfo.InvariantCulture, out var t) && t <= DateTime.MaxValue.Ticks,
                CallSortField.Type or CallSortField.Disposition or CallSortField.Ring or CallSortField.Talk =>
                    int.TryParse(p.V, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
                CallSortField.Caller or CallSortField.Callee => p.V is not null,
                _ => true,
            };
            return usable ? new Position(p.V, p.I, p.O) : null;
        }
        catch (FormatException) { return null; }
        catch (JsonException) { return null; }
        catch (ArgumentException) { return null; }
    }

    public sealed record Position(string? Value, long Id, int Offset);

    private sealed record Payload(string S, string? V, long I, int O);
}
