using System.Diagnostics;
using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Tests.Features.Ingestion;

namespace NagrywanieRozmow.Tests.Data;

/// <summary>
/// Another process holding the SQLite database's write lock for a while (a `retention run`, a backup tool, an admin's
/// sqlite3 shell): the panel's reads go on, its writes wait for the lock instead of failing, and nothing is lost.
/// </summary>
public sealed class DatabaseLockedTests : IAsyncLifetime
{
    private readonly IngestionApp app = new();

    public Task InitializeAsync() => app.InitializeAsync();
    public async Task DisposeAsync() => await ((IAsyncLifetime)app).DisposeAsync();

    [Fact]
    public async Task A_database_locked_for_seconds_slows_searches_listens_and_ingestion_but_breaks_none()
    {
        var existing = await app.IngestAsync(app.Drop("in-201-48601234567-20261116-091502-1794816902.2.wav", TestData.Wav(2)));
        var client = app.ClientAs(Roles.ComplaintHandler);
        var arriving = app.Drop("in-202-48601234568-20261116-101502-1794816999.3.wav", TestData.Wav(2));

        var held = TimeSpan.FromSeconds(3);
        await using var other = new SqliteConnection($"Data Source={app.DatabasePath};Pooling=False");
        await other.OpenAsync();
        await using (var begin = other.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE";
            await begin.ExecuteNonQueryAsync();
        }
        var watch = Stopwatch.StartNew();
        var release = Task.Delay(held).ContinueWith(async _ =>
        {
            await using var commit = other.CreateCommand();
            commit.CommandText = "COMMIT";
            await commit.ExecuteNonQueryAsync();
        }).Unwrap();

        // Each of these writes the audit log (or the recordings) and so has to wait for the lock.
        var search = client.GetAsync("/api/v1/recordings?number=601234");
        var listen = client.GetAsync($"/api/v1/recordings/{existing.RecordingId}/audio");
        var ingest = app.IngestAsync(arriving);
        await Task.WhenAll(search, listen, ingest, release);

        Assert.Equal(HttpStatusCode.OK, (await search).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await listen).StatusCode);
        Assert.Equal(NagrywanieRozmow.Features.Ingestion.IngestOutcome.Accepted, (await ingest).Outcome);
        Assert.True(watch.Elapsed >= held - TimeSpan.FromMilliseconds(300), $"answered in {watch.Elapsed.TotalSeconds:0.0} s: the lock was not in the way");
        Assert.Equal(2, await app.WithDbAsync(db => db.Recordings.CountAsync()));
        Assert.Equal(2, await app.WithDbAsync(db => db.AuditLog.CountAsync(a => a.Action == AuditActions.Ingest)));
    }
}
