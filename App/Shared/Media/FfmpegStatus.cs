using Microsoft.Extensions.Options;

namespace NagrywanieRozmow.Shared.Media;

/// <summary>
/// Whether ffmpeg and ffprobe can be run here. Looked up again at most once a minute (and whenever Media:* changes), so an
/// administrator who installs ffmpeg sees the panel notice it without a restart, while a busy ingestion does not search
/// PATH for every file.
/// </summary>
public sealed class FfmpegStatus : IDisposable
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);

    private readonly IOptionsMonitor<MediaOptions> options;
    private readonly TimeProvider time;
    private readonly IDisposable? subscription;
    private readonly Lock gate = new();
    private FfmpegAvailability? cached;
    private DateTimeOffset cachedAt;

    private readonly ILogger<FfmpegStatus> logger;
    private string? lastProblem = "";

    public FfmpegStatus(IOptionsMonitor<MediaOptions> options, TimeProvider time, ILogger<FfmpegStatus> logger)
    {
        this.options = options;
        this.time = time;
        this.logger = logger;
        subscription = options.OnChange(_ => { lock (gate) cached = null; });
    }

    public FfmpegAvailability Current
    {
        get
        {
            var now = time.GetUtcNow();
            lock (gate)
                if (cached is { } hit && now - cachedAt < CacheFor) return hit;
            var o = options.CurrentValue;
            var found = new FfmpegAvailability(Locate(o.FfmpegPath), Locate(o.FfprobePath));
            // Renditions and waveforms run ffmpeg through a static runner: it uses what was found, so a configured path
            // outside PATH works. A missing program leaves it alone (it then fails with its own "not installed").
            if (found.Ffmpeg is { } ffmpeg) Ffmpeg.DefaultExecutable = ffmpeg;
            string? before;
            lock (gate) (cached, cachedAt, before, lastProblem) = (found, now, lastProblem, found.Problem);
            // Once per change, not per look: the log says when the panel lost or gained what ffmpeg does.
            if (before != found.Problem)
            {
                if (found.Problem is { } problem) logger.LogWarning("Optional tools missing: {Problem}", problem);
                else logger.LogInformation("ffmpeg found at {Ffmpeg}, ffprobe at {Ffprobe}", found.Ffmpeg, found.Ffprobe);
            }
            return found;
        }
    }

    /// <summary>The full path of an executable file: the path itself when it names one, else the first match on PATH.</summary>
    public static string? Locate(string nameOrPath, string? searchPath = null)
    {
        if (string.IsNullOrWhiteSpace(nameOrPath)) return null;
        if (nameOrPath.Contains('/') || nameOrPath.Contains(Path.DirectorySeparatorChar))
            return IsExecutable(nameOrPath) ? Path.GetFullPath(nameOrPath) : null;
        var names = OperatingSystem.IsWindows() ? new[] { nameOrPath, nameOrPath + ".exe" } : [nameOrPath];
        foreach (var folder in (searchPath ?? Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            foreach (var name in names)
            {
                var candidate = Path.Combine(folder, name);
                if (IsExecutable(candidate)) return Path.GetFullPath(candidate);
            }
        return null;
    }

    private static bool IsExecutable(string path)
    {
        if (!File.Exists(path)) return false;
        if (OperatingSystem.IsWindows()) return true;
        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return (File.GetUnixFileMode(path) & anyExecute) != 0;
    }

    public void Dispose() => subscription?.Dispose();
}
