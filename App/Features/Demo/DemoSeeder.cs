using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Access;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Shared.Storage;
using NagrywanieRozmow.Shared.Time;

namespace NagrywanieRozmow.Features.Demo;

/// <summary>Demo users, the phone directory and demo calls, with audio or (for benchmarks) metadata only.</summary>
public sealed class DemoSeeder(
    IServiceScopeFactory scopes, IDbContextFactory<AppDbContext> dbs, IRecordingStore store, DisplayTime time, TimeProvider clock,
    IOptions<DemoOptions> options, ILogger<DemoSeeder> logger)
{
    public static readonly IReadOnlyList<(string Email, string Role, string? Team, string? Extension)> Users =
    [
        ("jakosc@demo.local", Roles.QualityManager, "Reklamacje", null),
        ("reklamacje@demo.local", Roles.ComplaintHandler, null, null),
        ("zgodnosc@demo.local", Roles.Compliance, null, null),
        ("konsultant@demo.local", Roles.Agent, "Reklamacje", "201"),
    ];

    public async Task EnsureUsersAndDirectoryAsync(CancellationToken ct)
    {
        await using (var scope = scopes.CreateAsyncScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
            var o = options.Value;
            var created = new List<string>();
            foreach (var (email, role, team, extension) in Users.Prepend((o.AdminEmail, Roles.Administrator, null, null)))
            {
                if ((await accounts.CreateAsync(email, o.AdminPassword, role, team, extension)).Count == 0) created.Add($"{email} ({role})");
            }
            if (created.Count > 0)
                logger.LogWarning("Demo accounts created, password '{Password}': {Accounts}", o.AdminPassword, string.Join(", ", created));
            await scope.ServiceProvider.GetRequiredService<Quality.Scorecards>().EnsureDemoAsync(new AuditActor("system (demo)", null), ct);
        }
        await using var db = await dbs.CreateDbContextAsync(ct);
        var known = await db.Directory.Select(d => d.Extension).ToListAsync(ct);
        db.Directory.AddRange(DemoCalls.Directory.Where(d => !known.Contains(d.Extension))
            .Select(d => new DirectoryEntry { Extension = d.Extension, DisplayName = d.DisplayName, Team = d.Team }));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Writes each call's audio, then its row (rows in small batches), so an interrupted seed leaves only complete calls.
    /// </summary>
    public async Task<int> SeedWithAudioAsync(int count, int days, int seed, long firstSequence, CancellationToken ct)
    {
        var generator = new DemoCalls(seed, firstSequence);
        var batch = new List<Recording>();
        var written = 0;
        var watch = Stopwatch.StartNew();
        foreach (var call in generator.Generate(count, days, clock.GetUtcNow().UtcDateTime, time.Zone))
        {
            var row = call.Row;
            // One call's audio at a time in memory (a few MB at most): hashed, then stored.
            await using (var audio = new MemoryStream())
            {
                await SyntheticSpeech.WriteAsync(audio, row.DurationMs, call.Encoding, seed ^ (int)row.StartedAt.Ticks, ct);
                row.Sha256 = Convert.ToHexStringLower(SHA256.HashData(audio.GetBuffer().AsSpan(0, (int)audio.Length)));
                row.SizeBytes = audio.Length;
                audio.Position = 0;
                await store.SaveAsync(row.StorageKey, audio, ct);
            }
            batch.Add(row);
            if (batch.Count == 25) written += await SaveAsync(batch, ct);
            if (watch.Elapsed > TimeSpan.FromSeconds(5))
            {
                logger.LogInformation("Demo seed: {Done} of {Count} calls with audio", written + batch.Count, count);
                watch.Restart();
            }
        }
        return written + await SaveAsync(batch, ct);
    }

    private async Task<int> SaveAsync(List<Recording> batch, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Recordings.AddRange(batch);
        await db.SaveChangesAsync(ct);
        var saved = batch.Count;
        batch.Clear();
        return saved;
    }
}
