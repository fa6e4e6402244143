namespace NagrywanieRozmow.Shared.Media;

public static class MediaFeature
{
    public static IHostApplicationBuilder AddMedia(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MediaOptions>().BindConfiguration("Media").ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<FfmpegStatus>();
        return builder;
    }
}
