using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Tests.Features.Recordings;

/// <summary>Rows stored before the outside-line prefix "0" was configured are rewritten, audited, and resumed after a stop.</summary>
public sealed class NumberRenormalizationJobTests : IAsyncLifetime
{
    private sealed class OutsideLineApp : AppFactory
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["PhoneNumbers:OutsideLinePrefixes:0"] = "0", ["PhoneNumbers:OutsideLinePrefixes:1"] = "9",
        };
    }

    private readonly OutsideLineApp app = new();

    /// <summary>(as the PBX wrote it, digits as stored by the old rules, digits now): four stale rows among right ones.</summary>
    private static readonly (string Written, string Stale, string Right)[] Callers =
    [
        ("0601234567", "0601234567", "48601234567"),
        ("48500100200", "48500100200", "48500100200"),
        ("9 0048601234567", "90048601234567", "48601234567"),
        ("201", "201", "201"),
        ("0 22 765 43 21", "0227654321", "48227654321"),
        ("+48 601-234-567", "48601234567", "48601234567"),
        ("0791000111", "0791000111", "48791000111"),
    ];

    private List<Recording> rows = [];

    public async Task InitializeAsync()
    {
        await app.InitializeAsync();
        rows = Callers.Select((c, i) =>
        {
            var r = TestData.Recording(startedAt: new DateTime(2026, 11, 2, 8, 0, 0, DateTimeKind.Utc).AddHours(i), caller: c.Written, callee: "202");
            r.CallerDigits = c.Stale;
            return r;
        }).ToList();
        await app.WithDbAsync(async db => { db.Recordings.AddRange(rows); await db.SaveChangesAsync(); });
    }

    Task IAsyncLifetime.DisposeAsync() => ((IAsyncLifetime)app).DisposeAsync();

    private NumberRenormalizationJob Job => app.Services.GetRequiredService<NumberRenormalizationJob>();

    private Task<List<AuditEntry>> EntriesAsync() => app.WithDbAsync(db =>
        db.AuditLog.AsNoTracking().Where(a => a.Action == AuditActions.NumbersRenormalize).OrderBy(a => a.Id).ToListAsync());

    private Task<List<string>> StoredAsync() => app.WithDbAsync(db => db.Recordings.OrderBy(r => r.Id).Select(r => r.CallerDigits).ToListAsync());

    [Fact]
    public async Task A_run_stopped_after_its_first_batch_resumes_and_every_row_is_rewritten_exactly_once()
    {
        Assert.True(await Job.IsDueAsync());
        using var stop = new CancellationTokenSource();
        var seen = new List<WalkProgress>();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Job.RenormalizeAsync(batchSize: 2, fromStart: false, new Reporter(p => { seen.Add(p); stop.Cancel(); }), stop.Token));

        // Only the first batch (two rows, one of them stale) was rewritten and audited.
        Assert.Equal(new WalkProgress(rows[1].Id, 2, 1, false), Assert.Single(seen));
        Assert.Equal(["48601234567", "48500100200", "90048601234567"], (await StoredAsync()).Take(3));
        var first = Assert.Single(await EntriesAsync());
        Assert.Equal(JsonSerializer.Serialize(new[] { rows[0].Id }), JsonDocument.Parse(first.Details!).RootElement.GetProperty("recordings").GetRawText());
        Assert.True(await Job.IsDueAsync());

        var result = await Job.RenormalizeAsync(batchSize: 2, fromStart: false, progress: null, CancellationToken.None);

        Assert.Equal((rows[^1].Id, 5L, 3L, true), (result.LastId, result.Walked, result.Changed, result.Done));
        Assert.Equal(Callers.Select(c => c.Right), await StoredAsync());
        var entries = await EntriesAsync();
        var rewritten = entries.Select(e => JsonDocument.Parse(e.Details!).RootElement).Where(d => d.TryGetProperty("recordings", out _))
            .SelectMany(d => d.GetProperty("recordings").EnumerateArray().Select(id => id.GetInt64())).ToList();
        Assert.Equal(new[] { 0, 2, 4, 6 }.Select(i => rows[i].Id), rewritten);
        var last = JsonDocument.Parse(entries[^1].Details!).RootElement;
        Assert.Equal((true, rows[1].Id, "PL", "0,9"), (last.GetProperty("done").GetBoolean(), last.GetProperty("resumedAfter").GetInt64(),
            last.GetProperty("region").GetString(), string.Join(',', last.GetProperty("outsideLinePrefixes").EnumerateArray().Select(p => p.GetString()))));
        Assert.All(entries, e => Assert.Equal((NumberRenormalizationJob.Actor, AuditOutcomes.Success), (e.Actor, e.Outcome)));
        Assert.Null(await app.Services.GetRequiredService<AuditLog>().VerifyAsync());

        // Nothing left to do with these settings; other settings start again from the first row.
        Assert.False(await Job.IsDueAsync());
        Assert.Equal(0, (await Job.RenormalizeAsync(2, fromStart: false, null, CancellationToken.None)).Walked);
        Assert.Equal(entries.Count, (await EntriesAsync()).Count);
        var other = new NumberRenormalizationJob(app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>(), TestData.Numbers,
            app.Services.GetRequiredService<AuditLog>(), NullLogger<NumberRenormalizationJob>.Instance);
        Assert.True(await other.IsDueAsync());
    }

    [Fact]
    public async Task The_number_index_follows_the_rewritten_digits()
    {
        await Job.RunAsync(CancellationToken.None);

        // FTS5 checks its index against the table, and the search finds the rows by a fragment of their new digits.
        await app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("INSERT INTO RecordingNumbers(RecordingNumbers) VALUES ('integrity-check')"));
        var found = await app.ClientAs(Roles.ComplaintHandler).GetFromJsonAsync<JsonElement>("/api/v1/recordings?number=" + Uri.EscapeDataString("48 601 234") + "&pageSize=200");
        Assert.Equal(new[] { 0, 2, 5 }.Select(i => rows[i].Id).Order(), found.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()).Order());
        Assert.Single((await app.ClientAs(Roles.ComplaintHandler).GetFromJsonAsync<JsonElement>("/api/v1/recordings?number=48227")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task The_command_runs_it_in_the_foreground_and_says_what_it_did()
    {
        var (exit, output) = await app.RunCliAsync(NumbersCli.RenormalizeAsync, "--batch", "3");

        Assert.Equal(0, exit);
        Assert.Contains("region PL, outside-line prefixes [0, 9]", output);
        Assert.Contains("walked 7 recordings, rewrote the numbers of 4", output);
        Assert.Equal(Callers.Select(c => c.Right), await StoredAsync());
        Assert.Contains("Nothing to do", (await app.RunCliAsync(NumbersCli.RenormalizeAsync)).Output);
    }

    private sealed class Reporter(Action<WalkProgress> report) : IProgress<WalkProgress>
    {
        public void Report(WalkProgress value) => report(value);
    }
}
