using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Azure.Storage.Blobs;
using NagrywanieRozmow.Shared.Storage;

namespace NagrywanieRozmow.Tests.Infrastructure;

/// <summary>
/// Azurite's blob service from tools/azurite (the npm package; ./test.sh installs it), on a free loopback port, in memory,
/// for the tests of one collection. Missing Node.js or Azurite fails the tests that need it, with what to do; it never skips.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    /// <summary>Azurite's well-known development account (public, documented by Microsoft; not a secret).</summary>
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly string location = Path.Combine(Path.GetTempPath(), "nr-azurite-" + Guid.NewGuid().ToString("N"));
    private Process? azurite;
    private readonly StringBuilder output = new();

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var main = Path.Combine(Repository.Root(), "tools", "azurite", "node_modules", "azurite", "dist", "src", "blob", "main.js");
        if (!File.Exists(main))
            throw new InvalidOperationException($"Azurite is not installed ({main} is missing): run `npm ci --prefix tools/azurite` (./test.sh does it).");
        Directory.CreateDirectory(location);
        var port = FreePort();
        var start = new ProcessStartInfo("node")
        {
            ArgumentList =
            {
                main, "--blobHost", "127.0.0.1", "--blobPort", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--inMemoryPersistence", "--extentMemoryLimit", "512", "--silent", "--disableTelemetry",
            },
            // In memory, Azurite keeps nothing on disk; whatever it might still write lands in a folder removed afterwards.
            WorkingDirectory = location,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        try
        {
            azurite = Process.Start(start)!;
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"Node.js is needed to run Azurite for the Azure Blob store's tests but `node` could not be started ({e.Message}): apt-get install nodejs npm.", e);
        }
        azurite.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        azurite.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        azurite.BeginOutputReadLine();
        azurite.BeginErrorReadLine();

        ConnectionString = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";
        var service = new BlobServiceClient(ConnectionString, AzureBlobRecordingStore.ClientOptions());
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (azurite.HasExited) throw new InvalidOperationException($"Azurite exited with {azurite.ExitCode} at start: {Output}");
            try
            {
                await service.GetPropertiesAsync(new CancellationTokenSource(TimeSpan.FromSeconds(2)).Token);
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    public string Output { get { lock (output) return output.ToString(); } }

    /// <summary>A container of its own for each test (not created yet), so tests never see each other's blobs.</summary>
    public BlobContainerClient NewContainer(out string name)
    {
        name = "t" + Guid.NewGuid().ToString("N");
        return NewContainerClient(name);
    }

    /// <summary>A client of our own, beside the app's store, to look at what the store wrote.</summary>
    public BlobContainerClient NewContainerClient(string name) =>
        new BlobServiceClient(ConnectionString, AzureBlobRecordingStore.ClientOptions()).GetBlobContainerClient(name);

    public Task DisposeAsync()
    {
        if (azurite is { HasExited: false })
        {
            azurite.Kill(entireProcessTree: true);
            azurite.WaitForExit(10_000);
        }
        azurite?.Dispose();
        if (Directory.Exists(location)) Directory.Delete(location, recursive: true);
        return Task.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
