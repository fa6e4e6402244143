using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Features.Ingestion;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Tests.Features.Ingestion;

public sealed class IngestSpoolTests : IAsyncLifetime
{
    private readonly SpoolApp app = new();
    private string Spool => app.SpoolCopy;

    public Task InitializeAsync() => app.InitializeAsync();
    public async Task DisposeAsync() => await ((IAsyncLifetime)app).DisposeAsync();

    private Task<(int Exit, string Output)> IngestAsync() => app.RunCliAsync(IngestCli.RunAsync, "--path", Spool);

    [Fact]
    public async Task The_sample_spool_becomes_what_expected_json_says()
    {
        var (exit, output) = await IngestAsync();
        Assert.Equal(3, exit); // some files were rejected: the exit code says so
        // The 0-byte and the header-only files are unanswered calls, not rejections; the truncated and the HTML file are.
        Assert.Contains("accepted 9, duplicate 0, rejected 2, unanswered (header only) 2", output);

        var recordings = await app.WithDbAsync(db => db.Recordings.AsNoTracking().ToListAsync());
        using var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures/freepbx-spool/expected.json")));
        foreach (var e in expected.RootElement.EnumerateArray())
        {
            var callId = e.GetProperty("uniqueid").GetString();
            var row = recordings.SingleOrDefault(r => r.CallId == callId);
            if (!e.GetProperty("accepted").GetBoolean())
            {
                Assert.Null(row);
                continue;
            }
            Assert.NotNull(row);
            Assert.Equal(e.GetProperty("started_utc").GetDateTime().ToUniversalTime(), row.StartedAt);
            Assert.InRange(row.DurationMs / 1000.0, e.GetProperty("seconds").GetDouble() - 0.1, e.GetProperty("seconds").GetDouble() + 0.1);
            Assert.Equal(e.GetProperty("channels").GetInt32(), row.Channels);
            Assert.Equal(e.GetProperty("from").GetString(), row.CallerNumber);
            Assert.Equal(e.GetProperty("to").GetString(), row.CalleeNumber);
            Assert.Equal(e.GetProperty("did").GetString(), row.Did);
            var panelType = e.GetProperty("panel_type").GetString();
            // "from the CDR": the sample's rg and ondemand calls came from outside (from-trunk, or a ring group rung by an
            // outside number), so the CDR makes them incoming and the type is no longer a guess.
            Assert.Equal(panelType == "from the CDR" ? CallType.Incoming : Enum.Parse<CallType>(panelType!), row.Type);
            Assert.False(row.TypeIsGuess);
            if (e.GetProperty("extension").GetString() is { } extension) Assert.Equal(extension, row.Extension);

            // The original is kept byte for byte.
            await using var stored = await app.Store.OpenReadAsync(row.StorageKey, CancellationToken.None);
            var original = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures/freepbx-spool", e.GetProperty("file").GetString()!));
            using var copy = new MemoryStream();
            await stored!.CopyToAsync(copy);
            Assert.Equal(original, copy.ToArray());
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(original)), row.Sha256);
        }

        Assert.Equal("400", recordings.Single(r => r.CallId == "1794900612.6").Queue);
        Assert.Equal("600", recordings.Single(r => r.CallId == "1794914100.7").Queue);
        // Where expected.json leaves the extension open: the calling extension of an internal call, and the phone the CDR
        // names for an on-demand recording.
        Assert.Equal("201", recordings.Single(r => r.CallId == "1795006801.8").Extension);
        Assert.Equal("202", recordings.Single(r => r.CallId == "1795077000.11").Extension);
        Assert.Equal("48601234567", recordings.Single(r => r.CallId == "1794816902.3").CallerDigits);
    }

    [Fact]
    public async Task Rejected_files_are_moved_to_quarantine_with_their_reason_never_deleted()
    {
        await IngestAsync();
        var rejected = await app.WithDbAsync(db => db.IngestedFiles.AsNoTracking().Where(f => f.Outcome == IngestOutcome.Rejected || f.Outcome == IngestOutcome.Unanswered).ToListAsync());
        Assert.Equal(4, rejected.Count);
        Assert.Equal(2, rejected.Count(f => f.Outcome == IngestOutcome.Unanswered));
        foreach (var file in rejected)
        {
            Assert.False(File.Exists(file.SourcePath));
            Assert.True(File.Exists(file.QuarantinedAs), file.QuarantinedAs);
            Assert.False(string.IsNullOrWhiteSpace(file.Reason));
        }
        Assert.Contains(rejected, f => f.Reason!.Contains("truncated"));
        Assert.Contains(rejected, f => f.Outcome == IngestOutcome.Unanswered && f.Reason!.Contains("unanswered call"));
    }

    [Fact]
    public async Task A_second_pass_changes_nothing_and_the_same_call_with_new_content_becomes_a_second_part()
    {
        await IngestAsync();
        var (_, again) = await IngestAsync();
        Assert.Contains("accepted 0, duplicate 9, rejected 0", again);
        Assert.Equal(9, await app.WithDbAsync(db => db.Recordings.CountAsync()));

        // The PBX writes the same call again under another folder with different audio: a second part of that call.
        var part2 = Path.Combine(Spool, "monitor/2026/11/16/b/in-221234500-48601234567-20261116-091502-1794816902.3.wav");
        Directory.CreateDirectory(Path.GetDirectoryName(part2)!);
        await File.WriteAllBytesAsync(part2, TestData.Wav(5));
        var (_, third) = await IngestAsync();
        Assert.Contains("accepted 1, duplicate 9", third);
        var parts = await app.WithDbAsync(db => db.Recordings.Where(r => r.CallId == "1794816902.3").Select(r => r.StorageKey).ToListAsync());
        Assert.Equal(2, parts.Distinct().Count());
    }

    private sealed class SpoolApp : AppFactory
    {
        public string SpoolCopy => Path.Combine(Root, "spool");

        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Ingestion:QuarantinePath"] = Path.Combine(Root, "quarantine"),
        };

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            var source = Path.Combine(AppContext.BaseDirectory, "Fixtures/freepbx-spool");
            foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(SpoolCopy, Path.GetRelativePath(source, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
        }
    }
}
