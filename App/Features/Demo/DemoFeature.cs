using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Shared.Cli;

namespace NagrywanieRozmow.Features.Demo;

public static class DemoFeature
{
    public static IHostApplicationBuilder AddDemo(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DemoOptions>().BindConfiguration("Demo");
        builder.Services.AddSingleton<DemoSeeder>();
        builder.Services.AddSingleton<BulkSeeder>();
        return builder;
    }

    /// <summary>
    /// With Demo:Seed on and an empty database: the accounts and directory now, the calls (with audio) in the background,
    /// so the panel is usable at once and fills up over the first seconds.
    /// </summary>
    public static async Task SeedDemoIfConfiguredAsync(this IHost app)
    {
        var options = app.Services.GetRequiredService<IOptions<DemoOptions>>().Value;
        if (!options.Seed) return;
        var seeder = app.Services.GetRequiredService<DemoSeeder>();
        await seeder.EnsureUsersAndDirectoryAsync(CancellationToken.None);
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync())
        {
            if (await db.Recordings.AnyAsync()) return;
        }
        var logger = app.Services.GetRequiredService<ILogger<DemoSeeder>>();
        var stopping = app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        _ = Task.Run(async () =>
        {
            try
            {
                var count = await seeder.SeedWithAudioAsync(options.Recordings, options.Days, seed: 2026, firstSequence: 1, stopping);
                logger.LogInformation("Demo seed finished: {Count} calls with audio", count);
                // The call history: the recorded calls and twice as many that left no recording (a third of them missed).
                await app.Services.GetRequiredService<Calls.CallSeeder>().SeedAsync(count * 3, options.Days, seed: 2026, TextWriter.Null, stopping);
                await Quality.DemoEvaluations.SeedAsync(app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>(), app.Services.GetRequiredService<Quality.Scorecards>(),
                    DemoSeeder.Users.First(u => u.Role == Roles.QualityManager).Email, options.AdminEmail, app.Services.GetRequiredService<TimeProvider>(), stopping);
            }
            catch (OperationCanceledException)
            {
                logger.LogInformation("Demo seed stopped with the app; the calls written so far are complete");
            }
            catch (Exception e)
            {
                logger.LogError(e, "Demo seed failed");
            }
        }, stopping);
    }
}

internal static class SeedDemoCli
{
    /// <summary>
    /// `seed-demo --recordings N [--audio synthetic|none] [--days D] [--calls C]`: appends N demo calls; with --calls, C call
    /// records in the CDR as well (the recordings among them, the rest not recorded).
    /// </summary>
    public static async Task<int> RunAsync(IServiceProvider services, CliArgs args, TextWriter output)
    {
        var count = args.Int("recordings", fallback: -1, min: 1, max: 50_000_000);
        if (count < 0) throw new CliException("option --recordings is required.");
        var audio = args.Optional("audio") ?? "synthetic";
        var days = args.Int("days", fallback: 60, min: 1, max: 3650);
        var calls = args.Int("calls", fallback: 0, min: 0, max: 50_000_000);
        args.RejectUnknown();
        if (audio is not ("synthetic" or "none")) throw new CliException($"--audio must be 'synthetic' or 'none', not '{audio}'.");

        var watch = System.Diagnostics.Stopwatch.StartNew();
        // Deterministic for the same database state; a later run continues where the last one ended.
        long existing;
        await using (var db = await services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<AppDbContext>>().CreateDbContextAsync())
        {
            existing = await db.Recordings.MaxAsync(r => (long?)r.Id) ?? 0;
        }
        var seed = (int)(existing % int.MaxValue) ^ count;
        await services.GetRequiredService<DemoSeeder>().EnsureUsersAndDirectoryAsync(CancellationToken.None);
        var written = audio == "none"
            ? await services.GetRequiredService<BulkSeeder>().SeedMetadataAsync(count, days, seed, existing + 1, output, CancellationToken.None)
            : await services.GetRequiredService<DemoSeeder>().SeedWithAudioAsync(count, days, seed, existing + 1, CancellationToken.None);
        await output.WriteLineAsync(
            $"Seeded {written} demo recordings ({(audio == "none" ? "metadata only" : "with synthetic audio")}) over the last {days} days in {watch.Elapsed.TotalSeconds:0.0} s.");
        if (calls > 0)
        {
            var (callCount, rows, recorded) = await services.GetRequiredService<Calls.CallSeeder>().SeedAsync(calls, days, seed, output, CancellationToken.None);
            await output.WriteLineAsync($"Seeded {callCount} demo call records ({recorded} with a recording) from {rows} CDR rows in {watch.Elapsed.TotalSeconds:0.0} s.");
        }
        return 0;
    }
}
