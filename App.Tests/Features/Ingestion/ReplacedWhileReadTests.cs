using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Features.Ingestion;
using NagrywanieRozmow.Shared.Storage;

namespace NagrywanieRozmow.Tests.Features.Ingestion;

/// <summary>The PBX rewrites a file while the ingestion copies it: nothing half-read is kept, the next pass takes the new file.</summary>
public sealed class ReplacedWhileReadTests : IAsyncLifetime
{
    private readonly TamperingApp app = new();

    public Task InitializeAsync() => app.InitializeAsync();
    public async Task DisposeAsync() => await ((IAsyncLifetime)app).DisposeAsync();

    [Fact]
    public async Task A_file_rewritten_during_the_copy_is_left_for_the_next_pass_and_nothing_is_kept()
    {
        var path = Path.Combine(app.Root, "spool/2026/11/16/in-201-48601234567-20261116-091502-1794816902.2.wav");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, TestData.Wav(2));
        var replacement = TestData.Wav(2, frequency: 900);
        app.Store.BeforeSave = () => File.WriteAllBytes(path, replacement);

        var ingestor = app.Services.GetRequiredService<RecordingIngestor>();
        var first = await ingestor.IngestFileAsync(path, CancellationToken.None);
        Assert.Equal(IngestOutcome.Deferred, first.Outcome);
        Assert.Equal(0, await app.WithDbAsync(db => db.Recordings.CountAsync()));
        Assert.Equal(0, await app.WithDbAsync(db => db.IngestedFiles.CountAsync()));
        Assert.Empty(Directory.EnumerateFiles(app.StorePath, "*", SearchOption.AllDirectories));

        app.Store.BeforeSave = null;
        var second = await ingestor.IngestFileAsync(path, CancellationToken.None);
        Assert.Equal(IngestOutcome.Accepted, second.Outcome);
        var recording = await app.WithDbAsync(db => db.Recordings.SingleAsync());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(replacement)), recording.Sha256);
    }

    private sealed class TamperingApp : AppFactory
    {
        public new TamperingStore Store => (TamperingStore)base.Store;

        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Ingestion:QuarantinePath"] = Path.Combine(Root, "quarantine"),
        };

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services =>
            {
                var original = services.Last(d => d.ServiceType == typeof(IRecordingStore));
                services.Remove(original);
                services.AddSingleton(provider => new TamperingStore(original.ImplementationInstance as IRecordingStore ?? (IRecordingStore)original.ImplementationFactory!(provider)));
                services.AddSingleton<IRecordingStore>(provider => provider.GetRequiredService<TamperingStore>());
            });
        }
    }

    /// <summary>The real store, with a hook that runs while the source is open and half read.</summary>
    public sealed class TamperingStore(IRecordingStore inner) : IRecordingStore
    {
        public Action? BeforeSave { get; set; }

        public async Task SaveAsync(string key, Stream content, CancellationToken ct)
        {
            var head = new byte[100];
            await content.ReadExactlyAsync(head, ct);
            BeforeSave?.Invoke();
            using var rest = new MemoryStream();
            rest.Write(head);
            await content.CopyToAsync(rest, ct);
            rest.Position = 0;
            await inner.SaveAsync(key, rest, ct);
        }

        public Task<Stream?> OpenReadAsync(string key, CancellationToken ct) => inner.OpenReadAsync(key, ct);
        public Task<bool> ExistsAsync(string key, CancellationToken ct) => inner.ExistsAsync(key, ct);
        public Task DeleteAsync(string key, CancellationToken ct) => inner.DeleteAsync(key, ct);
        public Task<bool> IsReadyAsync(CancellationToken ct) => inner.IsReadyAsync(ct);
    }
}
