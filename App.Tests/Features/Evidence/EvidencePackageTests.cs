using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Features.Evidence;
using NagrywanieRozmow.Features.Ingestion;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Tests.Features.Evidence;

public sealed class EvidencePackageTests : IAsyncLifetime
{
    private const string Case = "REK-2026/0113";
    private readonly AppFactory app = new();
    private Recording first = default!, second = default!;

    public async Task InitializeAsync()
    {
        await app.InitializeAsync();
        first = await AddAsync(11, Case);
        second = await AddAsync(12, Case, team: "Sprzedaż");
        await AddAsync(13, "REK-2026/0999");
        await app.WithDbAsync(async db =>
        {
            db.CdrRecords.Add(new CallDetailRecord
            {
                UniqueId = first.CallId, Source = first.CallerNumber, Destination = "201", Context = "from-pstn", DestinationChannel = "PJSIP/201-0000001",
                StartedAt = first.StartedAt, DurationSeconds = 11, BillSeconds = 10, Disposition = "ANSWERED", ReadAt = first.StartedAt,
            });
            await db.SaveChangesAsync();
        });
        await app.Services.GetRequiredService<AuditLog>().AppendAsync(new AuditActor("reklamacje@example.com", "10.0.0.7"), AuditActions.Listen, AuditOutcomes.Success, first.Id);
    }

    Task IAsyncLifetime.DisposeAsync() => ((IAsyncLifetime)app).DisposeAsync();

    private async Task<Recording> AddAsync(int seconds, string caseNumber, string team = "Reklamacje")
    {
        var r = TestData.Recording(startedAt: new DateTime(2026, 11, 16, 8, 0, 0, DateTimeKind.Utc).AddMinutes(seconds), durationSeconds: seconds, team: team);
        r.Cases.Add(new RecordingCase { CaseNumber = caseNumber, AddedAt = DateTime.UtcNow });
        return await TestData.AddWithAudioAsync(app, r);
    }

    private async Task<byte[]> ExportAsync(HttpClient? client = null)
    {
        var response = await (client ?? app.ClientAs(Roles.ComplaintHandler, email: "reklamacje@example.com")).GetAsync($"/api/v1/evidence?case={Uri.EscapeDataString(Case)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
        return bytes;
    }

    private async Task<EvidenceVerifier.Result> VerifyAsync(byte[] zip) =>
        await EvidenceVerifier.VerifyAsync(new MemoryStream(zip), new EvidenceTrust(await app.Services.GetRequiredService<EvidenceSigningKeys>().ReadAllAsync(), null));

    /// <summary>The same package with one entry's bytes replaced (a consistent ZIP: only the content differs).</summary>
    internal static byte[] Repack(byte[] zip, string name, Func<byte[], byte[]> change, string? add = null)
    {
        using var source = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        using var output = new MemoryStream();
        using (var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries)
            {
                using var read = entry.Open();
                using var copy = new MemoryStream();
                read.CopyTo(copy);
                var bytes = entry.FullName == name ? change(copy.ToArray()) : copy.ToArray();
                using var write = target.CreateEntry(entry.FullName, CompressionLevel.NoCompression).Open();
                write.Write(bytes);
            }
            if (add is not null)
            {
                using var extra = target.CreateEntry(add).Open();
                extra.Write("x"u8);
            }
        }
        return output.ToArray();
    }

    [Fact]
    public async Task The_package_holds_the_cases_recordings_cdr_history_and_a_signed_manifest_with_both_hashes()
    {
        var bytes = await ExportAsync();
        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        Assert.Equal(2, zip.Entries.Count(e => e.FullName.StartsWith("audio/")));
        Assert.Contains(zip.Entries, e => e.FullName == $"audio/2026-11-16_09-11_48601234567_to_201_incoming_{first.Id}.wav");
        foreach (var name in new[] { "cdr.csv", "access-history.csv", "README.txt", "manifest.json", "manifest.sha256", "manifest.sig", "VERIFY.md", "signing-key.pem" })
            Assert.NotNull(zip.GetEntry(name));

        using var manifestStream = zip.GetEntry("manifest.json")!.Open();
        var manifest = JsonDocument.Parse(manifestStream).RootElement;
        Assert.Equal(Case, manifest.GetProperty("case").GetString());
        var recording = manifest.GetProperty("recordings").EnumerateArray().Single(r => r.GetProperty("id").GetInt64() == first.Id);
        Assert.Equal(first.Sha256, recording.GetProperty("sha256AtIngestion").GetString());
        Assert.Equal(first.Sha256, recording.GetProperty("sha256AtExport").GetString());
        Assert.True(recording.GetProperty("unchangedSinceIngestion").GetBoolean());
        using (var cdr = new StreamReader(zip.GetEntry("cdr.csv")!.Open())) Assert.Contains(first.CallId, await cdr.ReadToEndAsync());
        using (var history = new StreamReader(zip.GetEntry("access-history.csv")!.Open())) Assert.Contains("reklamacje@example.com,10.0.0.7,recording.listen", await history.ReadToEndAsync());

        var entry = await app.WithDbAsync(db => db.AuditLog.SingleAsync(a => a.Action == AuditActions.EvidenceExport));
        Assert.Equal(("reklamacje@example.com", Case), (entry.Actor, entry.Reason));
        Assert.Contains($"\"recordings\":[{first.Id},{second.Id}]", entry.Details);

        var verified = await VerifyAsync(bytes);
        Assert.True(verified.Intact, string.Join("; ", verified.Problems));
    }

