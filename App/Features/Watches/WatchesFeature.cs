using Hangfire;
using Microsoft.Extensions.Options;

namespace NagrywanieRozmow.Features.Watches;

/// <summary>
/// "Powiadom mnie": people watch a number, a case or an extension; a matching recording that arrives (or gets the case
/// later) becomes a notification in the panel's bell, and an e-mail when <c>Smtp:Host</c> is set.
/// </summary>
public static class WatchesFeature
{
    public static IHostApplicationBuilder AddWatches(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SmtpOptions>().BindConfiguration(SmtpOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<Watchlist>();
        builder.Services.AddScoped<Watchers>();
        builder.Services.AddSingleton<WatchNotices>();
        builder.Services.AddHostedService<WatchNoticesPoller>();
        builder.Services.AddSingleton<WatchFollower>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WatchFollower>());
        builder.Services.AddTransient<WatchMailJob>();
        return builder;
    }

    /// <summary>With SMTP, a sweep every five minutes mails what a stop between commit and queueing left behind.</summary>
    public static IEndpointRouteBuilder MapWatches(this IEndpointRouteBuilder app)
    {
        var recurring = app.ServiceProvider.GetRequiredService<IRecurringJobManager>();
        if (app.ServiceProvider.GetRequiredService<IOptions<SmtpOptions>>().Value.IsConfigured)
            recurring.AddOrUpdate<WatchMailJob>(WatchMailJob.Id, j => j.RunAsync(CancellationToken.None), "*/5 * * * *");
        else
            recurring.RemoveIfExists(WatchMailJob.Id);
        return app;
    }
}
