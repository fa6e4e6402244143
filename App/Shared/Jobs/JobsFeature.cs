using Hangfire;
using Hangfire.Dashboard;
using NagrywanieRozmow.Features.Access;

namespace NagrywanieRozmow.Shared.Jobs;

/// <summary>
/// Hangfire runs ingestion and retention. On SQLite its storage is in memory: everything needed to resume lives in our own
/// tables (a restart re-sweeps the spool), so nothing is lost with the job queue.
/// </summary>
public static class JobsFeature
{
    public static IHostApplicationBuilder AddJobs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHangfire(config => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseInMemoryStorage());
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
