using System.Net.Http.Json;
using System.Text.Json;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Access;
using NagrywanieRozmow.Features.Demo;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Features.Retention;
using NagrywanieRozmow.Tests.Fixtures;

namespace NagrywanieRozmow.Tests.Data;

/// <summary>
/// The whole app on PostgreSQL next to the same app on SQLite, both seeded by `seed-demo --audio none` at the same fixed
/// time: the rows, the searches and the orders must come out the same.
/// </summary>
public sealed class PostgreSqlAppTests(PostgreSqlAppTests.SeededApps apps) : IClassFixture<PostgreSqlAppTests.SeededApps>
{
    private const int Rows = 3000;
    private readonly FixedClockApp sqlite = apps.Sqlite, postgres = apps.Postgres;
    private readonly List<Recording> seeded = apps.Seeded;

    /// <summary>Seeded once for the class: a cluster of its own, the two apps, the same 3 000 demo calls in each.</summary>
    public sealed class SeededApps : IAsyncLifetime
    {
        public PostgreSqlServer Server { get; } = new();
        public FixedClockApp Sqlite { get; private set; } = null!;
        public FixedClockApp Postgres { get; private set; } = null!;
        public List<Recording> Seeded { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            await Server.InitializeAsync();
            Sqlite = new FixedClockApp();
            Postgres = new FixedClockApp(DatabaseProvider.PostgreSql, await Server.CreateDatabaseAsync());
            await Sqlite.InitializeAsync();
            await Postgres.InitializeAsync();
            foreach (var app in new[] { Sqlite, Postgres })
            {
                var (exit, output) = await app.RunCliAsync(SeedDemoCli.RunAsync, "--recordings", $"{Rows}", "--audio", "none", "--days", "30");
                Assert.True(exit == 0, output);
            }
            Seeded = await Sqlite.WithDbAsync(db => db.Recordings.AsNoTracking().OrderBy(r => r.Id).ToListAsync());
        }

        public async Task DisposeAsync()
        {
            if (Sqlite is not null) await ((IAsyncLifetime)Sqlite).DisposeAsync();
            if (Postgres is not null) await ((IAsyncLifetime)Postgres).DisposeAsync();
            await Server.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_bulk_seeder_writes_the_same_rows_as_on_sqlite_and_leaves_the_indexes_as_migrated()
    {
        Assert.Equal("Npgsql.EntityFrameworkCore.PostgreSQL", await postgres.WithDbAsync(db => Task.FromResult(db.Database.ProviderName)));
        var copied = await postgres.WithDbAsync(db => db.Recordings.AsNoTracking().OrderBy(r => r.Id).ToListAsync());
        Assert.Equal(Rows, copied.Count);
        Assert.Equal(seeded.Select(Comparable), copied.Select(Comparable));
        Assert.All(copied, r => Assert.Equal(DateTimeKind.Utc, r.StartedAt.Kind));
        // PostgreSQL keeps microseconds: anything finer is all that may differ.
        Assert.All(seeded.Zip(copied), p => Assert.InRange((p.First.IngestedAt - p.Second.IngestedAt).Ticks, 0, 9));

        // Every index the migration made is back, built again after the COPY (the same definitions, the same names).
        var fresh = new FixedClockApp(DatabaseProvider.PostgreSql, await apps.Server.CreateDatabaseAsync());
        await fresh.InitializeAsync();
        try
        {
            const string indexes = "SELECT indexdef AS \"Value\" FROM pg_indexes WHERE tablename = 'Recordings' ORDER BY indexname";
            var migrated = await fresh.WithDbAsync(db => db.Database.SqlQueryRaw<string>(indexes).ToListAsync());
            Assert.Equal(15, migrated.Count);
            Assert.Equal(migrated, await postgres.WithDbAsync(db => db.Database.SqlQueryRaw<string>(indexes).ToListAsync()));

            // A second load appends after the first (new call ids, new ids).
            foreach (var _ in new[] { 1, 2 })
                Assert.Equal(0, (await fresh.RunCliAsync(SeedDemoCli.RunAsync, "--recordings", "50", "--audio", "none")).Exit);
            Assert.Equal(100, await fresh.WithDbAsync(db => db.Recordings.Select(r => r.CallId).Distinct().CountAsync()));
        }
        finally
        {
            await ((IAsyncLifetime)fresh).DisposeAsync();
        }
    }

    public static TheoryData<int, bool> Fragments => new() { { 3, false }, { 3, true }, { 5, false }, { 5, true }, { 9, false }, { 9, true } };

    [Theory]
    [MemberData(nameof(Fragments))]
    public async Task A_number_fragment_finds_the_same_calls_in_the_same_order_as_on_sqlite(int length, bool common)
    {
        var fragment = PickFragment(length, common);
        var expected = seeded.Where(r => r.CallerDigits.Contains(fragment) || r.CalleeDigits.Contains(fragment)).ToList();
        // A 9-digit fragment is one customer's number: common means a customer who called several times.
        Assert.True(common ? expected.Count >= (length == 9 ? 3 : 20) : expected.Count is >= 1 and <= 3, $"{fragment}: {expected.Count} matches");

        foreach (var sort in new[] { "-startedAt", "duration" })
        {
            var onSqlite = await SearchAsync(sqlite, $"number={fragment}&sort={sort}&pageSize=200");
            var onPostgres = await SearchAsync(postgres, $"number={fragment}&sort={sort}&pageSize=200");
            Assert.Equal(Math.Min(expected.Count, 200), onPostgres.CallIds.Count);
            Assert.Equal(onSqlite.CallIds, onPostgres.CallIds);
            Assert.Equal(onSqlite.Total, onPostgres.Total);
            Assert.Equal(expected.Count, onPostgres.Total);
        }
        var newest = expected.OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id).Take(200).Select(r => r.CallId);
        Assert.Equal(newest, (await SearchAsync(postgres, $"number={fragment}&pageSize=200")).CallIds);
    }

