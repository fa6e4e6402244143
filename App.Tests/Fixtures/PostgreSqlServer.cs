using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace NagrywanieRozmow.Tests.Fixtures;

/// <summary>
/// A throw-away PostgreSQL cluster for the tests that need the real server: initdb into a temp folder, the server on a free
/// port of 127.0.0.1 (its socket in the same folder), stopped and deleted at dispose. initdb refuses to run as root, so as
/// root the folder belongs to the <c>postgres</c> system user and the binaries run through runuser. Missing binaries fail
/// the tests with what to install: they are never skipped.
/// </summary>
public sealed class PostgreSqlServer : IAsyncLifetime
{
    private const string RunAs = "postgres";
    private readonly bool asRoot = Environment.UserName == "root";
    private string bin = "", root = "";
    private int port;

    public string DataDirectory => Path.Combine(root, "data");

    public async Task InitializeAsync()
    {
        bin = FindBinaries();
        root = Path.Combine(asRoot ? "/tmp" : Path.GetTempPath(), $"nr-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        if (asRoot)
        {
            if (await RunAsync("id", ["-u", RunAs], check: false) != 0)
                await RunAsync("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", RunAs]);
            await RunAsync("chown", [$"{RunAs}:", root]);
        }
        await RunPostgresAsync("initdb", ["-D", DataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]);
        port = FreePort();
        var options = $"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        await RunPostgresAsync("pg_ctl", ["-D", DataDirectory, "-l", Path.Combine(root, "server.log"), "-o", options, "-w", "-t", "60", "start"]);
    }

    /// <summary>A new, empty database of its own for one test or one app.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"t{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        return ConnectionString(name);
    }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = port, Username = "postgres", Database = database, Pooling = true }.ConnectionString;

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (root.Length == 0) return;
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
            await RunPostgresAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"]);
        try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static string FindBinaries()
    {
        var found = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        if (found is null)
            throw new InvalidOperationException(
                "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): run `apt-get install postgresql postgresql-contrib` (./test.sh does it as root).");
        var version = Path.GetFileName(Path.GetDirectoryName(found));
        if (!File.Exists($"/usr/share/postgresql/{version}/extension/pg_trgm.control"))
            throw new InvalidOperationException($"PostgreSQL {version} has no pg_trgm extension: run `apt-get install postgresql postgresql-contrib`.");
        return found;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private Task<int> RunPostgresAsync(string tool, string[] args) => asRoot
        ? RunAsync("runuser", ["-u", RunAs, "--", Path.Combine(bin, tool), .. args])
        : RunAsync(Path.Combine(bin, tool), args);

    private async Task<int> RunAsync(string file, string[] args, bool check = true)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/tmp" };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        // pg_ctl start leaves the server running with our pipes inherited: read to the end only what the tool itself wrote.
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (check && process.ExitCode != 0)
        {
            var log = Path.Combine(root, "server.log");
            throw new InvalidOperationException(
                $"`{file} {string.Join(' ', args)}` failed ({process.ExitCode}): {await Finished(stderr)} {await Finished(stdout)}" +
                (File.Exists(log) ? $"\nserver.log:\n{File.ReadAllText(log)}" : ""));
        }
        return process.ExitCode;
    }

    private static async Task<string> Finished(Task<string> read) =>
        await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(2))) == read ? read.Result : "";
}

[CollectionDefinition(Name)]
public sealed class PostgreSqlCollection : ICollectionFixture<PostgreSqlServer>
{
    public const string Name = "PostgreSQL";
}
