using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Features.Ingestion;
using NagrywanieRozmow.Shared.Storage;

namespace NagrywanieRozmow.Tests.Features.Ingestion;

/// <summary>
/// The recording store on a real, nearly full file system: a 64 KB tmpfs mounted over the store's folder (needs root, as
/// ./test.sh runs in CI; reported skipped, saying why, where mounting is not allowed).
/// </summary>
public sealed class DiskFullTests : IAsyncLifetime
{
    private readonly IngestionApp app = new();
    private string? cannotMount;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(app.StorePath);
        var (exit, errors) = Run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", app.StorePath);
        if (exit != 0) cannotMount = $"cannot mount a small tmpfs for the store here (mount: {errors.Trim()}); run ./test.sh as root";
        await app.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)app).DisposeAsync();
        if (cannotMount is null) Run("umount", "-l", app.StorePath);
    }

    private static (int Exit, string Errors) Run(string file, params string[] args)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            var errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, errors);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }

    [SkippableFact]
    public async Task A_full_disk_leaves_the_file_in_the_spool_says_so_and_takes_it_once_there_is_room()
    {
        Skip.If(cannotMount is not null, cannotMount);
        var audio = TestData.Wav(10); // 160 KB: more than the store holds
        var path = app.Drop("in-201-48601234567-20261116-091502-1794816902.2.wav", audio);
        await using var scope = app.Services.CreateAsyncScope();
        var job = scope.ServiceProvider.GetRequiredService<IngestFileJob>();

        // The spool's job fails as Hangfire sees it (so it is retried), and nothing of it is kept anywhere.
        var failed = await Assert.ThrowsAnyAsync<IOException>(() => job.RunAsync(path, CancellationToken.None));
        Assert.True(StorageErrors.IsFull(failed), $"not recognised as a full disk: {failed.HResult} {failed.Message}");
        Assert.Equal(audio, await File.ReadAllBytesAsync(path));
        Assert.Equal(0, await app.WithDbAsync(db => db.Recordings.CountAsync()));
        Assert.Equal(0, await app.WithDbAsync(db => db.IngestedFiles.CountAsync()));
        Assert.Empty(Directory.EnumerateFiles(app.StorePath, "*", SearchOption.AllDirectories));
        Assert.False(Directory.Exists(app.Quarantine) && Directory.EnumerateFiles(app.Quarantine, "*", SearchOption.AllDirectories).Any(), "a recording waiting for room must not be quarantined");

        // The administrator's Ingestion page says what is wrong and that the files wait.
        var page = await app.ClientAs(Roles.Administrator).GetStringAsync("/admin/ingestion");
        Assert.Contains("data-testid=\"ingestion-store-full\"", page);
        Assert.Contains(failed.Message.Split(" : ")[0], page); // "No space left on device", the path after it is HTML-encoded

        // An upload meanwhile is answered 507 with a message that says what happened, not 500 or "unreadable upload".
        var ingest = await app.KeyClientAsync(ApiKeyScopes.Ingest);
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(JsonSerializer.Serialize(new
        {
            callId = "1794816999.9", startedAt = "2026-11-16T08:20:00Z", callerNumber = "48601234999", calleeNumber = "201", extension = "201", type = "Incoming",
        }), System.Text.Encoding.UTF8, "application/json"), "metadata");
        var part = new ByteArrayContent(audio);
        part.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        form.Add(part, "audio", "call.wav");
        using var upload = await ingest.PostAsync("/api/v1/recordings", form);
        var body = await upload.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.InsufficientStorage, upload.StatusCode);
        Assert.Contains("disk is full", body, StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => db.Recordings.CountAsync()));

        // Room again: the same job (as a retry or the next sweep runs it) takes the file, and the warning goes.
        Assert.Equal(0, Run("mount", "-o", "remount,size=8m", app.StorePath).Exit);
        await job.RunAsync(path, CancellationToken.None);
        Assert.Equal(["1794816902.2"], await app.WithDbAsync(db => db.Recordings.Select(r => r.CallId).ToListAsync()));
        Assert.Null(app.Get<IngestionQueue>().StoreFull);
        Assert.DoesNotContain("ingestion-store-full", await app.ClientAs(Roles.Administrator).GetStringAsync("/admin/ingestion"));
    }
}
