using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.Primitives;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Shared.Time;

namespace NagrywanieRozmow.Tests.Hostile;

/// <summary>The search's query string is typed, pasted and shared by people: any text must give a search or name what is wrong.</summary>
public sealed class RecordingQueryProperties
{
    private static readonly DisplayTime Time = new(TimeZoneInfo.FindSystemTimeZoneById("Europe/Warsaw"));
    private static readonly DateTime Now = new(2026, 11, 21, 10, 0, 0, DateTimeKind.Utc);

    private static readonly string[] Fields =
        ["from", "to", "number", "extension", "type", "minDuration", "maxDuration", "callId", "case", "sort", "pageSize", "cursor", "preset", "page"];

    private static readonly Gen<string> Values = Gen.OneOf(
        Hostile.NastyString(40),
        Gen.Elements("2026-11-16", "2026-11-16T09:15:00Z", "2026-11-16T09:15:00+14:00", "0001-01-01", "9999-12-31", "9999-12-31T23:59:59-14:00",
            "0001-01-01T00:00:00+14:00", "2026-02-30", "1989-12-31", "2201-01-01", "2026-11-16T25:00", "T", "2026-W47", "today", "Day", "last7",
            "-startedAt", "-", "--duration", "caller", "Incoming,Outgoing", "Incoming,,Ivr", "4", "+1", "-1", "0", "200", "201", "86400", "86401"),
        Gen.Elements(Fields).SelectMany(f => Hostile.Mutated(f)));

    /// <summary>Any set of fields, known or not, each given zero to three times, as a request's query collection holds them.</summary>
    private static readonly Gen<Dictionary<string, StringValues>> Queries =
        Gen.OneOf(Gen.Elements(Fields), Gen.Elements(Fields).Select(f => f.ToUpperInvariant()), Hostile.NastyString(12))
            .SelectMany(key => Values.ArrayOf().Select(v => (key, v.Take(3).ToArray())))
            .ArrayOf()
            .Select(pairs =>
            {
                var query = new Dictionary<string, StringValues>(StringComparer.OrdinalIgnoreCase);
                foreach (var (key, values) in pairs.Take(8)) query[key] = values;
                return query;
            });

    [Property(MaxTest = 5000, Replay = Hostile.Seed)]
    public Property Any_query_gives_a_search_or_errors_that_each_name_their_field() => Prop.ForAll(Queries.ToArbitrary(), query =>
    {
        var parsed = RecordingQuery.Parse(query, Time, Now);
        foreach (var (field, messages) in parsed.Errors)
        {
            Assert.True(query.ContainsKey(field) || Fields.Contains(field), $"error for '{field}', which was not asked about");
            Assert.All(messages, m => Assert.Contains($"'{field}'", m));
        }
        if (!parsed.IsValid) return;
        var f = parsed.Filter;
        Assert.InRange(parsed.PageSize, 1, RecordingQuery.MaxPageSize);
        Assert.True(f.From is null || f.To is null || f.From < f.To);
        Assert.True(f.From is null || f.From.Value.Kind == DateTimeKind.Utc);
        Assert.True(f.MinDurationSeconds is null or >= 0 && f.MaxDurationSeconds is null or >= 0);
        Assert.All(f.Types, t => Assert.True(Enum.IsDefined(t)));
        // Whatever parsed must also be searchable: the cursor decodes to a position the keyset seek can use.
        if (parsed.Cursor is not null)
        {
            var position = KeysetCursor.TryDecode(parsed.Cursor, f.Sort);
            Assert.NotNull(position);
            RecordingSearch.After(Array.Empty<Recording>().AsQueryable(), f.Sort, position.Value.Value, position.Value.Id);
        }
    });

    [Property(MaxTest = 1000, Replay = Hostile.Seed)]
    public Property Parsing_a_query_twice_gives_the_same_search() => Prop.ForAll(Queries.ToArbitrary(), query =>
    {
        var first = RecordingQuery.Parse(query, Time, Now);
        var second = RecordingQuery.Parse(query, Time, Now);
        Assert.Equal(first.Filter with { Types = [] }, second.Filter with { Types = [] });
        Assert.Equal(first.Filter.Types, second.Filter.Types);
        Assert.Equal(first.Errors.Keys.Order(), second.Errors.Keys.Order());
    });

    public sealed record Search(DateOnly? From, DateOnly? To, string? Number, CallType[] Types, int? Min, int? Max, RecordingSort Sort, int? PageSize)
    {
        public Dictionary<string, StringValues> Query()
        {
            var q = new Dictionary<string, StringValues>(StringComparer.OrdinalIgnoreCase);
            if (From is { } f) q["from"] = f.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (To is { } t) q["to"] = t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (Number is not null) q["number"] = Number;
            if (Types.Length > 0) q["type"] = Types.Select(x => x.ToString()).ToArray();
            if (Min is { } min) q["minDuration"] = min.ToString(CultureInfo.InvariantCulture);
            if (Max is { } max) q["maxDuration"] = max.ToString(CultureInfo.InvariantCulture);
            q["sort"] = Sort.ToString();
            if (PageSize is { } size) q["pageSize"] = size.ToString(CultureInfo.InvariantCulture);
            return q;
        }
    }

