using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Features.Retention;

namespace NagrywanieRozmow.Tests.Features.Recordings;

/// <summary>"What was said": words folded (no diacritics needed), found as a word's beginning, through the FTS5 index.</summary>
public sealed class TranscriptSearchTests(AppFactory app) : IClassFixture<AppFactory>
{
    private async Task<Recording> WithTranscriptAsync(params string[] said)
    {
        var r = await TestData.AddAsync(app, TestData.Recording());
        await app.WithDbAsync(async db =>
        {
            db.Transcripts.Add(RecordingTranscript.From(r.Id, "OpenAiCompatible", "whisper-1", "pl", DateTime.UtcNow,
                said.Select((s, i) => new TranscriptSegment(i * 5_000, i * 5_000 + 4_000, i % 2 == 0 ? "caller" : "agent", s)).ToList()));
            await db.SaveChangesAsync();
        });
        return r;
    }

    private async Task<List<long>> FoundAsync(string text)
    {
        var response = await app.ClientAs(Roles.ComplaintHandler).GetAsync($"/api/v1/recordings?pageSize=200&text={Uri.EscapeDataString(text)}");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()).ToList();
    }

    [Fact]
    public async Task Words_are_found_without_diacritics_in_any_ending_and_all_of_them_must_be_said()
    {
        var complaint = await WithTranscriptAsync("Dzień dobry, dzwonię w sprawie reklamacji.", "Zażółć gęślą jaźń, proszę pani.");
        var sale = await WithTranscriptAsync("Chciałbym kupić nowy abonament.", "Oczywiście, już przygotowuję ofertę.");
        var silent = await TestData.AddAsync(app, TestData.Recording());

        Assert.Equal([complaint.Id], await FoundAsync("reklamacja"));
        Assert.Equal([complaint.Id], await FoundAsync("zazolc gesla"));
        Assert.Equal([complaint.Id], await FoundAsync("ZAŻÓŁĆ"));
        Assert.Equal([sale.Id], await FoundAsync("abonament"));
        Assert.Empty(await FoundAsync("reklamacja abonament"));
        Assert.DoesNotContain(silent.Id, await FoundAsync("dzień"));
        // The search is audited with the words asked for.
        var entry = await app.WithDbAsync(db => db.AuditLog.OrderByDescending(a => a.Id).FirstAsync(a => a.Action == AuditActions.Search));
        Assert.Contains("\"text\":\"dzień\"", entry.Details);
    }

    [Theory]
    [InlineData("\"*")]
    [InlineData("NEAR(")]
    [InlineData("--")]
    public async Task Query_syntax_of_the_index_is_never_passed_through(string text)
    {
        var response = await app.ClientAs(Roles.ComplaintHandler).GetAsync($"/api/v1/recordings?text={Uri.EscapeDataString(text)}");
        var body = await response.Content.ReadAsStringAsync();
        // Letters survive as a word (NEAR); punctuation alone is refused with the field named.
        if (text == "NEAR(") Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        else
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("'text' must be words", body);
        }
    }

    [Fact]
    public async Task Erasing_the_recording_leaves_nothing_of_its_words_in_the_index()
    {
        var r = await WithTranscriptAsync("Numer zamówienia przepiórka siedemnaście.");
        Assert.Equal([r.Id], await FoundAsync("przepiorka"));
        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<RecordingEraser>().EraseAsync([new Erasure(r.Id, "test")], ErasureCause.SubjectRequest, "compliance@example.com");

        Assert.Empty(await FoundAsync("przepiorka"));
        await app.WithDbAsync(async db =>
        {
            Assert.False(await db.Transcripts.AnyAsync(t => t.RecordingId == r.Id));
            // The index itself, not only the join: no row id is left for the word, and FTS5 finds the index consistent.
            Assert.Empty(await db.Database.SqlQuery<long>($"SELECT rowid AS Value FROM TranscriptWords WHERE TranscriptWords MATCH 'przepiork*'").ToListAsync());
            await db.Database.ExecuteSqlRawAsync("INSERT INTO TranscriptWords(TranscriptWords) VALUES('integrity-check')");
        });
    }
}
