using Hangfire;
using Microsoft.Extensions.Options;

namespace NagrywanieRozmow.Features.Transcripts;

/// <summary>Transcription: off until <c>Transcription:Provider</c> names one; then new calls the rule covers, and calls people ask for.</summary>
public static class TranscriptsFeature
{
    public static IHostApplicationBuilder AddTranscripts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TranscriptionOptions>().BindConfiguration("Transcription").ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHttpClient<OpenAiCompatibleTranscriber>(OpenAiCompatibleTranscriber.HttpClientName, (services, client) =>
            client.Timeout = TimeSpan.FromSeconds(services.GetRequiredService<IOptions<TranscriptionOptions>>().Value.TimeoutSeconds));
        builder.Services.AddTransient<TranscriptionJob>();
        builder.Services.AddSingleton<Transcriptions>();
        builder.Services.AddHostedService<TranscriptionFollower>();
        builder.Services.AddHostedService<TranscriptionSweep>();
        // Its own workers, as many as the settings allow: a long call does not hold up ingestion, and the provider is not flooded.
        builder.Services.AddHangfireServer((services, o) =>
        {
            o.Queues = [TranscriptionJob.Queue];
            o.WorkerCount = services.GetRequiredService<IOptions<TranscriptionOptions>>().Value.MaxConcurrent;
            o.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}:transcription";
        });
        return builder;
    }
}

/// <summary>Queues waiting requests at start and every five minutes (see <see cref="Transcriptions.SweepAsync"/>).</summary>
public sealed class TranscriptionSweep(Transcriptions transcriptions, ILogger<TranscriptionSweep> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var queued = await transcriptions.SweepAsync(stoppingToken);
                if (queued > 0) logger.LogInformation("Queued {Count} waiting transcriptions", queued);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Queuing waiting transcriptions failed; trying again in five minutes");
            }
            await Task.Delay(TimeSpan.FromMinutes(5), stoppingToken);
        }
    }
}