    private static readonly Gen<DateOnly> Days = Gen.Choose(0, 365 * 200).Select(d => new DateOnly(1995, 1, 1).AddDays(d));

    private static readonly Gen<Search> ValidSearches =
        from start in Gen.OneOf(Days.Select(d => (DateOnly?)d), Gen.Constant<DateOnly?>(null))
        from length in Gen.Choose(0, 400)
        from hasTo in ArbMap.Default.GeneratorFor<bool>()
        from number in Gen.OneOf(Gen.Constant<string?>(null), Gen.Elements("601", "+48 601-234-567", "(22) 765", "0048601", "48").Select(s => (string?)s))
        from types in Gen.Elements(Enum.GetValues<CallType>()).ArrayOf().Select(a => a.Distinct().ToArray())
        from min in Gen.OneOf(Gen.Constant<int?>(null), Gen.Choose(0, 86_400).Select(x => (int?)x))
        from extra in Gen.Choose(0, 86_400)
        from field in Gen.Elements(Enum.GetValues<SortField>())
        from desc in ArbMap.Default.GeneratorFor<bool>()
        from size in Gen.OneOf(Gen.Constant<int?>(null), Gen.Choose(1, RecordingQuery.MaxPageSize).Select(x => (int?)x))
        select new Search(start, hasTo ? (start ?? new DateOnly(2026, 1, 1)).AddDays(length) : null, number, types,
            min, min is { } m ? Math.Min(86_400, m + extra) : null, new RecordingSort(field, desc), size);

    [Property(MaxTest = 2000, Replay = Hostile.Seed)]
    public Property A_query_built_from_valid_values_parses_back_to_those_values() => Prop.ForAll(ValidSearches.ToArbitrary(), search =>
    {
        var parsed = RecordingQuery.Parse(search.Query(), Time, Now);
        Assert.True(parsed.IsValid, string.Join("; ", parsed.Errors.SelectMany(e => e.Value)));
        var f = parsed.Filter;
        // Dates are local days: "from" starts the day, a date-only "to" takes in the whole of it.
        Assert.Equal(search.From is { } from ? Time.ToUtc(from.ToDateTime(TimeOnly.MinValue)) : null, f.From);
        Assert.Equal(search.To is { } to ? Time.ToUtc(to.AddDays(1).ToDateTime(TimeOnly.MinValue)) : null, f.To);
        Assert.Equal((search.Number, search.Min, search.Max, search.Sort, search.PageSize ?? RecordingQuery.DefaultPageSize),
            (f.Number, f.MinDurationSeconds, f.MaxDurationSeconds, f.Sort, parsed.PageSize));
        Assert.Equal(search.Types, f.Types);
    });

    [Property(MaxTest = 500, Replay = Hostile.Seed)]
    public Property Every_sort_round_trips_through_its_name_and_nothing_else_parses_as_another() =>
        Prop.ForAll(Gen.Elements(Enum.GetValues<SortField>()).ToArbitrary(), ArbMap.Default.GeneratorFor<bool>().ToArbitrary(), Hostile.NastyString(20).ToArbitrary(),
            (field, descending, text) =>
            {
                var sort = new RecordingSort(field, descending);
                Assert.True(RecordingSort.TryParse(sort.ToString(), out var back));
                Assert.Equal(sort, back);
                if (RecordingSort.TryParse(text, out var other))
                    Assert.Equal(text.TrimStart('-').ToLowerInvariant(), other.ToString().TrimStart('-').ToLowerInvariant());
            });

    private static readonly Gen<(RecordingSort Sort, object? Value, long Id)> Positions =
        from field in Gen.Elements(Enum.GetValues<SortField>())
        from desc in ArbMap.Default.GeneratorFor<bool>()
        from ticks in Gen.Choose(0, int.MaxValue).Select(t => t * 1_000_000_000L)
        from number in Gen.Choose(0, int.MaxValue)
        from text in Gen.OneOf(Hostile.NastyString(20).Select(s => (string?)s), Gen.Constant<string?>(null))
        from id in Gen.OneOf(Gen.Choose(1, int.MaxValue).Select(i => (long)i), Gen.Constant(long.MaxValue))
        select (new RecordingSort(field, desc), field switch
        {
            SortField.StartedAt => (object?)new DateTime(Math.Min(ticks, DateTime.MaxValue.Ticks), DateTimeKind.Utc),
            SortField.Duration => number,
            SortField.Size => (long)number * 1000,
            _ => text,
        }, id);

