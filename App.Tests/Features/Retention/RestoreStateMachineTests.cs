using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Features.Retention;
using NagrywanieRozmow.Shared.Storage;

namespace NagrywanieRozmow.Tests.Features.Retention;

/// <summary>
/// An Archive tier that takes its time, as Azure does (up to 15 hours) and Azurite does not: a fake that rehydrates only
/// when the test says so, behind the real restore state machine, audit and playback.
/// </summary>
public sealed class SlowArchive : IRecordingArchive
{
    private readonly Dictionary<string, ArchivedFileState> states = [];
    public int RestoresStarted { get; private set; }

    public ArchiveKind Kind => ArchiveKind.Archive;

    /// <summary>Originals only: these WAVs need no browser rendition, so none is stored.</summary>
    public Task<ArchiveCopy> CopyToArchiveAsync(string key, string? expectedSha256, CancellationToken ct)
    {
        if (key.StartsWith("playable/", StringComparison.Ordinal)) return Task.FromResult(ArchiveCopy.Missing);
        lock (states) states[key] = ArchivedFileState.Offline;
        return Task.FromResult(ArchiveCopy.Copied);
    }

    public Task RemoveHotCopyAsync(string key, CancellationToken ct) => Task.CompletedTask;

    public Task<ArchivedFileState> StateAsync(string key, CancellationToken ct)
    {
        lock (states) return Task.FromResult(states.GetValueOrDefault(key, ArchivedFileState.Missing));
    }

    public Task StartRestoreAsync(string key, CancellationToken ct)
    {
        lock (states)
        {
            if (states.GetValueOrDefault(key) != ArchivedFileState.Offline) return Task.CompletedTask;
            states[key] = ArchivedFileState.Rehydrating;
            RestoresStarted++;
        }
        return Task.CompletedTask;
    }

    public Task ReturnToArchiveAsync(string key, CancellationToken ct)
    {
        lock (states) if (states.GetValueOrDefault(key) == ArchivedFileState.Readable) states[key] = ArchivedFileState.Offline;
        return Task.CompletedTask;
    }

    /// <summary>The hours have passed: every rehydrating file is readable.</summary>
    public void FinishRehydration()
    {
        lock (states) foreach (var key in states.Where(s => s.Value == ArchivedFileState.Rehydrating).Select(s => s.Key).ToList()) states[key] = ArchivedFileState.Readable;
    }
}

