using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Tests.Features.Recordings;

/// <summary>
/// A number fragment's page is first looked for by walking the sort's order, unless the trigram index shows it rare; a walk
/// that ends short of a page hands over to the index. Either way the page must be exactly the matches in order: checked
/// against the plain answer (every row's digits searched in memory) for a fragment in most rows, a rare one, one the walk
/// runs out of, one made of two digits (no trigram) and one that matches nothing, by date and by duration, on page 1 and
/// further on.
/// </summary>
public sealed class NumberWindowTests(NumberWindowTests.Calls app) : IClassFixture<NumberWindowTests.Calls>
{
    private List<Recording> Rows => app.Rows;

    public sealed class Calls : AppFactory
    {
    public List<Recording> Rows { get; private set; } = [];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var start = new DateTime(2026, 11, 30, 12, 0, 0, DateTimeKind.Utc);
        // The window and 2 000 calls more, newest first; 48 601 … is most of them; every 20th call in the window is 48 777 …, and every 50th beyond
        // it; 48 555 … is 30 calls in the window and 80 beyond (with the 48 601 … calls that hold 555: 69 and 151; but
        // "4855" only 33 in the window, fewer than a page, and 113 in all).
        const int window = 5_000;
        Rows = Enumerable.Range(0, window + 2_000).Select(i =>
        {
            var caller = i % 20 == 0 && i < window || i % 50 == 0 && i >= window ? $"48777{i:000000}"
                : i % (window / 30) == 1 && i < window || i % 25 == 1 && i >= window ? $"48555{i:000000}" : $"48601{i:000000}";
            return TestData.Recording(startedAt: start.AddMinutes(-i), caller: caller, durationSeconds: 10 + i * 7 % 900);
        }).ToList();
        // 250 calls of 48 12345 … two months back: not rare, but a page of ten by newest first is not within the 5 000 rows
        // a walk for it reads, so the index answers.
        Rows.AddRange(Enumerable.Range(0, 250).Select(k => TestData.Recording(startedAt: start.AddDays(-60).AddMinutes(-k), caller: $"4812345{k:0000}", durationSeconds: 5 + k)));
        // Holds 012, 123 and 234 in its two numbers, but not 01234: a candidate of the rarest-trigrams query, not a match.
        Rows.Add(TestData.Recording(startedAt: start.AddDays(-30), caller: "48012300000", callee: "234345"));
        await WithDbAsync(async db =>
        {
            db.Recordings.AddRange(Rows);
            await db.SaveChangesAsync();
            TrigramStats.Refresh(db);
            Assert.False(TrigramStats.QueryFor(db, "01234").Exact);
        });
    }
    }

    [Theory]
    [InlineData("601", false, 0, 51)]     // in most numbers: answered from the window
    [InlineData("601", true, 0, 51)]
    [InlineData("601", false, 100, 50)]
    [InlineData("777", false, 0, 51)]     // 290 calls: more candidates than "rare" (200 at this size), walked
    [InlineData("777", true, 0, 51)]
    [InlineData("777", false, 100, 50)]   // a later page
    [InlineData("777", false, 280, 50)]   // the walk finds 290, short of 330: the index answers the last ten
    [InlineData("555", false, 0, 51)]
    [InlineData("4855", false, 0, 51)]    // 33 in the window, 80 beyond: the index answers
    [InlineData("4855", true, 0, 51)]
    [InlineData("4855", false, 20, 50)]
    [InlineData("12345", false, 0, 10)]
    [InlineData("12345", false, 40, 10)]
    [InlineData("999999", false, 0, 51)]  // nothing
    [InlineData("77", false, 0, 51)]      // two digits: no trigram index, walked without a limit
    [InlineData("77", true, 400, 50)]     // 423: the walk saw every row, so its short answer is the page
    [InlineData("99", false, 0, 51)]      // 133
    [InlineData("00", false, 450, 50)]    // in every call
    [InlineData("01234", false, 0, 51)]   // five digits: the two rarest trigrams, then each candidate's digits checked
    [InlineData("6010012", true, 0, 51)]
    [InlineData("2345", false, 0, 51)]    // four: the phrase
    public async Task The_page_is_exactly_the_matches_in_order(string fragment, bool byDuration, int skip, int take)
    {
        Assert.Equal(7_251, Rows.Count);
        var sort = byDuration ? new RecordingSort(SortField.Duration, true) : RecordingSort.Default;
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var page = await RecordingSearch.PageAsync(db, RecordingSearch.WithoutNumber(db, new RecordingFilter()), fragment, sort, skip, take,
            q => q.Select(r => r.Id), CancellationToken.None);

        var digits = PhoneNumber.NormalizeFragment(fragment);
        var matching = Rows.Where(r => r.CallerDigits.Contains(digits) || r.CalleeDigits.Contains(digits));
        var expected = (byDuration
                ? matching.OrderByDescending(r => r.DurationMs).ThenByDescending(r => r.Id)
                : matching.OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id))
            .Skip(skip).Take(take).Select(r => r.Id).ToList();
        Assert.Equal(expected, page);
        Assert.Equal(fragment == "999999", expected.Count == 0);
        // And the count through the index agrees with the plain one.
        var (total, _) = await RecordingSearch.CountAsync(RecordingSearch.Filter(db, new RecordingFilter { Number = fragment }), CancellationToken.None);
        Assert.Equal(matching.Count(), total);
    }
}
