using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Features.Access;
using NagrywanieRozmow.Features.Quality;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Features.Retention;

namespace NagrywanieRozmow.Tests.Features.Quality;

public sealed class CollectionTests : IAsyncLifetime
{
    private readonly QualityApp app = new();
    public Task InitializeAsync() => app.InitializeAsync();
    Task IAsyncLifetime.DisposeAsync() => ((IAsyncLifetime)app).DisposeAsync();

    private Collections Service => app.Services.GetRequiredService<Collections>();
    private static readonly System.Security.Claims.ClaimsPrincipal Owner = QualityApp.Qm();
    private const string Trainee = "nowy@example.com";

    private async Task<(TrainingCollection Collection, Recording Call, int ClipId, int WholeId)> SharedClipAsync(DateTime? startedAt = null)
    {
        await using (var scope = app.Services.CreateAsyncScope())
            Assert.Empty(await scope.ServiceProvider.GetRequiredService<UserAccounts>().CreateAsync(Trainee, "Quality-Test-1!", Roles.Agent, "Sprzedaż", "777"));
        var call = await TestData.AddWithAudioAsync(app, TestData.Recording(startedAt: startedAt ?? QualityApp.Now.AddDays(-2), durationSeconds: 20));
        var (collection, problem) = await Service.CreateAsync("Wzorcowe powitania", "dla nowych", Owner, QualityApp.ManagerActor);
        Assert.Null(problem);
        Assert.Null(await Service.AddAsync(collection!.Id, call.Id, 5_000, 8_500, "tak się przedstawiamy", Owner, QualityApp.ManagerActor));
        Assert.Null(await Service.AddAsync(collection.Id, call.Id, null, null, "cała rozmowa", Owner, QualityApp.ManagerActor));
        Assert.Null(await Service.ShareAsync(collection.Id, Trainee, true, Owner, QualityApp.ManagerActor));
        var items = await app.WithDbAsync(db => db.CollectionItems.Where(i => i.CollectionId == collection.Id).OrderBy(i => i.Position).ToListAsync());
        return (collection, call, items[0].Id, items[1].Id);
    }

    private HttpClient TraineeClient() => app.ClientAs(Roles.Agent, "Sprzedaż", Trainee);

    [Fact]
    public async Task A_trainee_it_is_shared_with_hears_the_clip_cut_to_its_span_and_nothing_else_of_the_call()
    {
        var (c, call, clip, _) = await SharedClipAsync();
        var response = await TraineeClient().GetAsync($"/api/v1/collections/{c.Id}/items/{clip}/audio?session=s1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var wav = await response.Content.ReadAsByteArrayAsync();
        // 8 kHz, 16-bit mono: 3.5 s is 56,000 bytes of samples.
        var (rate, dataBytes) = (BitConverter.ToInt32(wav, 24), BitConverter.ToInt32(wav, wav.AsSpan().IndexOf("data"u8) + 4));
        Assert.Equal(8000, rate);
        Assert.InRange(dataBytes / 16.0, 3_400, 3_600);
        // The call itself stays closed to them: an agent without "own recordings" may not listen at all.
        Assert.Equal(HttpStatusCode.Forbidden, (await TraineeClient().GetAsync($"/api/v1/recordings/{call.Id}/audio")).StatusCode);

        var ranged = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/collections/{c.Id}/items/{clip}/audio?session=s1");
        ranged.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(100, 199);
        Assert.Equal(HttpStatusCode.PartialContent, (await TraineeClient().SendAsync(ranged)).StatusCode);
        // Someone it is not shared with: as if it did not exist.
        Assert.Equal(HttpStatusCode.NotFound, (await app.ClientAs(Roles.Agent, "Sprzedaż", "inny@example.com").GetAsync($"/api/v1/collections/{c.Id}/items/{clip}/audio")).StatusCode);
        var listens = await app.AuditAsync(AuditActions.Listen);
        var listen = Assert.Single(listens);
        Assert.Equal((Trainee, call.Id), (listen.Actor, listen.RecordingId!.Value));
        Assert.Contains($"\"collection\":{c.Id}", listen.Details);
    }

    [Fact]
    public async Task A_collection_does_not_keep_a_recording_and_shows_when_it_went()
    {
        // 400 days old: past the default 365-day retention.
        var (c, call, clip, whole) = await SharedClipAsync(QualityApp.Now.AddDays(-400));
        await app.Services.GetRequiredService<RetentionPurgeJob>().RunAsync(CancellationToken.None);
        Assert.False(await app.WithDbAsync(db => db.Recordings.AnyAsync(r => r.Id == call.Id)));

        var view = (await Service.OpenAsync(c.Id, TestAuth.Principal(Trainee, Roles.Agent, "Sprzedaż")))!;
        Assert.Equal(2, view.Entries.Count);
        Assert.All(view.Entries, e => { Assert.Null(e.Recording); Assert.Equal(ErasureCause.Retention, e.Removed!.Cause); });
        foreach (var item in new[] { clip, whole })
        {
            var gone = await TraineeClient().GetAsync($"/api/v1/collections/{c.Id}/items/{item}/audio");
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
            Assert.Contains("deleted on", await gone.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Sharing_and_unsharing_are_audited_and_bad_clips_are_refused()
    {
        var (c, call, _, _) = await SharedClipAsync();
        Assert.Equal("Share_NoUser", (await Service.ShareAsync(c.Id, "nikt@example.com", true, Owner, QualityApp.ManagerActor))!.Key);
        Assert.Null(await Service.ShareAsync(c.Id, Trainee, false, Owner, QualityApp.ManagerActor));
        Assert.Equal(HttpStatusCode.NotFound, (await TraineeClient().GetAsync($"/api/v1/collections/{c.Id}/items/1/audio")).StatusCode);
        Assert.Single(await app.AuditAsync(AuditActions.CollectionShared));
        Assert.Single(await app.AuditAsync(AuditActions.CollectionUnshared));

        Assert.Equal("Clip_Range", (await Service.AddAsync(c.Id, call.Id, 5_000, 25_000, null, Owner, QualityApp.ManagerActor))!.Key);
        Assert.Equal("Clip_Both", (await Service.AddAsync(c.Id, call.Id, 5_000, null, null, Owner, QualityApp.ManagerActor))!.Key);
        // Another manager cannot add to someone else's collection, nor a team manager a call outside their team.
        Assert.Equal("Collection_NotFound", (await Service.AddAsync(c.Id, call.Id, null, null, null, QualityApp.Qm(QualityApp.SecondManager), QualityApp.ManagerActor))!.Key);
        Assert.Equal(2, await app.WithDbAsync(db => db.CollectionItems.CountAsync()));
        var (agentCollection, refused) = await Service.CreateAsync("moja", null, TestAuth.Principal(Trainee, Roles.Agent, "Sprzedaż"), new AuditActor(Trainee, null));
        Assert.Null(agentCollection);
        Assert.Equal("Collection_NotAllowed", refused!.Key);
    }
}
