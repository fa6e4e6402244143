using Hangfire;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Access;

namespace NagrywanieRozmow.Shared.Jobs;

/// <summary>
/// Hangfire runs ingestion and retention. Its storage follows <c>Database:Provider</c>. On SQLite (one machine) it is in
/// memory: everything needed to resume lives in our own tables (a restart re-sweeps the spool), so nothing is lost with the
/// job queue. On SQL Server and PostgreSQL it lives in the same database (schema <c>HangFire</c> / <c>hangfire</c>, created
/// at start), so several instances share one queue, a recurring job runs once across them, and queued jobs survive a restart.
/// </summary>
public static class JobsFeature
{
    public static IHostApplicationBuilder AddJobs(this IHostApplicationBuilder builder)
    {
        var provider = builder.Configuration.GetValue("Database:Provider", DatabaseProvider.Sqlite);
        // DatabaseFeature has already refused an empty connection string for the server providers.
        var connectionString = builder.Configuration.GetConnectionString("Default") ?? "";
        builder.Services.AddHangfire(config =>
        {
            config
                .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
            switch (provider)
            {
                case DatabaseProvider.SqlServer:
                    config.UseSqlServerStorage(connectionString);
                    break;
                case DatabaseProvider.PostgreSql:
                    config.UsePostgreSqlStorage(o => o.UseNpgsqlConnection(connectionString));
                    break;
                default:
                    config.UseInMemoryStorage();
                    break;
            }
        });
        builder.Services.AddHangfireServer(o =>
        {
            o.WorkerCount = Math.Max(2, Environment.ProcessorCount);
            // In order of priority: ingestion and retention first, waveforms and renditions when there is time.
            o.Queues = ["default", Features.Playback.PrepareForPlaybackJob.Queue];
            o.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
        });
        return builder;
    }

    public static IEndpointRouteBuilder MapJobs(this IEndpointRouteBuilder app)
    {
        // The route demands an Administrator (anonymous: 401); the filter repeats the check inside Hangfire itself.
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [new AdministratorsOnly()],
            DisplayStorageConnectionString = false,
            AppPath = "/",
        }).RequireAuthorization(Policies.Administration);
        return app;
    }

    private sealed class AdministratorsOnly : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(Roles.Administrator);
    }
}
