using System.Net.Http.Json;
using System.Text.Json;
using NagrywanieRozmow.Features.Calls;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Tests.Features.Calls;

/// <summary>
/// Enough calls that a number fragment is common (its page walked down the sort's index) or rare (the trigram index): both
/// give the page the plain definition gives, and missed calls by talk time come in the same order as any other way.
/// </summary>
public sealed class CommonFragmentTests(CommonFragmentTests.ManyCalls app) : IClassFixture<CommonFragmentTests.ManyCalls>
{
    public sealed class ManyCalls : AppFactory
    {
        public List<CallSummary> All { get; } = [];

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            var random = new Random(27);
            var start = new DateTime(2026, 10, 1, 6, 0, 0, DateTimeKind.Utc);
            for (var i = 0; i < 2_500; i++)
            {
                var caller = i % 2 == 0 ? $"48601{random.Next(0, 1_000_000):D6}" : $"4822{random.Next(0, 10_000_000):D7}";
                var answered = i % 3 != 0;
                All.Add(new CallSummary
                {
                    LinkedId = $"1790000000.{i}", StartedAt = start.AddMinutes(i * 7 + random.Next(5)), CallerNumber = caller, CallerDigits = caller,
                    CalleeNumber = "221234500", CalleeDigits = "48221234500", Type = CallType.Incoming,
                    Disposition = answered ? CallDisposition.Answered : (CallDisposition)(1 + i % 3), RingSeconds = random.Next(30),
                    TalkSeconds = answered ? random.Next(1, 600) : 0, Legs = 1, Extension = answered ? "201" : null,
                });
            }
            await WithDbAsync(async db => { db.Calls.AddRange(All); await db.SaveChangesAsync(); });
        }
    }

    private async Task<List<string>> IdsAsync(string query)
    {
        var response = await app.ClientAs(Roles.ComplaintHandler).GetAsync("/api/v1/calls?pageSize=50&" + query);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("linkedid").GetString()!).ToList();
    }

    private List<string> Expected(Func<CallSummary, bool> where, Func<CallSummary, long> key) =>
        app.All.Where(where).OrderByDescending(key).ThenByDescending(c => c.Id).Take(50).Select(c => c.LinkedId).ToList();

    [Theory]
    [InlineData("48601")]  // common: half the calls
    [InlineData("601")]
    [InlineData("22")]
    [InlineData("60112")]  // rarer: the trigram index
    public async Task A_fragment_common_or_rare_gives_the_same_first_page_as_filtering_everything(string fragment)
    {
        bool Has(CallSummary c) => c.CallerDigits.Contains(fragment) || c.CalleeDigits.Contains(fragment);
        var byDate = Expected(Has, c => c.StartedAt.Ticks);
        Assert.NotEmpty(byDate);
        Assert.Equal(byDate, await IdsAsync($"number={fragment}&sort=-startedAt"));
        Assert.Equal(Expected(Has, c => c.TalkSeconds), await IdsAsync($"number={fragment}&sort=-talk"));
    }

    [Fact]
    public async Task Missed_calls_by_talk_time_come_in_the_order_of_the_talk_sort()
    {
        var expected = Expected(c => c.Disposition != CallDisposition.Answered, c => c.TalkSeconds);
        Assert.Equal(50, expected.Count);
        Assert.Equal(expected, await IdsAsync("disposition=missed&sort=-talk"));
    }
}
