using System.IO.Compression;
using System.Net;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Features.Ingestion;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Features.Retention;
using NagrywanieRozmow.Shared.Zip;

namespace NagrywanieRozmow.Tests.Features.Retention;

public sealed class SubjectRequestTests : IAsyncLifetime
{
    private const string Person = "+48 601 234 567";
    private static readonly ClaimsPrincipal Officer = TestAuth.Principal("zgodnosc@example.com", Roles.Compliance);
    private static readonly AuditActor By = AuditActor.Of(Officer, "10.0.0.9");

    private readonly DeletionApp app = new();
    private Recording asCaller = default!, asCallee = default!, held = default!, stranger = default!, fragment = default!;

    public async Task InitializeAsync()
    {
        await app.InitializeAsync();
        // The same person written three ways by the PBX; a stranger; a number that merely contains the person's digits.
        asCaller = await AddAsync("+48601234567", "201", daysAgo: 3);
        asCallee = await AddAsync("202", "601234567", daysAgo: 10);
        held = await AddAsync("0048601234567", "203", daysAgo: 20);
        stranger = await AddAsync("48500100200", "201", daysAgo: 2);
        fragment = await AddAsync("48601234567890", "201", daysAgo: 1);
        await app.HoldAsync(held.Id);
        await app.WithDbAsync(async db =>
        {
            db.CdrRecords.AddRange(
                Cdr(asCaller.CallId, "+48601234567", "201"), Cdr(held.CallId, "0048601234567", "203"),
                Cdr(null, "601234567", "205"), Cdr(stranger.CallId, "48500100200", "201"));
            await db.SaveChangesAsync();
        });
        // Someone listened to one of them: the export's access history must say so.
        await app.Services.GetRequiredService<AuditLog>().AppendAsync(new AuditActor("reklamacje@example.com", null), AuditActions.Listen, AuditOutcomes.Success, asCaller.Id);
    }

    Task IAsyncLifetime.DisposeAsync() => ((IAsyncLifetime)app).DisposeAsync();

    private async Task<Recording> AddAsync(string caller, string callee, int daysAgo)
    {
        // A different length for each, so every file (and its SHA-256) is its own.
        var r = TestData.Recording(startedAt: DeletionApp.Now.AddDays(-daysAgo), caller: caller, callee: callee, durationSeconds: 1 + daysAgo);
        return await TestData.AddWithAudioAsync(app, r);
    }

    private static CallDetailRecord Cdr(string? uniqueId, string source, string destination) => new()
    {
        UniqueId = uniqueId, Source = source, Destination = destination, Context = "from-pstn", DestinationChannel = "PJSIP/201-1",
        StartedAt = DeletionApp.Now.AddDays(-1), DurationSeconds = 30, BillSeconds = 28, Disposition = "ANSWERED", ReadAt = DeletionApp.Now,
    };

    private SubjectRequests Requests => app.Services.GetRequiredService<SubjectRequests>();

    [Fact]
    public async Task The_whole_number_in_any_written_form_finds_every_call_on_either_side_and_nothing_else()
    {
        var found = await Requests.FindAsync(Person);

        Assert.Equal(new[] { asCaller.Id, asCallee.Id, held.Id }.Order(), found.Recordings.Select(m => m.Recording.Id).Order());
        Assert.Equal((2, 1, 1, 3), (found.AsCaller, found.AsCallee, found.OnHold, found.CallRecords.Count));
        Assert.Equal(["SPR-7/2026"], found.Recordings.Single(m => m.Recording.Id == held.Id).HoldCases);
        Assert.Equal("48601****67", found.Masked);
        Assert.Equal(found.Recordings.Select(m => m.Recording.Id), (await Requests.FindAsync("601-234-567")).Recordings.Select(m => m.Recording.Id));
        Assert.NotNull(SubjectRequests.CheckNumber("60123"));
        Assert.NotNull(SubjectRequests.CheckNumber("601 234 567; drop table"));
        Assert.Null(SubjectRequests.CheckNumber(Person));
    }