    [Property(MaxTest = 1000, Replay = Hostile.Seed)]
    public Property A_cursor_decodes_to_the_position_it_was_made_for_and_only_for_its_sort() =>
        Prop.ForAll(Positions.ToArbitrary(), Gen.Elements(Enum.GetValues<SortField>()).ToArbitrary(), (p, otherField) =>
        {
            var cursor = KeysetCursor.Encode(p.Sort, p.Value, p.Id);
            var decoded = KeysetCursor.TryDecode(cursor, p.Sort);
            Assert.NotNull(decoded);
            Assert.Equal(p.Id, decoded.Value.Id);
            RecordingSearch.After(Array.Empty<Recording>().AsQueryable(), p.Sort, decoded.Value.Value, decoded.Value.Id);
            var other = new RecordingSort(otherField, !p.Sort.Descending);
            Assert.Null(KeysetCursor.TryDecode(cursor, other));
        });

    /// <summary>Cursors cut short, with characters changed, random base64, and well-formed JSON with values no search produced.</summary>
    private static readonly Gen<(string Cursor, RecordingSort Sort)> Tampered =
        from p in Positions
        from kind in Gen.Choose(0, 3)
        from cut in Gen.Choose(0, 200)
        from mutated in Hostile.Mutated(KeysetCursor.Encode(p.Sort, p.Value, p.Id))
        from noise in Gen.Choose(0, 255).ArrayOf().Select(a => Convert.ToBase64String(a.Select(b => (byte)b).ToArray()))
        from forged in Gen.Elements("-1", "0", "9223372036854775807", "-9223372036854775808", "3155378975999999999", "3155378976000000000",
            "2147483648", "-2147483649", "99999999999999999999", "1e3", " 1", "١", "", "null")
        from forgedId in Gen.Elements("1", "0", "-1", "9223372036854775807", "9223372036854775808", "1.5", "\"1\"", "null")
        let encoded = KeysetCursor.Encode(p.Sort, p.Value, p.Id)
        let json = $$"""{"S":"{{p.Sort}}","V":"{{forged}}","I":{{forgedId}}}"""
        select (kind switch
        {
            0 => encoded[..Math.Min(cut, encoded.Length)],
            1 => mutated,
            2 => noise,
            _ => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
        }, p.Sort);

    [Property(MaxTest = 3000, Replay = Hostile.Seed)]
    public Property A_tampered_cursor_is_refused_or_gives_a_position_the_search_can_seek_to() => Prop.ForAll(Tampered.ToArbitrary(), t =>
    {
        var decoded = KeysetCursor.TryDecode(t.Cursor, t.Sort);
        if (decoded is { } position)
        {
            Assert.True(position.Id > 0);
            RecordingSearch.After(Array.Empty<Recording>().AsQueryable(), t.Sort, position.Value, position.Id);
        }
    });

    [Theory]
    [InlineData("-startedAt", "-1")]
    [InlineData("startedAt", "3155378976000000000")]
    [InlineData("-duration", "2147483648")]
    [InlineData("duration", "-2147483649")]
    public void A_forged_cursor_whose_value_no_row_can_have_is_refused(string sort, string value)
    {
        Assert.True(RecordingSort.TryParse(sort, out var s));
        var json = $$"""{"S":"{{sort}}","V":"{{value}}","I":5}""";
        var cursor = Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Assert.Null(KeysetCursor.TryDecode(cursor, s));
        var parsed = RecordingQuery.Parse(new Dictionary<string, StringValues> { ["sort"] = sort, ["cursor"] = cursor }, Time, Now);
        Assert.Contains("cursor", parsed.Errors.Keys);
    }

    [Theory]
    [InlineData("type", "+1")]
    [InlineData("type", " -0")]
    [InlineData("type", "1")]
    [InlineData("type", "Outgoing;Internal")]
    [InlineData("type", "Incoming Outgoing")]
    [InlineData("preset", "1")]
    [InlineData("preset", "+4")]
    [InlineData("preset", "today,yesterday")]
    public void A_type_or_preset_given_by_number_or_as_a_combination_of_names_is_refused(string field, string value)
    {
        var parsed = RecordingQuery.Parse(new Dictionary<string, StringValues> { [field] = value }, Time, Now);
        Assert.Contains(field, parsed.Errors.Keys);
    }

    [Fact]
    public void Names_are_read_in_any_case_with_spaces_around_them()
    {
        var parsed = RecordingQuery.Parse(new Dictionary<string, StringValues> { ["type"] = " queue , IVR", ["preset"] = " LAST7 " }, Time, Now);
        Assert.Empty(parsed.Errors);
        Assert.Equal([CallType.Queue, CallType.Ivr], parsed.Filter.Types);
    }
}
