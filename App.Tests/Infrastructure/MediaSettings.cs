using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Shared.Media;

namespace NagrywanieRozmow.Tests.Infrastructure;

/// <summary>Media:* settings for tests that need ffmpeg absent, and back again while the app runs.</summary>
public static class MediaSettings
{
    /// <summary>Paths that name no file: the app sees neither ffmpeg nor ffprobe, whatever this machine has installed.</summary>
    public static Dictionary<string, string?> Missing(string root) => new()
    {
        ["Media:FfmpegPath"] = Path.Combine(root, "no-such-dir", "ffmpeg"),
        ["Media:FfprobePath"] = Path.Combine(root, "no-such-dir", "ffprobe"),
    };

    /// <summary>The installed program's full path; a machine without it cannot run these tests (./test.sh installs it).</summary>
    public static string Installed(string name) =>
        FfmpegStatus.Locate(name) ?? throw new InvalidOperationException($"{name} is not installed: run ./test.sh as root or apt-get install ffmpeg.");

    /// <summary>Points Media:* at the installed ffmpeg and ffprobe in the running app, as an administrator installing it would.</summary>
    public static void InstallFfmpeg(IServiceProvider services)
    {
        var configuration = (IConfigurationRoot)services.GetRequiredService<IConfiguration>();
        configuration["Media:FfmpegPath"] = Installed("ffmpeg");
        configuration["Media:FfprobePath"] = Installed("ffprobe");
        configuration.Reload();
    }
}
