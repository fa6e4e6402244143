using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Features.Evidence;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Features.Retention;
using NagrywanieRozmow.Shared.Cli;

namespace NagrywanieRozmow.Tests.Features.Evidence;

/// <summary>
/// Evidence anyone can verify: a package is checked by openssl with nothing but the published public key, by
/// `evidence verify --public-key` without a database, old HMAC packages still verify (and say so), and a rotation keeps
/// what was signed before checkable.
/// </summary>
public sealed class EvidenceSigningTests : IAsyncLifetime
{
    private const string Case = "REK-2026/0113";
    private readonly AppFactory app = new();
    private Recording first = default!;

    public async Task InitializeAsync()
    {
        await app.InitializeAsync();
        first = await AddAsync(11);
        await AddAsync(12);
    }

    Task IAsyncLifetime.DisposeAsync() => ((IAsyncLifetime)app).DisposeAsync();

    private async Task<Recording> AddAsync(int seconds)
    {
        var r = TestData.Recording(startedAt: new DateTime(2026, 11, 16, 8, 0, 0, DateTimeKind.Utc).AddMinutes(seconds), durationSeconds: seconds);
        r.Cases.Add(new RecordingCase { CaseNumber = Case, AddedAt = DateTime.UtcNow });
        return await TestData.AddWithAudioAsync(app, r);
    }

