namespace NagrywanieRozmow.Features.Playback;

public static class PlaybackFeature
{
    public static IHostApplicationBuilder AddPlayback(this IHostApplicationBuilder builder)
    {
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<Renditions>();
        builder.Services.AddSingleton<PlayerAudio>();
        builder.Services.AddTransient<PrepareForPlaybackJob>();
        return builder;
    }

    public static IEndpointRouteBuilder MapPlayback(this IEndpointRouteBuilder app) => app.MapPlaybackEndpoints();
}
