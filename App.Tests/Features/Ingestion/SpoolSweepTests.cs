using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Features.Ingestion;

namespace NagrywanieRozmow.Tests.Features.Ingestion;

public sealed class SpoolSweepTests : IAsyncLifetime
{
    private readonly IngestionApp app = new(watched: true, settleSeconds: 10);

    public Task InitializeAsync() => app.InitializeAsync();
    public async Task DisposeAsync() => await ((IAsyncLifetime)app).DisposeAsync();

    private async Task SweepAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SpoolSweepJob>().RunFullAsync(CancellationToken.None);
    }

    private string Drop(string name, double seconds, TimeSpan age)
    {
        var path = Path.Combine(app.Spool, "2026/11/16", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, TestData.Wav(seconds));
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);
        return path;
    }

    [Fact]
    public async Task A_settled_file_is_taken_once_and_a_file_still_being_written_waits_for_the_next_pass()
    {
        Drop("in-201-48601234567-20261116-091502-1794816902.2.wav", 3, TimeSpan.FromMinutes(1));
        var young = Drop("in-202-48601234568-20261116-091503-1794816903.3.wav", 2, TimeSpan.Zero);

        // The sweep queues one Hangfire job per file; the app's own Hangfire server runs them.
        await SweepAsync();
        await IngestionApp.EventuallyAsync(async () => await app.WithDbAsync(db => db.Recordings.AnyAsync()), "the settled file is in");
        await SweepAsync();
        await app.DrainedAsync();
        Assert.Equal(["1794816902.2"], await app.WithDbAsync(db => db.Recordings.Select(r => r.CallId).ToListAsync()));

        File.SetLastWriteTimeUtc(young, DateTime.UtcNow.AddMinutes(-1));
        await SweepAsync();
        await SweepAsync();
        await IngestionApp.EventuallyAsync(async () => await app.WithDbAsync(db => db.Recordings.CountAsync()) == 2, "the second file is in");
        await SweepAsync();
        await app.DrainedAsync();
        Assert.Equal(2, await app.WithDbAsync(db => db.Recordings.CountAsync()));
        Assert.Equal(2, await app.WithDbAsync(db => db.IngestedFiles.CountAsync()));
    }

    [Fact]
    public async Task Spool_jobs_run_on_this_machines_queue_so_another_instance_never_takes_a_file_it_cannot_see()
    {
        Drop("in-201-48601234567-20261116-091502-1794816902.2.wav", 3, TimeSpan.FromMinutes(1));
        await SweepAsync();
        await IngestionApp.EventuallyAsync(async () => await app.WithDbAsync(db => db.Recordings.AnyAsync()), "the file is in");

        var monitoring = app.Services.GetRequiredService<Hangfire.JobStorage>().GetMonitoringApi();
        List<Hangfire.Common.Job> FileJobs() => monitoring.SucceededJobs(0, 100).Select(j => j.Value.Job).Where(j => j.Type == typeof(IngestFileJob)).ToList();
        // Hangfire marks the job succeeded a moment after its recording is committed.
        await IngestionApp.EventuallyAsync(() => Task.FromResult(FileJobs().Count > 0), "the file's job is recorded as succeeded");
        var fileJobs = FileJobs();
        Assert.All(fileJobs, j => Assert.Equal(SpoolSweepJob.Queue, j.Queue));
        Assert.StartsWith("spool_", SpoolSweepJob.Queue);
        Assert.Equal("spool_pbx_01_corp_local", NagrywanieRozmow.Shared.Jobs.JobQueues.SpoolFor("PBX-01.Corp.local"));
    }

    [Fact]
    public async Task The_jobs_dashboard_is_for_administrators_only()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.AnonymousClient().GetAsync("/hangfire")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientAs(Roles.QualityManager).GetAsync("/hangfire")).StatusCode);
        var admin = await app.ClientAs(Roles.Administrator).GetAsync("/hangfire/recurring");
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Contains(SpoolSweepJob.Id, await admin.Content.ReadAsStringAsync());
    }
}

/// <summary>A spool the watcher cannot see (NFS): the minute sweep looks at today's and yesterday's folders only.</summary>
public sealed class UnwatchedSpoolTests : IAsyncLifetime
{
    private readonly IngestionApp app = new(swept: true);

    public Task InitializeAsync() => app.InitializeAsync();
    public async Task DisposeAsync() => await ((IAsyncLifetime)app).DisposeAsync();

    [Fact]
    public async Task The_minute_sweep_takes_todays_files_and_the_full_sweep_the_rest()
    {
        // Let the start-up full sweep of the empty spool finish first.
        await IngestionApp.EventuallyAsync(() => Task.FromResult(app.Get<IngestionQueue>().LastSweepAt is not null), "the start-up sweep ran");
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Warsaw");
        var today = TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow, zone);
        var epoch = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        app.Drop($"in-201-48601234567-{today:yyyyMMdd-HHmmss}-{epoch}.1.wav", TestData.Wav(1), today.ToString("yyyy/MM/dd", System.Globalization.CultureInfo.InvariantCulture));
        app.Drop("in-201-48601234567-20260316-091502-1773648902.2.wav", TestData.Wav(1), "2026/03/16");

        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<SpoolSweepJob>().RunAsync(CancellationToken.None);
        await IngestionApp.EventuallyAsync(async () => await app.WithDbAsync(db => db.Recordings.AnyAsync()), "today's file is in");
        await app.DrainedAsync();
        Assert.Equal([$"{epoch}.1"], await app.WithDbAsync(db => db.Recordings.Select(r => r.CallId).ToListAsync()));

        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<SpoolSweepJob>().RunFullAsync(CancellationToken.None);
        await IngestionApp.EventuallyAsync(async () => await app.WithDbAsync(db => db.Recordings.CountAsync()) == 2, "the March file is in");
    }
}
