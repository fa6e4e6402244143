using Hangfire;
using NagrywanieRozmow.Features.Ingestion;
using NagrywanieRozmow.Features.Retention;

namespace NagrywanieRozmow.Features.Calls;

/// <summary>Marker for CallsText.resx: the call history's texts.</summary>
public sealed class CallsText;

/// <summary>The call history: every call of the CDR, recorded or not, with why a recording is missing (issue 27).</summary>
public static class CallsFeature
{
    public static IHostApplicationBuilder AddCalls(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CallRecordOptions>().BindConfiguration(CallRecordOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<CallSummaries>();
        builder.Services.AddSingleton<ICdrRowsListener>(sp => sp.GetRequiredService<CallSummaries>());
        builder.Services.AddSingleton<CallSearch>();
        builder.Services.AddSingleton<CallRecordingFlags>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CallRecordingFlags>());
        builder.Services.AddTransient<CallSeeder>();
        builder.Services.AddSingleton<CallRecordRetention>();
        builder.Services.AddSingleton<IRetentionPurgeStep>(sp => sp.GetRequiredService<CallRecordRetention>());
        builder.Services.AddSingleton<ISubjectErasureStep>(sp => sp.GetRequiredService<CallRecordRetention>());
        return builder;
    }

    public static IEndpointRouteBuilder MapCalls(this IEndpointRouteBuilder app)
    {
        app.MapCallsApi();
        var jobs = app.ServiceProvider.GetRequiredService<IRecurringJobManager>();
        // Every minute, and once now: a CDR stored before the call history existed (or while a pass failed) is folded in.
        jobs.AddOrUpdate<CallSummaries>(CallSummaries.JobId, j => j.RunAsync(CancellationToken.None), Cron.Minutely());
        app.ServiceProvider.GetRequiredService<IBackgroundJobClient>().Enqueue<CallSummaries>(j => j.RunAsync(CancellationToken.None));
        return app;
    }
}
