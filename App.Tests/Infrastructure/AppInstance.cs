using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NagrywanieRozmow.Tests.Infrastructure;

/// <summary>
/// The built app (App.dll) as its own process, as it runs in production: on a loopback port of its own, stopped with a real
/// SIGTERM or SIGKILL, its output kept for failure messages. Also runs the command-line verbs the same way.
/// </summary>
internal sealed class AppInstance : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder log = new();

    private AppInstance(string name, Process process, Uri url)
    {
        Name = name;
        this.process = process;
        Url = url;
        Http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = url, Timeout = TimeSpan.FromSeconds(10) };
    }

    public string Name { get; }
    public Uri Url { get; }

    /// <summary>No cookie, no key: requests as anyone.</summary>
    public HttpClient Http { get; }

    public int Pid => process.Id;
    public bool HasExited => process.HasExited;
    public int ExitCode => process.ExitCode;

    public string Log
    {
        get { lock (log) return log.Length > 6000 ? "…" + log.ToString(log.Length - 6000, 6000) : log.ToString(); }
    }

    public static AppInstance Start(string name, IReadOnlyDictionary<string, string> settings)
    {
        var url = new Uri($"http://127.0.0.1:{FreePort()}");
        var process = new Process { StartInfo = StartInfo(settings, "--urls", url.ToString().TrimEnd('/')) };
        var instance = new AppInstance(name, process, url);
        process.OutputDataReceived += (_, e) => instance.Append(e.Data);
        process.ErrorDataReceived += (_, e) => instance.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return instance;
    }

    /// <summary>`dotnet App.dll VERB …` with these settings; the log goes to stderr, so stdout is the verb's own output.</summary>
    public static async Task<(int Exit, string Output, string Errors)> RunCliAsync(IReadOnlyDictionary<string, string> settings, params string[] args)
    {
        var start = StartInfo(settings, args);
        start.Environment["Logging__Console__LogToStandardErrorThreshold"] = "Trace";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"`{string.Join(' ', args)}` did not finish within 90 s:\n{await output}\n{await errors}");
        }
        return (process.ExitCode, await output, await errors);
    }

    /// <summary>Until GET /health/ready, asked anonymously, answers 200 "ready" (or "degraded": up, an optional tool missing).</summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        var last = "no answer";
        while (true)
        {
            if (HasExited) throw new Xunit.Sdk.XunitException($"Instance {Name} exited ({ExitCode}) while starting:\n{Log}");
            try
            {
                using var response = await Http.GetAsync("/health/ready");
                var body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Assert.Matches("\"status\":\"(ready|degraded)\"", body);
                    return;
                }
                last = $"{(int)response.StatusCode} {body}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e.Message;
            }
            if (watch.Elapsed > timeout)
                throw new Xunit.Sdk.XunitException($"Instance {Name} was not ready within {timeout.TotalSeconds} s (last answer: {last}):\n{Log}");
            await Task.Delay(200);
        }
    }

    /// <summary>SIGKILL: no shutdown, no cleanup, as when the machine dies.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as systemd or an orchestrator stops it: the app drains and exits by itself.</summary>
    public void Terminate()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!;
        kill.WaitForExit();
        if (kill.ExitCode != 0) throw new InvalidOperationException($"kill -TERM {Pid} failed ({kill.ExitCode}).");
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try { await KillAsync(); }
        catch (InvalidOperationException) { } // never started
        process.Dispose();
        Http.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (log) log.AppendLine(line);
    }

    /// <summary>How `dotnet App.dll …` is started: Production, with these settings as environment variables, output redirected.</summary>
    public static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string> settings, params string[] args)
    {
        var dll = FindAppDll();
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        // Production over plain http: a __Host- (Secure) cookie would never come back to the tests' HttpClient.
        start.Environment["Security__SecureCookies"] = "false";
        foreach (var (key, value) in settings) start.Environment[key] = value;
        return start;
    }

    /// <summary>
    /// The dotnet host by its full, real path (not /usr/bin/dotnet, a link beside Debian's ffmpeg): a test may give the app a
    /// PATH of its own, without the folder dotnet is found in.
    /// </summary>
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host) return host;
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, "dotnet")).FirstOrDefault(File.Exists);
        return onPath is null ? "dotnet" : new FileInfo(onPath).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? onPath;
    }

    /// <summary>App.dll beside the tests (the project reference copies it), else the App project's own output of the same build.</summary>
    private static string FindAppDll()
    {
        static bool Runnable(string dir) => File.Exists(Path.Combine(dir, "App.dll")) && File.Exists(Path.Combine(dir, "App.runtimeconfig.json"));
        var own = AppContext.BaseDirectory;
        if (Runnable(own)) return Path.Combine(own, "App.dll");
        var tfm = new DirectoryInfo(own);              // …/App.Tests/bin/<Configuration>/net10.0
        var configuration = tfm.Parent!;
        var sibling = Path.Combine(configuration.Parent!.Parent!.Parent!.FullName, "App", "bin", configuration.Name, tfm.Name);
        if (Runnable(sibling)) return Path.Combine(sibling, "App.dll");
        throw new InvalidOperationException($"App.dll with its runtimeconfig was found neither in {own} nor in {sibling}: build the solution first.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
