using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Demo;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Tests.Data;

/// <summary>
/// The whole app on a server database next to the same app on SQLite, both seeded by `seed-demo --audio none` at the same
/// fixed time: the rows, the searches and the orders must come out the same. Run for PostgreSQL (always: the tests start a
/// cluster of their own) and SQL Server (when <c>TEST_SQLSERVER</c> holds a connection string; reported skipped otherwise).
/// </summary>
public abstract class ServerDatabaseAppTests(ServerDatabaseApps apps)
{
    protected const int Rows = ServerDatabaseAppTestsRows.Rows;
    protected FixedClockApp Sqlite => apps.Sqlite;
    protected FixedClockApp Server => apps.Server;
    protected List<Recording> Seeded => apps.Seeded;
    protected ServerDatabaseApps Fixture => apps;

    /// <summary>Skips the test, saying why, when the server cannot be had here (SQL Server without TEST_SQLSERVER).</summary>
    protected void RequireServer() => Skip.If(apps.Unavailable is not null, apps.Unavailable);

    [SkippableFact]
    public async Task The_bulk_seeder_writes_the_same_rows_as_on_sqlite()
    {
        RequireServer();
        var copied = await Server.WithDbAsync(db => db.Recordings.AsNoTracking().OrderBy(r => r.Id).ToListAsync());
        Assert.Equal(Rows, copied.Count);
        Assert.Equal(Seeded.Select(Comparable), copied.Select(Comparable));
        Assert.All(copied, r => Assert.Equal(DateTimeKind.Utc, r.StartedAt.Kind));
        // PostgreSQL keeps microseconds: anything finer is all that may differ.
        Assert.All(Seeded.Zip(copied), p => Assert.InRange((p.First.IngestedAt - p.Second.IngestedAt).Ticks, 0, 9));
    }

    public static TheoryData<int, bool> Fragments => new() { { 3, false }, { 3, true }, { 5, false }, { 5, true }, { 9, false }, { 9, true } };