    [Theory]
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
        string? cursorSqlite = null, cursorPostgres = null;
        for (var page = 0; page < 3; page++)
        {
            var onSqlite = await SearchAsync(sqlite, $"sort={sort}&pageSize=100" + (cursorSqlite is null ? "" : $"&cursor={Uri.EscapeDataString(cursorSqlite)}"));
            var onPostgres = await SearchAsync(postgres, $"sort={sort}&pageSize=100" + (cursorPostgres is null ? "" : $"&cursor={Uri.EscapeDataString(cursorPostgres)}"));
            Assert.Equal(100, onPostgres.CallIds.Count);
            Assert.Equal(onSqlite.CallIds, onPostgres.CallIds);
            (cursorSqlite, cursorPostgres) = (onSqlite.Cursor, onPostgres.Cursor);
            Assert.NotNull(cursorPostgres);
        }
    }

    [Fact]
    public async Task Hangfire_keeps_recurring_jobs_in_the_postgres_database()
    {
        Assert.IsType<PostgreSqlStorage>(postgres.Services.GetRequiredService<JobStorage>());
        using (var connection = postgres.Services.GetRequiredService<JobStorage>().GetConnection())
            Assert.Single(connection.GetRecurringJobs([RetentionPurgeJob.Id]));
        // In the database itself, where another instance (or this one after a restart) finds it.
        var stored = await postgres.WithDbAsync(db => db.Database.SqlQueryRaw<string>(
            "SELECT value AS \"Value\" FROM hangfire.set WHERE key = 'recurring-jobs'").ToListAsync());
        Assert.Contains(RetentionPurgeJob.Id, stored);

        Assert.IsNotType<PostgreSqlStorage>(sqlite.Services.GetRequiredService<JobStorage>());
    }

    /// <summary>
    /// The fragment search must reach the GIN trigram index (LIKE), not read every row (strpos, which Contains becomes).
    /// </summary>
    [Fact]
    public async Task A_rare_fragment_is_looked_up_in_the_trigram_index()
    {
        var fragment = PickFragment(5, common: false);
        var plan = await postgres.WithDbAsync(async db =>
        {
            await db.Database.ExecuteSqlRawAsync("ANALYZE \"Recordings\"");
            await using var command = RecordingSearch.Filter(db, new RecordingFilter { Number = fragment }).Select(r => r.Id).CreateDbCommand();
            command.CommandText = "EXPLAIN " + command.CommandText;
            await db.Database.OpenConnectionAsync();
            var lines = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) lines.Add(reader.GetString(0));
            return string.Join('\n', lines);
        });
        Assert.Contains("Bitmap Index Scan on \"IX_Recordings_CallerDigits_Trigram\"", plan);
        Assert.Contains("Bitmap Index Scan on \"IX_Recordings_CalleeDigits_Trigram\"", plan);
    }

    /// <summary>A fragment of outside callers' digits with few (rare) or many (common) matches among the seeded rows.</summary>
    private string PickFragment(int length, bool common)
    {
        // A typed "00…" is read as an international prefix and dropped, so such a fragment would ask for something else.
        var counts = seeded.Where(r => r.CallerDigits.Length >= 9)
            .SelectMany(r => Enumerable.Range(0, r.CallerDigits.Length - length + 1).Select(i => r.CallerDigits.Substring(i, length)))
            .Where(f => !f.StartsWith("00", StringComparison.Ordinal)).Distinct()
            .Select(f => (Fragment: f, Count: seeded.Count(r => r.CallerDigits.Contains(f) || r.CalleeDigits.Contains(f))))
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
