using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NagrywanieRozmow.Shared.Media;

namespace NagrywanieRozmow.Tests.Shared.Media;

/// <summary>/health/ready with and without ffmpeg: degraded is still 200 (the balancer keeps sending people) and names the fix.</summary>
public sealed class HealthTests
{
    private sealed class NoFfmpegApp : AppFactory
    {
        protected override IDictionary<string, string?> Settings => MediaSettings.Missing(Root);
    }

    [Fact]
    public async Task Without_ffmpeg_the_app_is_degraded_but_still_ready_and_names_what_is_missing_and_the_fix()
    {
        await using var app = new NoFfmpegApp();
        await app.InitializeAsync();
        var response = await app.AnonymousClient().GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("degraded", body.GetProperty("status").GetString());
        Assert.True(body.GetProperty("database").GetBoolean());
        Assert.True(body.GetProperty("storage").GetBoolean());
        Assert.False(body.GetProperty("ffmpeg").GetBoolean());
        var problem = Assert.Single(body.GetProperty("degraded").EnumerateArray()).GetString()!;
        Assert.StartsWith("ffmpeg: not installed (apt-get install ffmpeg)", problem);
        Assert.Contains("GSM, MP3 and Ogg", problem);

        // Installed while the app runs: noticed without a restart.
        MediaSettings.InstallFfmpeg(app.Services);
        var after = await app.AnonymousClient().GetStringAsync("/health/ready");
        Assert.Equal("""{"status":"ready","database":true,"storage":true,"ffmpeg":true}""", after);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_name_is_looked_up_on_PATH_and_a_path_is_taken_as_it_is()
    {
        var folder = Directory.CreateTempSubdirectory("nr-path-").FullName;
        try
        {
            var tool = Path.Combine(folder, "ffprobe");
            File.WriteAllText(tool, "#!/bin/sh\n");
            Assert.Null(FfmpegStatus.Locate("ffprobe", folder)); // not executable: not a program
            File.SetUnixFileMode(tool, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Assert.Equal(tool, FfmpegStatus.Locate("ffprobe", $"/nonexistent{Path.PathSeparator}{folder}"));
            Assert.Null(FfmpegStatus.Locate("ffprobe", "/nonexistent"));
            Assert.Equal(tool, FfmpegStatus.Locate(tool, "/nonexistent"));
            Assert.Null(FfmpegStatus.Locate(Path.Combine(folder, "ffmpeg"), folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
