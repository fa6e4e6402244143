using System.ComponentModel.DataAnnotations;
using Hangfire;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;
using Hangfire.SqlServer;
using NagrywanieRozmow.Data;

namespace NagrywanieRozmow.Shared.Jobs;

/// <summary>
/// <c>Jobs:*</c>, for the job queue several instances share (SQL Server and PostgreSQL storage): how soon work a dead
/// instance held, or another instance queued, is taken up.
/// </summary>
public sealed class JobsOptions
{
    /// <summary>
    /// A job fetched by an instance that then died (killed, power lost) goes back to the queue this long after its last
    /// sign of life. A running job renews its claim every fifth of this, so it bounds the wait after a crash, not how long
    /// a job may run. Hangfire's own default is 30 minutes.
    /// </summary>
    [Range(1, 86400, ErrorMessage = "Jobs:InvisibilityTimeoutSeconds must be between 1 and 86400.")]
    public int InvisibilityTimeoutSeconds { get; set; } = 300;

    /// <summary>
    /// PostgreSQL: a <c>DisableConcurrentExecution</c> lock left behind by a dead instance is broken after this long (SQL
    /// Server's application locks end with the dead session by themselves). It is broken after this long even when its
    /// holder is alive and still running, so the retention purge does not rely on it alone (<c>RecordingEraser</c> claims
    /// its rows in the database).
    /// </summary>
    [Range(1, 86400, ErrorMessage = "Jobs:LockTimeoutSeconds must be between 1 and 86400.")]
    public int LockTimeoutSeconds { get; set; } = 600;

    /// <summary>PostgreSQL: how often an idle worker looks for new jobs, among them those another instance queued.</summary>
    [Range(1, 3600, ErrorMessage = "Jobs:PollIntervalSeconds must be between 1 and 3600.")]
    public int PollIntervalSeconds { get; set; } = 15;
}

/// <summary>
/// Hangfire runs ingestion and retention. Its storage follows <c>Database:Provider</c>. On SQLite (one machine) it is in
/// memory: everything needed to resume lives in our own tables (a restart re-sweeps the spool), so nothing is lost with the
/// job queue. On SQL Server and PostgreSQL it lives in the same database (schema <c>HangFire</c> / <c>hangfire</c>, created
/// at start), so several instances share one queue, a recurring job runs once across them, and queued jobs survive a restart.
/// </summary>
public static class JobsFeature
{
    /// <summary>How long a stopping instance waits for its requests and jobs (the host's default is 30 s as well).</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(30);

    public static IHostApplicationBuilder AddJobs(this IHostApplicationBuilder builder)
    {
        var provider = builder.Configuration.GetValue("Database:Provider", DatabaseProvider.Sqlite);
        // DatabaseFeature has already refused an empty connection string for the server providers.
        var connectionString = builder.Configuration.GetConnectionString("Default") ?? "";
        builder.Services.AddOptions<JobsOptions>().BindConfiguration("Jobs").ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHangfire((services, config) =>
        {
            var jobs = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<JobsOptions>>().Value;
            config
                .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
            switch (provider)
            {
                case DatabaseProvider.SqlServer:
                    config.UseSqlServerStorage(connectionString, new SqlServerStorageOptions
                    {
                        SlidingInvisibilityTimeout = TimeSpan.FromSeconds(jobs.InvisibilityTimeoutSeconds),
                    });
                    break;
                case DatabaseProvider.PostgreSql:
                    config.UsePostgreSqlStorage(o => o.UseNpgsqlConnection(connectionString), new PostgreSqlStorageOptions
                    {
                        InvisibilityTimeout = TimeSpan.FromSeconds(jobs.InvisibilityTimeoutSeconds),
                        UseSlidingInvisibilityTimeout = true,
                        DistributedLockTimeout = TimeSpan.FromSeconds(jobs.LockTimeoutSeconds),
                        QueuePollInterval = TimeSpan.FromSeconds(jobs.PollIntervalSeconds),
                    });
                    break;
                default:
                    config.UseInMemoryStorage();
                    break;
            }
        });
        builder.Services.AddHangfireServer(o =>
        {
            o.WorkerCount = Math.Max(2, Environment.ProcessorCount);
            // In order of priority: retention and this machine's spool first, waveforms and renditions when there is time.
            o.Queues = [.. JobQueues.All];
            o.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
            // On stop (SIGTERM from systemd or the orchestrator) a running job gets this long to finish; one that does not
            // is cancelled and, with database storage, handed back to the queue, where another instance picks it up.
            o.ShutdownTimeout = ShutdownTimeout - TimeSpan.FromSeconds(5);
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
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