    private async Task<byte[]> ExportAsync()
    {
        var response = await app.ClientAs(Roles.ComplaintHandler).GetAsync($"/api/v1/evidence?case={Uri.EscapeDataString(Case)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }

    private async Task<JsonElement[]> PublicKeysAsync()
    {
        var response = await app.AnonymousClient().GetAsync("/api/v1/evidence/public-key");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray().ToArray();
    }

    private string Save(string name, byte[] bytes)
    {
        var path = Path.Combine(app.Root, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static async Task<(int Exit, string Output)> RunAsync(string program, string folder, params string[] args)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        // No openssl: Process.Start throws and the test fails (it never skips).
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>What VERIFY.md tells a court to do, with openssl alone: the key's fingerprint, the list's signature, each file's hash.</summary>
    private static async Task<IReadOnlyList<string>> CheckWithOpensslAsync(string folder, string keyPem, string fingerprint)
    {
        var failures = new List<string>();
        await File.WriteAllTextAsync(Path.Combine(folder, "key.pem"), keyPem);
        var (derExit, derOutput) = await RunAsync("/usr/bin/openssl", folder, "pkey", "-pubin", "-in", "key.pem", "-outform", "DER", "-out", "key.der");
        Assert.True(derExit == 0, derOutput);
        var (_, digest) = await RunAsync("/usr/bin/openssl", folder, "dgst", "-sha256", "-r", "key.der");
        Assert.StartsWith(fingerprint, digest);

        var (exit, output) = await RunAsync("/usr/bin/openssl", folder, "dgst", "-sha256", "-verify", "key.pem", "-signature", "manifest.sig", "manifest.sha256");
        if (exit != 0 || !output.Contains("Verified OK")) failures.Add($"signature: {output.Trim()}");
        foreach (var line in (await File.ReadAllLinesAsync(Path.Combine(folder, "manifest.sha256"))).Where(l => l.Length > 0))
        {
            var (hashExit, hash) = await RunAsync("/usr/bin/openssl", folder, "dgst", "-sha256", "-r", line[66..]);
            if (hashExit != 0 || !hash.StartsWith(line[..64], StringComparison.Ordinal)) failures.Add($"{line[66..]}: {hash.Trim()}");
        }
        return failures;
    }

    private string Unpack(byte[] zip, string name)
    {
        var folder = Path.Combine(app.Root, name);
        ZipFile.ExtractToDirectory(new MemoryStream(zip), folder);
        return folder;
    }

    [Fact]
    public async Task Openssl_with_only_the_published_public_key_verifies_a_package_and_a_changed_byte_fails_it()
    {
        var zip = await ExportAsync();
        var key = Assert.Single(await PublicKeysAsync());
        var pem = key.GetProperty("pem").GetString()!;
        var fingerprint = key.GetProperty("fingerprint").GetString()!;

        var intact = Unpack(zip, "intact");
        Assert.Empty(await CheckWithOpensslAsync(intact, pem, fingerprint));
        var (sumExit, sumOutput) = await RunAsync("/usr/bin/sha256sum", intact, "-c", "manifest.sha256");
        Assert.True(sumExit == 0, sumOutput);
        Assert.Contains(fingerprint, await File.ReadAllTextAsync(Path.Combine(intact, "VERIFY.md")));

        // One byte of a recording: its hash no longer matches the signed list.
        var audio = $"audio/2026-11-16_09-11_48601234567_to_201_incoming_{first.Id}.wav";
        var changedAudio = Unpack(EvidencePackageTests.Repack(zip, audio, b => { b[^1] ^= 0x01; return b; }), "audio-changed");
        Assert.Equal([audio], (await CheckWithOpensslAsync(changedAudio, pem, fingerprint)).Select(f => f[..f.IndexOf(':')]));
        Assert.NotEqual(0, (await RunAsync("/usr/bin/sha256sum", changedAudio, "-c", "manifest.sha256")).Exit);

        // One byte of the signed list (its first hash made to match a forged file): the signature fails.
        var changedList = Unpack(EvidencePackageTests.Repack(zip, "manifest.sha256", b => { b[0] = (byte)(b[0] == (byte)'a' ? 'b' : 'a'); return b; }), "list-changed");
        Assert.Contains(await CheckWithOpensslAsync(changedList, pem, fingerprint), f => f.StartsWith("signature: Verification failure"));
    }

    [Fact]
    public async Task The_verify_command_with_a_public_key_needs_no_database_and_names_a_changed_byte()
    {
        var zip = await ExportAsync();
        var key = Assert.Single(await PublicKeysAsync());
        var pem = Save("key.pem", Encoding.ASCII.GetBytes(key.GetProperty("pem").GetString()!));
        // A service provider with nothing in it: the command may not reach for a database, a store or the app's keys.
        await using var nothing = new ServiceCollection().BuildServiceProvider();
        async Task<(int, string)> VerifyAsync(params string[] args)
        {
            var output = new StringWriter();
            return (await EvidenceCli.VerifyAsync(nothing, CliArgs.Parse(args), output), output.ToString());
        }

        var (ok, okText) = await VerifyAsync(Save("good.zip", zip), "--public-key", pem);
        Assert.Equal(0, ok);
        Assert.Contains($"OK: 7 files match the signed manifest (case {Case}, 2 recording(s)", okText);
        Assert.Contains($"Signed with ECDSA P-256, key {key.GetProperty("id").GetString()} (fingerprint {key.GetProperty("fingerprint").GetString()})", okText);

        var (changed, changedText) = await VerifyAsync(Save("changed.zip", EvidencePackageTests.Repack(zip, "cdr.csv", b => { b[^1] ^= 0x20; return b; })), "--public-key", pem);
        Assert.Equal(1, changed);
        Assert.Contains("cdr.csv: changed", changedText);

        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var otherPem = Save("other.pem", Encoding.ASCII.GetBytes(other.ExportSubjectPublicKeyInfoPem()));
        var (wrongKey, wrongKeyText) = await VerifyAsync(Save("good.zip", zip), "--public-key", otherPem);
        Assert.Equal(1, wrongKey);
        Assert.Contains("which is not the key given", wrongKeyText);
    }

    [Fact]
    public async Task A_package_signed_with_hmac_before_still_verifies_and_says_it_is_hmac()
    {
        var hmac = app.Services.GetRequiredService<EvidenceKey>();
        var path = Save("old.zip", LegacyHmacPackage(hmac.Bytes, hmac.Id));

        var (exit, text) = await app.RunCliAsync(EvidenceCli.VerifyAsync, path);
        Assert.Equal(0, exit);
        Assert.Contains("OK: 1 files match the signed manifest (case REK-2025/0007, 0 recording(s)", text);
        Assert.Contains($"Signed with HMAC-SHA256 (key {hmac.Id})", text);
        Assert.Contains("a third party cannot", text);

        var pem = Save("key.pem", Encoding.ASCII.GetBytes((await PublicKeysAsync())[0].GetProperty("pem").GetString()!));
        var (withKey, withKeyText) = await app.RunCliAsync(EvidenceCli.VerifyAsync, path, "--public-key", pem);
        Assert.Equal(1, withKey);
        Assert.Contains("it is signed with HMAC-SHA256", withKeyText);

        var changedPath = Save("old-changed.zip", EvidencePackageTests.Repack(File.ReadAllBytes(path), "cdr.csv", b => [.. b, 0x41]));
        var (changed, changedText) = await app.RunCliAsync(EvidenceCli.VerifyAsync, changedPath);
        Assert.Equal(1, changed);
        Assert.Contains("cdr.csv: changed", changedText);
    }

    /// <summary>A package as the panel made them before ECDSA signing (format 1): manifest.json and its HMAC in manifest.sig.</summary>
    private static byte[] LegacyHmacPackage(byte[] key, string keyId)
    {
        var cdr = "uniqueid,src\n1,48601234567\n"u8.ToArray();
        var manifest = new EvidenceManifest(EvidenceManifest.HmacFormat, "REK-2025/0007", new DateTime(2025, 3, 1, 9, 0, 0, DateTimeKind.Utc), "old@example.com", keyId, [],
            [new EvidenceFile("cdr.csv", Convert.ToHexStringLower(SHA256.HashData(cdr)), cdr.Length)]);
        var manifestBytes = JsonSerializer.SerializeToUtf8Bytes(manifest, EvidenceManifest.Json);
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in new[]
            {
                ("cdr.csv", cdr), ("manifest.json", manifestBytes),
                ("manifest.sig", Encoding.ASCII.GetBytes($"HMAC-SHA256 {Convert.ToHexStringLower(HMACSHA256.HashData(key, manifestBytes))}\nkey {keyId}\n")),
            })
            {
                using var stream = zip.CreateEntry(name).Open();
                stream.Write(bytes);
            }
        }
        return output.ToArray();
    }

    [Fact]
    public async Task A_rotation_keeps_earlier_packages_verifiable_lists_both_keys_with_their_periods_and_is_audited()
    {
        var before = Save("before.zip", await ExportAsync());
        var oldKey = Assert.Single(await PublicKeysAsync());

        var (rotated, rotatedText) = await app.RunCliAsync(EvidenceCli.RotateKeyAsync, "--reason", "yearly rotation");
        Assert.Equal(0, rotated);
        var after = Save("after.zip", await ExportAsync());

        var keys = await PublicKeysAsync();
        Assert.Equal(2, keys.Length);
        var (newKey, closed) = (keys[0], keys[1]);
        Assert.Equal(oldKey.GetProperty("fingerprint").GetString(), closed.GetProperty("fingerprint").GetString());
        Assert.Equal(JsonValueKind.Null, newKey.GetProperty("validUntil").ValueKind);
        Assert.Equal(newKey.GetProperty("validFrom").GetDateTime(), closed.GetProperty("validUntil").GetDateTime());
        Assert.True(closed.GetProperty("validFrom").GetDateTime() <= closed.GetProperty("validUntil").GetDateTime());
        Assert.Contains(newKey.GetProperty("fingerprint").GetString()!, rotatedText);

        // The app's keys check both; each package names the key that signed it, and the old public key alone still checks the old package.
        var (exitBefore, textBefore) = await app.RunCliAsync(EvidenceCli.VerifyAsync, before);
        Assert.Equal(0, exitBefore);
        Assert.Contains($"key {closed.GetProperty("id").GetString()} ", textBefore);
        var (exitAfter, textAfter) = await app.RunCliAsync(EvidenceCli.VerifyAsync, after);
        Assert.Equal(0, exitAfter);
        Assert.Contains($"key {newKey.GetProperty("id").GetString()} ", textAfter);
        var oldPem = Save("old.pem", Encoding.ASCII.GetBytes(closed.GetProperty("pem").GetString()!));
        Assert.Equal(0, (await app.RunCliAsync(EvidenceCli.VerifyAsync, before, "--public-key", oldPem)).Exit);
        Assert.Equal(1, (await app.RunCliAsync(EvidenceCli.VerifyAsync, after, "--public-key", oldPem)).Exit);

        var entries = await app.WithDbAsync(db => db.AuditLog.Where(a => a.Action.StartsWith("evidence.key")).OrderBy(a => a.Id).ToListAsync());
        Assert.Equal([AuditActions.EvidenceKeyCreated, AuditActions.EvidenceKeyRotated], entries.Select(e => e.Action));
        Assert.Equal((AuditActor.CommandLine.Name, "yearly rotation"), (entries[1].Actor, entries[1].Reason));
        Assert.Contains(closed.GetProperty("fingerprint").GetString()!, entries[1].Details);
        Assert.Contains(newKey.GetProperty("fingerprint").GetString()!, entries[1].Details);
    }

    [Fact]
    public async Task The_public_key_endpoint_answers_without_sign_in_with_each_keys_pem_fingerprint_and_period()
    {
        var response = await app.AnonymousClient().GetAsync("/api/v1/evidence/public-key");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.Public);
        var key = Assert.Single(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray());
        Assert.Equal(["id", "algorithm", "fingerprint", "pem", "validFrom", "validUntil"], key.EnumerateObject().Select(p => p.Name));
        Assert.Equal("ECDSA-P256-SHA256", key.GetProperty("algorithm").GetString());
        Assert.Equal(JsonValueKind.Null, key.GetProperty("validUntil").ValueKind);
        Assert.EndsWith("Z", key.GetProperty("validFrom").GetString());

        // The fingerprint is the SHA-256 of the key's SubjectPublicKeyInfo, and the id its first 16 digits.
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(key.GetProperty("pem").GetString());
        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(ecdsa.ExportSubjectPublicKeyInfo()));
        Assert.Equal(fingerprint, key.GetProperty("fingerprint").GetString());
        Assert.Equal(fingerprint[..16], key.GetProperty("id").GetString());

        // Made once on first use, and the same key answers again; the evidence page shows it to anyone signed in.
        Assert.Equal(fingerprint, Assert.Single(await PublicKeysAsync()).GetProperty("fingerprint").GetString());
        Assert.Equal(1, await app.WithDbAsync(db => db.AuditLog.CountAsync(a => a.Action == AuditActions.EvidenceKeyCreated)));
        var page = await app.ClientAs(Roles.Agent).GetStringAsync("/evidence");
        Assert.Contains($"data-fingerprint=\"{fingerprint}\"", page);
        Assert.Contains("BEGIN PUBLIC KEY", page);
        Assert.DoesNotContain("evidence-rotate", page);
        Assert.Contains("data-testid=\"evidence-rotate\"", await app.ClientAs(Roles.Administrator).GetStringAsync("/evidence"));
    }

