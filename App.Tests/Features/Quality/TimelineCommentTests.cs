using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Features.Retention;

using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Tests.Features.Quality;

public sealed class TimelineCommentTests : IAsyncLifetime
{
    private readonly QualityApp app = new();
    public Task InitializeAsync() => app.InitializeAsync();
    Task IAsyncLifetime.DisposeAsync() => ((IAsyncLifetime)app).DisposeAsync();

    private static string Url(long id) => $"/api/v1/recordings/{id}/comments";

    [Fact]
    public async Task Moments_and_spans_are_listed_by_time_and_bad_ones_are_refused_with_nothing_stored()
    {
        var call = (await app.AddCallsAsync("201", 1, seconds: 60))[0];
        var qm = app.ClientAs(Roles.QualityManager, email: QualityApp.Manager);
        Assert.Equal(HttpStatusCode.Created, (await qm.PostAsJsonAsync(Url(call.Id), new { startMs = 30_000, endMs = 41_500, text = "Klient prosi o kontakt" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await qm.PostAsJsonAsync(Url(call.Id), new { startMs = 4_000, text = "Brak przedstawienia się" })).StatusCode);

        foreach (var (body, words) in new (object, string)[]
        {
            (new { startMs = 70_000, text = "za późno" }, "outside the call"),
            (new { startMs = 10_000, endMs = 9_000, text = "wstecz" }, "must end after"),
            (new { startMs = 1_000, text = "  " }, "1–2000 characters"),
            (new { text = "bez momentu" }, "startMs"),
        })
        {
            var refused = await qm.PostAsJsonAsync(Url(call.Id), body);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains(words, await refused.Content.ReadAsStringAsync());
        }

        var list = await qm.GetFromJsonAsync<JsonElement>(Url(call.Id));
        Assert.Equal([4_000, 30_000], list.EnumerateArray().Select(c => c.GetProperty("startMs").GetInt32()));
        Assert.Equal(41_500, list[1].GetProperty("endMs").GetInt32());
        Assert.Equal(QualityApp.Manager, list[0].GetProperty("author").GetString());
        var added = await app.AuditAsync(AuditActions.CommentAdded);
        Assert.Equal(2, added.Count);
        Assert.All(added, a => { Assert.Equal(call.Id, a.RecordingId); Assert.DoesNotContain("Klient", a.Details); });
    }

    [Fact]
    public async Task Only_those_who_may_listen_to_the_call_comment_and_only_the_author_or_an_administrator_removes()
    {
        var own = (await app.AddCallsAsync("201", 1))[0];
        var other = (await app.AddCallsAsync("301", 1, team: "Sprzedaż"))[0];
        var agent = app.ClientAs(Roles.Agent, "Reklamacje", "agent201@example.com", ownExtension: "201");
        Assert.Equal(HttpStatusCode.Created, (await agent.PostAsJsonAsync(Url(own.Id), new { startMs = 1_000, text = "Tu się pomyliłam" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await agent.PostAsJsonAsync(Url(other.Id), new { startMs = 1_000, text = "cudza" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.ClientAs(Roles.QualityManager, "Sprzedaż").GetAsync(Url(own.Id))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientAs(Roles.Agent, "Reklamacje", "bez-nagran@example.com").GetAsync(Url(own.Id))).StatusCode);

        var id = (await agent.GetFromJsonAsync<JsonElement>(Url(own.Id)))[0].GetProperty("id").GetInt32();
        var qm = app.ClientAs(Roles.QualityManager, email: QualityApp.Manager);
        Assert.Equal(HttpStatusCode.Forbidden, (await qm.DeleteAsync($"{Url(own.Id)}/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await agent.DeleteAsync($"{Url(own.Id)}/{id + 100}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await app.ClientAs(Roles.Administrator).DeleteAsync($"{Url(own.Id)}/{id}")).StatusCode);
        Assert.Empty((await agent.GetFromJsonAsync<JsonElement>(Url(own.Id))).EnumerateArray());
        Assert.Single(await app.AuditAsync(AuditActions.CommentRemoved));
    }

    [Fact]
    public async Task Comments_go_with_their_recording()
    {
        var call = (await app.AddCallsAsync("201", 1))[0];
        var qm = app.ClientAs(Roles.QualityManager, email: QualityApp.Manager);
        await qm.PostAsJsonAsync(Url(call.Id), new { startMs = 1_000, text = "numer karty klienta" });
        await app.Services.GetRequiredService<RecordingEraser>().EraseAsync([new Erasure(call.Id, "test")], ErasureCause.Manual, "admin@example.com");
        Assert.Equal(0, await app.WithDbAsync(db => db.TimelineComments.CountAsync()));
    }
}
