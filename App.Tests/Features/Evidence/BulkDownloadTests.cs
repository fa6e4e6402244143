using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Tests.Features.Evidence;

/// <summary>An app whose ZIP limit is three recordings.</summary>
public sealed class DownloadApp : AppFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Downloads:MaxRecordings"] = "3" };
}

public sealed class BulkDownloadTests(DownloadApp app) : IClassFixture<DownloadApp>
{
    private async Task<Recording> AddAsync(string caller, int seconds, string team = "Reklamacje", string? caseNumber = null, string? tag = null)
    {
        var r = await TestData.AddWithAudioAsync(app, TestData.Recording(
            startedAt: new DateTime(2026, 11, 16, 8, 15, 2, DateTimeKind.Utc).AddMinutes(seconds), caller: caller, team: team, durationSeconds: seconds));
        await app.WithDbAsync(async db =>
        {
            if (caseNumber is not null) db.RecordingCases.Add(new RecordingCase { RecordingId = r.Id, CaseNumber = caseNumber, AddedAt = DateTime.UtcNow });
            if (tag is not null) db.RecordingTags.Add(new RecordingTag { RecordingId = r.Id, Tag = tag });
            await db.SaveChangesAsync();
        });
        return r;
    }

    private static async Task<ZipArchive> ZipOfAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
        return new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
    }

    private static string Read(ZipArchive zip, string name)
    {
        using var reader = new StreamReader(zip.GetEntry(name)!.Open(), Encoding.UTF8);
        return reader.ReadToEnd();
    }

    [Fact]
    public async Task Three_chosen_calls_come_as_one_zip_of_originals_under_readable_names_with_a_manifest_and_one_audit_entry()
    {
        var a = await AddAsync("+48 601 234 567", 11, caseNumber: "REK-2026/0113", tag: "dobra rozmowa");
        var b = await AddAsync("48221234567", 12, caseNumber: "REK-2026/0113");
        var c = await AddAsync("48500100200", 13);

        using var zip = await ZipOfAsync(await app.ClientAs(Roles.ComplaintHandler, email: "reklamacje@example.com")
            .PostAsJsonAsync("/api/v1/downloads", new { ids = new[] { c.Id, a.Id, b.Id } }));

        var audio = zip.Entries.Where(e => e.FullName.EndsWith(".wav")).ToList();
        // Local (Warsaw) time, the numbers as the PBX wrote them without spaces, in the order chosen.
        Assert.Equal([$"2026-11-16_09-28_48500100200_to_201_incoming_{c.Id}.wav", $"2026-11-16_09-26_+48601234567_to_201_incoming_{a.Id}.wav",
                $"2026-11-16_09-27_48221234567_to_201_incoming_{b.Id}.wav"],
            audio.Select(e => e.FullName));
        using (var stream = audio[1].Open())
        using (var copy = new MemoryStream())
        {
            await stream.CopyToAsync(copy);
            Assert.Equal(a.Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(copy.ToArray())));
        }
        var manifest = Read(zip, "manifest.csv").TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("id,file,startedAt,durationSeconds,callerNumber", manifest[0]);
        Assert.Equal(4, manifest.Length);
        Assert.Contains(manifest, l => l.StartsWith($"{a.Id},") && l.Contains(a.Sha256) && l.EndsWith(",REK-2026/0113,dobra rozmowa"));
        Assert.Contains("3 recording(s), 3 file(s)", Read(zip, "README.txt"));

        var entry = await app.WithDbAsync(db => db.AuditLog.Where(x => x.Action == AuditActions.Download && x.Actor == "reklamacje@example.com").SingleAsync());
        Assert.Null(entry.RecordingId);
        Assert.Contains($"\"recordings\":[{c.Id},{a.Id},{b.Id}]", entry.Details);
        Assert.Contains("\"count\":3", entry.Details);
    }

    [Fact]
    public async Task Too_many_none_unknown_or_out_of_scope_ids_are_refused_and_say_why()
    {
        var a = await AddAsync("48601000001", 21);
        var sales = await AddAsync("48601000002", 22, team: "Sprzedaż");
        var client = app.ClientAs(Roles.ComplaintHandler);

        var tooMany = await client.PostAsJsonAsync("/api/v1/downloads", new { ids = new[] { a.Id, sales.Id, a.Id + 1000, a.Id + 1001 } });
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Contains("At most 3 recordings", await tooMany.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("/api/v1/downloads", new { ids = Array.Empty<long>() })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/api/v1/downloads", new StringContent("ids=1", Encoding.UTF8, "text/plain"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("/api/v1/downloads", new { ids = new[] { -4L } })).StatusCode);

        var unknown = await client.PostAsJsonAsync("/api/v1/downloads", new { ids = new[] { a.Id, a.Id + 1000 } });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains($"{a.Id + 1000}", await unknown.Content.ReadAsStringAsync());
        // A team's quality manager cannot reach another team's call through a download either.
        var team = app.ClientAs(Roles.QualityManager, team: "Reklamacje", email: "qm@example.com");
        Assert.Equal(HttpStatusCode.NotFound, (await team.PostAsJsonAsync("/api/v1/downloads", new { ids = new[] { a.Id, sales.Id } })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientAs(Roles.Compliance).PostAsJsonAsync("/api/v1/downloads", new { ids = new[] { a.Id } })).StatusCode);
        Assert.Equal(0, await app.WithDbAsync(db => db.AuditLog.CountAsync(x => x.Action == AuditActions.Download && x.Actor == "qm@example.com")));
    }

    [Fact]
    public async Task The_panel_form_post_needs_its_antiforgery_token()
    {
        var a = await AddAsync("48601000003", 31);
        var b = await AddAsync("48601000004", 32);
        var (cookie, field, value) = app.AntiforgeryFor(TestAuth.Principal("tester@example.com", Roles.ComplaintHandler));
        HttpRequestMessage Post(bool token)
        {
            var form = new Dictionary<string, string> { ["ids"] = $"{a.Id},{b.Id}" };
            if (token) form[field] = value;
            var message = new HttpRequestMessage(HttpMethod.Post, "/api/v1/downloads") { Content = new FormUrlEncodedContent(form) };
            message.Headers.Add("Cookie", cookie);
            return message;
        }
        var client = app.ClientAs(Roles.ComplaintHandler);
        using var zip = await ZipOfAsync(await client.SendAsync(Post(token: true)));
        Assert.Equal(2, zip.Entries.Count(e => e.FullName.EndsWith(".wav")));
        Assert.Equal(HttpStatusCode.BadRequest, (await client.SendAsync(Post(token: false))).StatusCode);
    }
}