public sealed class RestoreStateMachineTests : IAsyncLifetime
{
    private sealed class SlowArchiveApp : ArchiveApp
    {
        public SlowArchive Slow { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<IRecordingArchive>(Slow));
        }
    }

    private readonly SlowArchiveApp app = new();

    public Task InitializeAsync() => app.InitializeAsync();
    Task IAsyncLifetime.DisposeAsync() => ((IAsyncLifetime)app).DisposeAsync();

    [Fact]
    public async Task A_restore_stays_under_way_until_the_store_says_readable_and_a_second_request_joins_it()
    {
        var r = await app.AddAsync(daysOld: 40);
        await app.ArchiveJob().ArchiveAsync();
        var restores = app.Services.GetRequiredService<ArchiveRestores>();
        var first = TestAuth.Principal("a@example.com", Roles.ComplaintHandler);
        var second = TestAuth.Principal("b@example.com", Roles.QualityManager);
        var client = app.ClientAs(Roles.ComplaintHandler, email: "a@example.com");

        Assert.Equal(RestoreRequestOutcome.Requested, await restores.RequestAsync(r.Id, first, new AuditActor("a@example.com", null)));
        Assert.Equal(RestoreRequestOutcome.AlreadyUnderWay, await restores.RequestAsync(r.Id, second, new AuditActor("b@example.com", null)));
        Assert.Equal(1, app.Slow.RestoresStarted);

        // Hours of rehydration: every poll finds it under way; playing says so.
        Assert.Equal(0, await restores.PollAsync());
        Assert.Equal(0, await restores.PollAsync());
        var status = (await restores.StatusAsync(r.Id, first))!;
        Assert.Equal((false, false, ArchivedFileState.Rehydrating), (status.Playable, status.MayRequest, status.File));
        var waiting = await client.GetAsync($"/api/v1/recordings/{r.Id}/audio");
        Assert.Equal(HttpStatusCode.Conflict, waiting.StatusCode);
        Assert.Contains("Rehydrating", await waiting.Content.ReadAsStringAsync());

        var api = await client.GetFromJsonAsync<JsonElement>($"/api/v1/recordings/{r.Id}/archive");
        Assert.Equal(("Archive", "Archive", "restoring", false), (api.GetProperty("tier").GetString(), api.GetProperty("archive").GetString(),
            api.GetProperty("state").GetString(), api.GetProperty("playable").GetBoolean()));

        app.Slow.FinishRehydration();
        Assert.Equal(1, await restores.PollAsync());
        Assert.Equal(0, await restores.PollAsync());

        var rows = await app.WithDbAsync(db => db.Set<RecordingRestore>().OrderBy(x => x.Id).ToListAsync());
        Assert.All(rows, x => Assert.Equal(RestoreState.Ready, x.State));
        Assert.Equal(["a@example.com", "b@example.com"], rows.Select(x => x.RequestedBy));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/recordings/{r.Id}/audio")).StatusCode);
        Assert.Equal("restored", (await client.GetFromJsonAsync<JsonElement>($"/api/v1/recordings/{r.Id}/archive")).GetProperty("state").GetString());
        Assert.Equal(2, await app.WithDbAsync(db => db.AuditLog.CountAsync(a => a.Action == AuditActions.RestoreRequested && a.RecordingId == r.Id)));
        Assert.Equal(1, await app.WithDbAsync(db => db.AuditLog.CountAsync(a => a.Action == AuditActions.RestoreReady && a.RecordingId == r.Id)));
    }

    [Fact]
    public async Task Over_the_API_a_restore_is_requested_with_202_and_a_recording_out_of_scope_is_404()
    {
        var r = await app.AddAsync(daysOld: 40, team: "Reklamacje");
        await app.ArchiveJob().ArchiveAsync();
        var key = await app.KeyClientAsync(ApiKeyScopes.Read);

        var requested = await key.PostAsync($"/api/v1/recordings/{r.Id}/restore", null);
        var again = await key.PostAsync($"/api/v1/recordings/{r.Id}/restore", null);
        var otherTeam = await app.ClientAs(Roles.QualityManager, team: "Sprzedaż").PostAsync($"/api/v1/recordings/{r.Id}/restore", null);

        Assert.Equal(HttpStatusCode.Accepted, requested.StatusCode);
        Assert.Equal("restoring", (await requested.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherTeam.StatusCode);
        Assert.Equal(1, app.Slow.RestoresStarted);
        Assert.Equal(2, await app.WithDbAsync(db => db.AuditLog.CountAsync(a => a.Action == AuditActions.RestoreRequested && a.RecordingId == r.Id)));
    }

    [Fact]
    public async Task A_request_whose_rehydration_never_started_is_started_by_the_next_poll()
    {
        var r = await app.AddAsync(daysOld: 40);
        await app.ArchiveJob().ArchiveAsync();
        // As if the process stopped right after the request was written and audited.
        await app.WithDbAsync(async db =>
        {
            db.Add(new RecordingRestore { RecordingId = r.Id, RequestedBy = "a@example.com", RequestedAt = ArchiveApp.Now, State = RestoreState.Rehydrating });
            await db.SaveChangesAsync();
        });

        await app.Services.GetRequiredService<ArchiveRestores>().PollAsync();

        Assert.Equal(1, app.Slow.RestoresStarted);
        Assert.Equal(ArchivedFileState.Rehydrating, await app.Slow.StateAsync(r.StorageKey, CancellationToken.None));
    }

    [Fact]
    public async Task A_hot_or_a_directly_playable_recording_needs_no_restore()
    {
        var r = await app.AddAsync(daysOld: 5);
        var user = TestAuth.Principal("a@example.com", Roles.ComplaintHandler);
        Assert.Equal(RestoreRequestOutcome.NotNeeded, await app.Services.GetRequiredService<ArchiveRestores>().RequestAsync(r.Id, user, new AuditActor("a@example.com", null)));
        Assert.Equal(RestoreRequestOutcome.NotFound, await app.Services.GetRequiredService<ArchiveRestores>().RequestAsync(r.Id + 1000, user, new AuditActor("a@example.com", null)));
        Assert.Equal(0, await app.WithDbAsync(db => db.AuditLog.CountAsync(a => a.Action == AuditActions.RestoreRequested)));
    }
}