    [Fact]
    public async Task A_data_subject_erasure_receipt_is_signed_and_checked_with_openssl_or_the_verify_command_and_a_public_key()
    {
        var receipt = new SubjectReceipt([new ReceiptItem(first.Id, first.CallId, first.StartedAt, first.Sha256)], [], 2);
        var request = new SubjectRequest
        {
            Kind = SubjectRequestKind.Erase, MaskedNumber = "48601****67", Reference = "RODO/2026/18", HandledBy = "zgodnosc@example.com",
            HandledAt = new DateTime(2026, 11, 20, 10, 0, 0, DateTimeKind.Utc), Receipt = receipt.ToJson(),
        };
        await app.WithDbAsync(async db => { db.Add(request); await db.SaveChangesAsync(); });

        var response = await app.ClientAs(Roles.Compliance).GetAsync($"/api/v1/subject-requests/{request.Id}/receipt.zip");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        var zip = await response.Content.ReadAsByteArrayAsync();
        var key = Assert.Single(await PublicKeysAsync());
        var folder = Unpack(zip, "receipt");
        Assert.Contains($"wniosek nr {request.Id}", await File.ReadAllTextAsync(Path.Combine(folder, "receipt.txt")));
        Assert.Contains(first.Sha256, await File.ReadAllTextAsync(Path.Combine(folder, "receipt.json")));
        Assert.Empty(await CheckWithOpensslAsync(folder, key.GetProperty("pem").GetString()!, key.GetProperty("fingerprint").GetString()!));

        var pem = Save("key.pem", Encoding.ASCII.GetBytes(key.GetProperty("pem").GetString()!));
        var (ok, okText) = await app.RunCliAsync(EvidenceCli.VerifyAsync, Save("receipt.zip", zip), "--public-key", pem);
        Assert.Equal(0, ok);
        Assert.Contains("OK: 4 files match the signed manifest.", okText);
        var changed = EvidencePackageTests.Repack(zip, "receipt.json", b => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(b).Replace("\"callRecords\": 2", "\"callRecords\": 0")));
        var (bad, badText) = await app.RunCliAsync(EvidenceCli.VerifyAsync, Save("receipt-changed.zip", changed), "--public-key", pem);
        Assert.Equal(1, bad);
        Assert.Contains("receipt.json: changed", badText);
    }

    [Fact]
    public async Task The_built_app_makes_and_rotates_keys_on_a_new_database_and_verifies_with_a_public_key_and_no_database()
    {
        var fresh = Path.Combine(app.Root, "fresh");
        Directory.CreateDirectory(fresh);
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings__Default"] = $"Data Source={Path.Combine(fresh, "app.db")}", ["Storage__RootPath"] = Path.Combine(fresh, "store"), ["Demo__Seed"] = "false",
        };
        // First use on a database whose Data Protection key ring is still empty: the key is made, then rotated.
        var rotated = await AppInstance.RunCliAsync(settings, "evidence", "rotate-key", "--reason", "first rotation");
        Assert.True(rotated.Exit == 0, rotated.Output + rotated.Errors);
        var listed = await AppInstance.RunCliAsync(settings, "evidence", "keys");
        Assert.True(listed.Exit == 0, listed.Output + listed.Errors);
        var lines = listed.Output.Trim().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Contains("current", lines[0]);
        Assert.Contains("until", lines[1]);

        // A database that cannot be reached: verifying with a public key must not need it.
        var zip = Save("package.zip", await ExportAsync());
        var pem = Save("key.pem", Encoding.ASCII.GetBytes(Assert.Single(await PublicKeysAsync()).GetProperty("pem").GetString()!));
        var noDatabase = new Dictionary<string, string>
        {
            ["Database__Provider"] = "PostgreSql", ["ConnectionStrings__Default"] = "Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none;Timeout=1",
        };
        var verified = await AppInstance.RunCliAsync(noDatabase, "evidence", "verify", zip, "--public-key", pem);
        Assert.True(verified.Exit == 0, verified.Output + verified.Errors);
        Assert.Contains("Signed with ECDSA P-256", verified.Output);
    }
}