    [Fact]
    public async Task Verification_names_a_changed_byte_an_edited_manifest_and_an_added_file()
    {
        var bytes = await ExportAsync();
        var audio = $"audio/2026-11-16_09-12_48601234567_to_201_incoming_{second.Id}.wav";

        var oneByte = Repack(bytes, audio, b => { b[^1] ^= 0x01; return b; });
        var changed = await VerifyAsync(oneByte);
        Assert.False(changed.Intact);
        Assert.Equal([$"{audio}: changed"], changed.Problems.Select(p => p[..p.IndexOf(" (", StringComparison.Ordinal)]));

        // Flipping a byte in the raw archive (no repacking) is caught too: by the hash, or as an unreadable entry.
        var raw = (byte[])bytes.Clone();
        raw[raw.Length / 3] ^= 0x40;
        Assert.False((await VerifyAsync(raw)).Intact);

        var manifest = Repack(bytes, "manifest.json", b => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(b).Replace(first.Sha256, new string('0', 64))));
        Assert.Contains((await VerifyAsync(manifest)).Problems, p => p.StartsWith("manifest.json: changed"));

        var list = Repack(bytes, "manifest.sha256", b => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(b).Replace(first.Sha256, new string('0', 64))));
        Assert.Contains((await VerifyAsync(list)).Problems, p => p.StartsWith("manifest.sha256 does not match its signature"));

        var extra = Repack(bytes, "README.txt", b => b, add: "audio/extra.wav");
        Assert.Equal(["audio/extra.wav: added after export (not in the manifest)"], (await VerifyAsync(extra)).Problems);
    }

    [Fact]
    public async Task The_verify_command_says_ok_or_names_what_changed_and_sets_its_exit_code()
    {
        var bytes = await ExportAsync();
        var good = Path.Combine(app.Root, "evidence.zip");
        await File.WriteAllBytesAsync(good, bytes);
        var (ok, okText) = await app.RunCliAsync(EvidenceCli.VerifyAsync, good);
        Assert.Equal(0, ok);
        Assert.Contains($"OK: 7 files match the signed manifest (case {Case}, 2 recording(s)", okText);
        Assert.Contains("Signed with ECDSA P-256", okText);

        var bad = Path.Combine(app.Root, "evidence-changed.zip");
        await File.WriteAllBytesAsync(bad, Repack(bytes, "cdr.csv", b => [.. b, (byte)'\n']));
        var (fail, failText) = await app.RunCliAsync(EvidenceCli.VerifyAsync, bad);
        Assert.Equal(1, fail);
        Assert.Contains("CHANGED", failText);
        Assert.Contains("cdr.csv: changed", failText);
    }

    [Fact]
    public async Task A_file_changed_in_the_store_since_ingestion_is_flagged_in_the_manifest()
    {
        await File.WriteAllBytesAsync(Path.Combine(app.StorePath, first.StorageKey), [.. await File.ReadAllBytesAsync(Path.Combine(app.StorePath, first.StorageKey)), 0]);
        using var zip = new ZipArchive(new MemoryStream(await ExportAsync()), ZipArchiveMode.Read);
        using var manifestStream = zip.GetEntry("manifest.json")!.Open();
        var recording = JsonDocument.Parse(manifestStream).RootElement.GetProperty("recordings").EnumerateArray().Single(r => r.GetProperty("id").GetInt64() == first.Id);
        Assert.False(recording.GetProperty("unchangedSinceIngestion").GetBoolean());
        Assert.NotEqual(first.Sha256, recording.GetProperty("sha256AtExport").GetString());
        Assert.Contains($"\"changedSinceIngestion\":[{first.Id}]", (await app.WithDbAsync(db => db.AuditLog.SingleAsync(a => a.Action == AuditActions.EvidenceExport))).Details);
    }

    [Fact]
    public async Task An_unknown_case_an_empty_one_or_one_outside_the_team_is_refused()
    {
        var handler = app.ClientAs(Roles.ComplaintHandler);
        Assert.Equal(HttpStatusCode.NotFound, (await handler.GetAsync("/api/v1/evidence?case=NOPE-1")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await handler.GetAsync("/api/v1/evidence?case=")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientAs(Roles.Compliance).GetAsync($"/api/v1/evidence?case={Uri.EscapeDataString(Case)}")).StatusCode);
        // A team's manager gets only the team's part of the case.
        var bytes = await ExportAsync(app.ClientAs(Roles.QualityManager, team: "Reklamacje"));
        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        Assert.Single(zip.Entries, e => e.FullName.StartsWith("audio/"));
    }
}
