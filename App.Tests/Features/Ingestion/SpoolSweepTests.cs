using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Features.Access;
using NagrywanieRozmow.Features.Ingestion;

namespace NagrywanieRozmow.Tests.Features.Ingestion;

public sealed class SpoolSweepTests : IAsyncLifetime
{
    private readonly WatchedSpoolApp app = new();

    public Task InitializeAsync() => app.InitializeAsync();
    public async Task DisposeAsync() => await ((IAsyncLifetime)app).DisposeAsync();

    private async Task SweepAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SpoolSweepJob>().RunAsync(CancellationToken.None);
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
        await Task.Delay(500);
        Assert.Equal(["1794816902.2"], await app.WithDbAsync(db => db.Recordings.Select(r => r.CallId).ToListAsync()));

        File.SetLastWriteTimeUtc(young, DateTime.UtcNow.AddMinutes(-1));
        await SweepAsync();
        await SweepAsync();
        await IngestionApp.EventuallyAsync(async () => await app.WithDbAsync(db => db.Recordings.CountAsync()) == 2, "the second file is in");
        await SweepAsync();
        await Task.Delay(500);
        Assert.Equal(2, await app.WithDbAsync(db => db.Recordings.CountAsync()));
        Assert.Equal(2, await app.WithDbAsync(db => db.IngestedFiles.CountAsync()));
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

    private sealed class WatchedSpoolApp : AppFactory
    {
        public string Spool => Path.Combine(Root, "spool");

        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Ingestion:SpoolPath"] = Spool,
            ["Ingestion:SettleSeconds"] = "10",
            ["Ingestion:QuarantinePath"] = Path.Combine(Root, "quarantine"),
        };

        public override Task InitializeAsync()
        {
            Directory.CreateDirectory(Spool);
            return base.InitializeAsync();
        }
    }
}