    [SkippableTheory]
    [MemberData(nameof(Fragments))]
    public async Task A_number_fragment_finds_the_same_calls_in_the_same_order_as_on_sqlite(int length, bool common)
    {
        RequireServer();
        var fragment = PickFragment(length, common);
        var expected = Seeded.Where(r => r.CallerDigits.Contains(fragment) || r.CalleeDigits.Contains(fragment)).ToList();
        // A 9-digit fragment is one customer's number: common means a customer who called several times.
        Assert.True(common ? expected.Count >= (length == 9 ? 3 : 20) : expected.Count is >= 1 and <= 3, $"{fragment}: {expected.Count} matches");

        foreach (var sort in new[] { "-startedAt", "duration" })
        {
            var onSqlite = await SearchAsync(Sqlite, $"number={fragment}&sort={sort}&pageSize=200");
            var onServer = await SearchAsync(Server, $"number={fragment}&sort={sort}&pageSize=200");
            Assert.Equal(Math.Min(expected.Count, 200), onServer.CallIds.Count);
            Assert.Equal(onSqlite.CallIds, onServer.CallIds);
            Assert.Equal(onSqlite.Total, onServer.Total);
            Assert.Equal(expected.Count, onServer.Total);
        }
        var newest = expected.OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id).Take(200).Select(r => r.CallId);
        Assert.Equal(newest, (await SearchAsync(Server, $"number={fragment}&pageSize=200")).CallIds);
    }

    [SkippableTheory]
    [InlineData("-startedAt")]
    [InlineData("startedAt")]
    [InlineData("duration")]
    [InlineData("-duration")]
    [InlineData("caller")]
    [InlineData("-callee")]
    [InlineData("extension")]
    [InlineData("-extension")]
    [InlineData("size")]
    public async Task Every_order_lists_the_same_pages_as_on_sqlite_following_the_cursor(string sort)
    {
        RequireServer();
        string? cursorSqlite = null, cursorServer = null;
        for (var page = 0; page < 3; page++)
        {
            var onSqlite = await SearchAsync(Sqlite, $"sort={sort}&pageSize=100" + (cursorSqlite is null ? "" : $"&cursor={Uri.EscapeDataString(cursorSqlite)}"));
            var onServer = await SearchAsync(Server, $"sort={sort}&pageSize=100" + (cursorServer is null ? "" : $"&cursor={Uri.EscapeDataString(cursorServer)}"));
            Assert.Equal(100, onServer.CallIds.Count);
            Assert.Equal(onSqlite.CallIds, onServer.CallIds);
            (cursorSqlite, cursorServer) = (onSqlite.Cursor, onServer.Cursor);
            Assert.NotNull(cursorServer);
        }
    }

    /// <summary>A fragment of outside callers' digits with few (rare) or many (common) matches among the seeded rows.</summary>
    protected string PickFragment(int length, bool common)
    {
        // A typed "00…" is read as an international prefix and dropped, so such a fragment would ask for something else.
        var counts = Seeded.Where(r => r.CallerDigits.Length >= 9)
            .SelectMany(r => Enumerable.Range(0, r.CallerDigits.Length - length + 1).Select(i => r.CallerDigits.Substring(i, length)))
            .Where(f => !f.StartsWith("00", StringComparison.Ordinal)).Distinct()
            .Select(f => (Fragment: f, Count: Seeded.Count(r => r.CallerDigits.Contains(f) || r.CalleeDigits.Contains(f))))
            .OrderBy(x => x.Fragment, StringComparer.Ordinal).ToList();
        return common
            ? counts.Where(x => x.Count <= 1500).MaxBy(x => x.Count).Fragment
            : counts.First(x => x.Count is >= 1 and <= 3).Fragment;
    }

    private static async Task<(List<string> CallIds, int Total, string? Cursor)> SearchAsync(AppFactory app, string query)
    {
        var response = await app.ClientAs(Roles.Administrator).GetAsync($"/api/v1/recordings?{query}");
        Assert.True(response.IsSuccessStatusCode, $"{query}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (json.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("callId").GetString()!).ToList(),
            json.GetProperty("total").GetInt32(),
            json.GetProperty("nextCursor").ValueKind == JsonValueKind.Null ? null : json.GetProperty("nextCursor").GetString());
    }

    private static object Comparable(Recording r) => (r.Id, r.CallId, r.LinkedId, r.StartedAt, r.DurationMs, r.CallerNumber, r.CallerDigits, r.CalleeNumber,
        r.CalleeDigits, r.Extension, r.UserName, r.Team, r.Type, r.Queue, r.SizeBytes, r.Format, r.Codec, r.SampleRate, r.Channels, r.Sha256,
        r.StorageKey, r.OriginalFileName, r.LegalHold, r.TypeIsGuess, r.Disposition);
}

/// <summary>The two apps of <see cref="ServerDatabaseAppTests"/>, seeded once per class.</summary>
public abstract class ServerDatabaseApps : IAsyncLifetime
{
    public FixedClockApp Sqlite { get; private set; } = null!;
    public FixedClockApp Server { get; private set; } = null!;
    public List<Recording> Seeded { get; private set; } = null!;

    /// <summary>Why the server database cannot be had here, or null.</summary>
    public string? Unavailable { get; private set; }

    protected abstract DatabaseProvider Provider { get; }

    /// <summary>A new, empty database on the server: its connection string, or null with <see cref="Unavailable"/>'s reason.</summary>
    protected abstract Task<(string? ConnectionString, string? Unavailable)> CreateDatabaseAsync();

    public virtual async Task InitializeAsync()
    {
        var (connectionString, unavailable) = await CreateDatabaseAsync();
        if (connectionString is null)
        {
            Unavailable = unavailable;
            return;
        }
        Sqlite = new FixedClockApp();
        Server = new FixedClockApp(Provider, connectionString);
        await Sqlite.InitializeAsync();
        await Server.InitializeAsync();
        foreach (var app in new[] { Sqlite, Server })
        {
            var (exit, output) = await app.RunCliAsync(SeedDemoCli.RunAsync, "--recordings", $"{ServerDatabaseAppTestsRows.Rows}", "--audio", "none", "--days", "30");
            Assert.True(exit == 0, output);
        }
        Seeded = await Sqlite.WithDbAsync(db => db.Recordings.AsNoTracking().OrderBy(r => r.Id).ToListAsync());
    }

    public virtual async Task DisposeAsync()
    {
        if (Sqlite is not null) await ((IAsyncLifetime)Sqlite).DisposeAsync();
        if (Server is not null) await ((IAsyncLifetime)Server).DisposeAsync();
    }
}

internal static class ServerDatabaseAppTestsRows
{
    public const int Rows = 3000;
}
