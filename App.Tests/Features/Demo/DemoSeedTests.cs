using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Features.Access;
using NagrywanieRozmow.Features.Demo;
using NagrywanieRozmow.Features.Ingestion;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Shared.Cli;

namespace NagrywanieRozmow.Tests.Features.Demo;

public sealed class DemoSeedTests : IAsyncLifetime
{
    private readonly AppFactory app = new();

    public Task InitializeAsync() => app.InitializeAsync();
    public async Task DisposeAsync() => await ((IAsyncLifetime)app).DisposeAsync();

    private Task<(int Exit, string Output)> SeedDemoAsync(params string[] args) => app.RunCliAsync(SeedDemoCli.RunAsync, args);

    [Fact]
    public async Task Demo_calls_come_with_real_audio_that_matches_their_rows()
    {
        var (exit, output) = await SeedDemoAsync("--recordings", "40", "--days", "10");
        Assert.Equal(0, exit);
        Assert.Contains("Seeded 40 demo recordings", output);

        var users = await app.WithDbAsync(db => db.Users.Select(u => u.Email).ToListAsync());
        Assert.Contains("admin@demo.local", users);
        Assert.Equal(5, users.Count(u => u!.EndsWith("@demo.local")));
        var directory = await app.WithDbAsync(db => db.Directory.ToListAsync());
        Assert.Equal(12, directory.Count);
        Assert.Equal(3, directory.Select(d => d.Team).Distinct().Count());

        var rows = await app.WithDbAsync(db => db.Recordings.AsNoTracking().ToListAsync());
        Assert.Equal(40, rows.Count);
        Assert.All(rows, r => Assert.InRange(r.StartedAt, DateTime.UtcNow.AddDays(-10.1), DateTime.UtcNow));
        foreach (var row in rows)
        {
            await using var stored = await app.Store.OpenReadAsync(row.StorageKey, CancellationToken.None);
            Assert.NotNull(stored);
            var bytes = new byte[stored!.Length];
            await stored.ReadExactlyAsync(bytes);
            Assert.Equal(row.SizeBytes, bytes.Length);
            Assert.Equal(row.Sha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
            Assert.True(FreePbxFileName.TryParse(row.OriginalFileName, TimeZoneInfo.FindSystemTimeZoneById("Europe/Warsaw"), out var name, out var error), error);
            Assert.Equal(row.StartedAt, name!.StartedAtUtc);
            Assert.Equal(row.CallId, name.UniqueId);
        }

        // The bytes themselves say what the row says: the ingestion's own probe reads every file back.
        var probePath = Path.Combine(app.StorePath, rows[0].StorageKey);
        var probe = await AudioProbe.ProbeAsync(probePath, CancellationToken.None);
        Assert.Equal((rows[0].Codec, rows[0].Channels, rows[0].SampleRate), (probe.Info!.Codec, probe.Info.Channels, probe.Info.SampleRate));
        Assert.InRange(probe.Info.DurationMs, rows[0].DurationMs - 1, rows[0].DurationMs + 1);
    }

    [Fact]
    public async Task Every_call_type_appears_and_numbers_are_searchable_in_every_written_style()
    {
        await SeedDemoAsync("--recordings", "400", "--audio", "none");
        var rows = await app.WithDbAsync(db => db.Recordings.AsNoTracking().ToListAsync());
        Assert.Equal(Enum.GetValues<CallType>().ToHashSet(), rows.Select(r => r.Type).ToHashSet());
        Assert.Contains(rows, r => r.CallerNumber.StartsWith('+'));
        Assert.Contains(rows, r => r.CallerNumber.Length == 9);
        Assert.True(rows.GroupBy(r => r.CallerDigits).Any(g => g.Count() > 2), "some customers call more than twice");
        Assert.All(rows, r => Assert.Equal((TestData.Numbers.Normalize(r.CallerNumber), TestData.Numbers.Normalize(r.CalleeNumber)), (r.CallerDigits, r.CalleeDigits)));
    }

    [Fact]
    public async Task Every_demo_file_name_reads_back_as_FreePBX_means_it()
    {
        await SeedDemoAsync("--recordings", "400", "--audio", "none");
        var rows = await app.WithDbAsync(db => db.Recordings.AsNoTracking().ToListAsync());
        var warsaw = TimeZoneInfo.FindSystemTimeZoneById("Europe/Warsaw");
        Assert.All(rows, r =>
        {
            Assert.True(NagrywanieRozmow.Features.Ingestion.FreePbxFileName.TryParse(r.OriginalFileName, warsaw, out var name, out var error), error);
            // The type the name says (where it says one) is the row's, and so is the phone it names (external, out, internal).
            // An IVR call comes in on an inbound route: its name says incoming, the CDR says IVR.
            if (NagrywanieRozmow.Features.Ingestion.FreePbxFileName.CallTypeOf(name!.Type) is { } type)
                Assert.Equal(type, r.Type == CallType.Ivr ? CallType.Incoming : r.Type);
            if (name.InternalParty is { } phone) Assert.Equal(r.Extension, phone);
        });
    }

    [Fact]
    public async Task The_bulk_load_leaves_the_schema_as_migrated_and_the_number_index_complete()
    {
        const string schema = "SELECT type || ' ' || name || ' ' || sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_stat%' ORDER BY type, name";
        var before = await app.WithDbAsync(db => db.Database.SqlQueryRaw<string>(schema).ToListAsync());
        var (exit, _) = await SeedDemoAsync("--recordings", "20000", "--audio", "none", "--days", "30");
        Assert.Equal(0, exit);
        var after = await app.WithDbAsync(db => db.Database.SqlQueryRaw<string>(schema).ToListAsync());
        Assert.Equal(before, after);

        // An outside caller (an extension has too few digits for a 6-digit fragment).
        var sample = await app.WithDbAsync(db => db.Recordings.Where(r => r.CallerDigits.Length >= 9).OrderBy(r => r.Id).Skip(5000).FirstAsync());
        var fragment = sample.CallerDigits[^6..];
        var viaIndex = await app.WithDbAsync(db => RecordingSearch.Filter(db, new RecordingFilter { Number = fragment }).Select(r => r.Id).ToListAsync());
        var byScan = await app.WithDbAsync(db => db.Recordings.Where(r => r.CallerDigits.Contains(fragment) || r.CalleeDigits.Contains(fragment)).Select(r => r.Id).ToListAsync());
        Assert.Contains(sample.Id, viaIndex);
        Assert.Equal(byScan.Order(), viaIndex.Order());

        // Appends: a second load adds, nothing is wiped.
        await SeedDemoAsync("--recordings", "100", "--audio", "none");
        Assert.Equal(20_100, await app.WithDbAsync(db => db.Recordings.CountAsync()));
        Assert.Equal(20_100, await app.WithDbAsync(db => db.Recordings.Select(r => r.CallId).Distinct().CountAsync()));
    }

    [Fact]
    public async Task The_first_start_seed_runs_once()
    {
        var seeder = app.Services.GetRequiredService<DemoSeeder>();
        await seeder.EnsureUsersAndDirectoryAsync(CancellationToken.None);
        await seeder.EnsureUsersAndDirectoryAsync(CancellationToken.None);
        Assert.Equal(12, await app.WithDbAsync(db => db.Directory.CountAsync()));
        Assert.Equal(5, await app.WithDbAsync(db => db.Users.CountAsync()));
        var admin = await app.WithDbAsync(db => db.Users.SingleAsync(u => u.Email == "admin@demo.local"));
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<AppUser>>();
        Assert.True(await users.IsInRoleAsync(admin, Roles.Administrator));
    }

    [Theory]
    [InlineData(new string[0], "--recordings is required")]
    [InlineData(new[] { "--recordings", "0" }, "--recordings must be a whole number")]
    [InlineData(new[] { "--recordings", "ten" }, "--recordings must be a whole number")]
    [InlineData(new[] { "--recordings", "5", "--audio", "mp3" }, "--audio must be 'synthetic' or 'none'")]
    [InlineData(new[] { "--recordings", "5", "--days", "-1" }, "--days must be a whole number")]
    [InlineData(new[] { "--recordings", "5", "--recordigs", "5" }, "unknown option(s): --recordigs")]
    public async Task Bad_arguments_are_refused_and_change_nothing(string[] args, string message)
    {
        var error = await Assert.ThrowsAsync<CliException>(() => SeedDemoAsync(args));
        Assert.Contains(message, error.Message);
        Assert.Equal(0, await app.WithDbAsync(db => db.Recordings.CountAsync()));
    }
}