    [Fact]
    public async Task Export_gives_the_audio_unchanged_a_manifest_the_call_records_and_who_accessed_each_recording()
    {
        using var output = new MemoryStream();
        var export = await Requests.ExportAsync(await Requests.FindAsync(Person), "RODO/2026/17", By);
        await StoredZip.WriteAsync(output, export.Items);
        Assert.Equal(StoredZip.LengthOf(export.Items), output.Length);
        var request = export.Request;

        using var zip = new ZipArchive(new MemoryStream(output.ToArray()), ZipArchiveMode.Read);
        var audio = zip.Entries.Where(e => e.FullName.StartsWith("audio/")).ToList();
        Assert.Equal(3, audio.Count);
        var callerEntry = Assert.Single(audio, e => e.FullName.EndsWith($"_{asCaller.Id}.wav"));
        Assert.Equal($"audio/2026-11-28_10-00_+48601234567_to_201_incoming_{asCaller.Id}.wav", callerEntry.FullName);
        Assert.Equal(callerEntry.Length, callerEntry.CompressedLength);
        Assert.Equal(asCaller.StartedAt.AddHours(1), callerEntry.LastWriteTime.DateTime, TimeSpan.FromSeconds(2));
        using (var s = callerEntry.Open())
        using (var copy = new MemoryStream())
        {
            await s.CopyToAsync(copy);
            Assert.Equal(asCaller.Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(copy.ToArray())));
        }
        var manifest = Read(zip, "manifest.csv").Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, manifest.Length);
        Assert.Contains(manifest, line => line.StartsWith($"{held.Id},") && line.Contains("callee") == false && line.EndsWith(",yes,SPR-7/2026"));
        Assert.Contains(manifest, line => line.StartsWith($"{asCallee.Id},") && line.Contains(",callee,"));
        var json = JsonDocument.Parse(Read(zip, "manifest.json")).RootElement;
        Assert.Equal(3, json.GetProperty("recordings").GetArrayLength());
        Assert.Equal("RODO/2026/17", json.GetProperty("reference").GetString());
        Assert.Equal(4, Read(zip, "call-records.csv").Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        var history = Read(zip, "access-history.csv");
        Assert.Contains($"{asCaller.Id},reklamacje@example.com,recording.listen,success", history);
        Assert.Contains("48601****67", Read(zip, "README.txt"));

        var stored = await app.WithDbAsync(db => db.Set<SubjectRequest>().SingleAsync());
        Assert.Equal((request.Id, SubjectRequestKind.Export, "48601****67", "RODO/2026/17"), (stored.Id, stored.Kind, stored.MaskedNumber, stored.Reference));
        Assert.DoesNotContain("601234567", stored.Receipt + stored.MaskedNumber);
        var entry = Assert.Single(await app.AuditAsync(AuditActions.SubjectExport));
        Assert.Equal(("zgodnosc@example.com", "RODO/2026/17"), (entry.Actor, entry.Reason));
        Assert.DoesNotContain("601234567", entry.Details);
        // Nothing was changed by exporting.
        Assert.Equal(5, await app.WithDbAsync(db => db.Recordings.CountAsync()));
    }

    [Fact]
    public async Task Erase_takes_everything_not_on_hold_keeps_the_held_call_with_its_case_and_the_receipt_says_so()
    {
        var (request, receipt) = await Requests.EraseAsync(await Requests.FindAsync(Person), "RODO/2026/18", By);

        Assert.Equal(new[] { asCaller.Id, asCallee.Id }.Order(), receipt.Done.Select(d => d.Id).Order());
        var kept = Assert.Single(receipt.Kept);
        Assert.Equal((held.Id, "SPR-7/2026"), (kept.Id, Assert.Single(kept.Cases)));
        Assert.Equal(new[] { held.Id, stranger.Id, fragment.Id }.Order(), (await app.WithDbAsync(db => db.Recordings.Select(r => r.Id).ToListAsync())).Order());
        Assert.False(File.Exists(Path.Combine(app.StorePath, asCaller.StorageKey)));
        Assert.True(File.Exists(Path.Combine(app.StorePath, held.StorageKey)));
        var tombstones = await app.WithDbAsync(db => db.Set<RecordingTombstone>().OrderBy(t => t.Id).ToListAsync());
        Assert.All(tombstones, t => Assert.Equal((ErasureCause.SubjectRequest, "data-subject request RODO/2026/18"), (t.Cause, t.Rule)));
        // The CDR: the erased call's row and the unrecorded call's row go; the held call's and the stranger's stay.
        Assert.Equal(["0048601234567", "48500100200"], await app.WithDbAsync(db => db.CdrRecords.OrderBy(c => c.Source).Select(c => c.Source).ToListAsync()));
        Assert.Equal(2, receipt.CallRecords);

        var erase = Assert.Single(await app.AuditAsync(AuditActions.SubjectErase));
        Assert.Contains($"\"kept\":[{{\"id\":{held.Id},\"cases\":[\"SPR-7/2026\"]}}]", erase.Details);
        Assert.Equal(AuditOutcomes.Success, Assert.Single(await app.AuditAsync(AuditActions.RecordingDeleted)).Outcome);
        Assert.Null(await app.Services.GetRequiredService<AuditLog>().VerifyAsync());

        // The receipt, as the officer downloads it (Polish by default).
        var text = await (await app.ClientAs(Roles.Compliance).GetAsync($"/api/v1/subject-requests/{request.Id}/receipt")).Content.ReadAsStringAsync();
        Assert.Contains($"Potwierdzenie usunięcia danych — wniosek nr {request.Id}", text);
        Assert.Contains("RODO/2026/18", text);
        Assert.Contains(asCallee.Sha256, text);
        Assert.Contains($"nagranie {held.Id}", text);
        Assert.Contains("sprawa SPR-7/2026", text);
        Assert.DoesNotContain("601234567", text);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientAs(Roles.Administrator).GetAsync($"/api/v1/subject-requests/{request.Id}/receipt")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.ClientAs(Roles.Compliance).GetAsync($"/api/v1/subject-requests/{request.Id + 1}/receipt")).StatusCode);
    }

    [Fact]
    public async Task The_export_endpoint_takes_a_form_post_with_the_antiforgery_token_and_refuses_a_bad_number()
    {
        var client = app.ClientAs(Roles.Compliance, email: "zgodnosc@example.com");
        var (cookie, field, token) = app.AntiforgeryFor(TestAuth.Principal("zgodnosc@example.com", Roles.Compliance));

        HttpRequestMessage Post(string number, bool withToken = true)
        {
            var form = new Dictionary<string, string> { ["number"] = number, ["reference"] = "RODO/2026/19" };
            if (withToken) form[field] = token;
            var message = new HttpRequestMessage(HttpMethod.Post, "/api/v1/subject-requests/export") { Content = new FormUrlEncodedContent(form) };
            message.Headers.Add("Cookie", cookie);
            return message;
        }

        var response = await client.SendAsync(Post(Person));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
        Assert.Matches(@"subject-export-\d{4}-\d{2}-\d{2}-\d{4}\.zip", response.Content.Headers.ContentDisposition?.FileName);
        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        Assert.Equal(3, zip.Entries.Count(e => e.FullName.StartsWith("audio/")));

        var bad = await client.SendAsync(Post("12 34"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("whole phone number", await bad.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.SendAsync(Post(Person, withToken: false))).StatusCode);
        Assert.Single(await app.AuditAsync(AuditActions.SubjectExport));
    }

    private static string Read(ZipArchive zip, string name)
    {
        using var reader = new StreamReader(zip.GetEntry(name)!.Open(), Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
