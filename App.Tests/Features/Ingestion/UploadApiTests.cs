using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Features.Ingestion;

using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Tests.Features.Ingestion;

public sealed class UploadApiTests : IAsyncLifetime
{
    private readonly IngestionApp app = new();
    private HttpClient ingest = default!;

    public async Task InitializeAsync()
    {
        await app.InitializeAsync();
        ingest = await app.KeyClientAsync(ApiKeyScopes.Ingest);
    }

    public async Task DisposeAsync() => await ((IAsyncLifetime)app).DisposeAsync();

    private static string Metadata(string callId = "1794816902.2", string startedAt = "2026-11-16T08:15:02Z", string type = "Incoming") =>
        JsonSerializer.Serialize(new
        {
            callId, startedAt, callerNumber = "+48 601 234 567", calleeNumber = "201", extension = "201", type, team = "Reklamacje",
            caseNumbers = new[] { "REK-2026/0113" }, tags = new[] { "vip" },
            durationSeconds = 999, sha256 = "lies", // measured, never taken from the caller
        });

    private static MultipartFormDataContent Upload(string? metadata, byte[]? audio, string fileName = "call.wav", string contentType = "audio/wav")
    {
        var form = new MultipartFormDataContent();
        if (metadata is not null) form.Add(new StringContent(metadata, System.Text.Encoding.UTF8, "application/json"), "metadata");
        if (audio is not null)
        {
            var part = new ByteArrayContent(audio);
            part.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            form.Add(part, "audio", fileName);
        }
        return form;
    }

    private Task<int> CountAsync() => app.WithDbAsync(db => db.Recordings.CountAsync());

    [Fact]
    public async Task The_metadata_may_name_the_DID_the_caller_dialled_and_a_too_long_one_is_refused_by_name()
    {
        var with = JsonSerializer.Serialize(new
        {
            callId = "1794816902.8", startedAt = "2026-11-16T08:15:02Z", callerNumber = "48601234567", calleeNumber = "221234500",
            did = "221234500", extension = "201", type = "Incoming",
        });
        var created = await ingest.PostAsync("/api/v1/recordings", Upload(with, TestData.Wav(1)));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("221234500", (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("did").GetString());

        var tooLong = with.Replace("\"did\":\"221234500\"", $"\"did\":\"{new string('1', 81)}\"").Replace("1794816902.8", "1794816902.9");
        var refused = await ingest.PostAsync("/api/v1/recordings", Upload(tooLong, TestData.Wav(1)));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("did is longer than 80 characters", await refused.Content.ReadAsStringAsync());
        Assert.Equal(1, await CountAsync());
    }

    [Fact]
    public async Task An_erased_recording_sent_again_is_refused_as_gone_and_not_stored()
    {
        var audio = TestData.Wav(2);
        var created = await ingest.PostAsync("/api/v1/recordings", Upload(Metadata(), audio));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var eraser = app.Services.GetRequiredService<NagrywanieRozmow.Features.Retention.RecordingEraser>();
        await eraser.EraseAsync([new(id, "data subject request 7/2026")], ErasureCause.SubjectRequest, "compliance@example.com");

        var again = await ingest.PostAsync("/api/v1/recordings", Upload(Metadata(), audio));

        Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
        Assert.Contains("erased", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(0, await CountAsync());
        Assert.Empty(Directory.EnumerateFiles(app.StorePath, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task An_upload_becomes_a_recording_with_measured_facts_and_an_exact_duplicate_changes_nothing()
    {
        var audio = TestData.Wav(3);
        var created = await ingest.PostAsync("/api/v1/recordings", Upload(Metadata(), audio));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var json = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = json.GetProperty("id").GetInt64();
        Assert.Equal($"/api/v1/recordings/{id}", created.Headers.Location!.OriginalString);
        Assert.Equal("2026-11-16T08:15:02Z", json.GetProperty("startedAt").GetString());
        Assert.Equal(3.0, json.GetProperty("durationSeconds").GetDouble(), 1);
        Assert.Equal(audio.Length, json.GetProperty("sizeBytes").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(audio)), json.GetProperty("sha256").GetString());
        Assert.Equal("Reklamacje", json.GetProperty("team").GetString());
        Assert.Equal("REK-2026/0113", json.GetProperty("caseNumbers")[0].GetString());
        Assert.Equal("vip", json.GetProperty("tags")[0].GetString());

        var again = await ingest.PostAsync("/api/v1/recordings", Upload(Metadata(), audio));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(id, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64());

        // The same call with other audio is a second part of it.
        var part2 = await ingest.PostAsync("/api/v1/recordings", Upload(Metadata(), TestData.Wav(2, frequency: 600)));
        Assert.Equal(HttpStatusCode.Created, part2.StatusCode);
        Assert.Equal(2, await CountAsync());

        var entries = await app.WithDbAsync(db => db.AuditLog.Where(a => a.Action == AuditActions.Ingest && a.Outcome == AuditOutcomes.Success).ToListAsync());
        Assert.Equal(2, entries.Count);
        Assert.Contains(json.GetProperty("sha256").GetString()!, entries[0].Details);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(app.Root, "incoming"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Bad_metadata_is_refused_field_by_field_and_nothing_is_stored()
    {
        var bad = JsonSerializer.Serialize(new { callId = "../etc", startedAt = "2026-11-16 09:15", callerNumber = "", type = "Fax" });
        var response = await ingest.PostAsync("/api/v1/recordings", Upload(bad, TestData.Wav(1)));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;
        foreach (var expected in new[] { "callId '../etc'", "startedAt '2026-11-16 09:15'", "callerNumber is empty", "calleeNumber is required", "extension is required", "type 'Fax'" })
            Assert.Contains(expected, detail);
        Assert.Equal(0, await CountAsync());

        var notJson = await ingest.PostAsync("/api/v1/recordings", Upload("{oops", TestData.Wav(1)));
        Assert.Contains("not valid JSON", await notJson.Content.ReadAsStringAsync());
        var refused = await app.WithDbAsync(db => db.AuditLog.CountAsync(a => a.Action == AuditActions.Ingest && a.Outcome == AuditOutcomes.Failed));
        Assert.Equal(2, refused);
    }

    [Theory]
    [InlineData("missing-metadata", HttpStatusCode.BadRequest, "no 'metadata' part")]
    [InlineData("missing-audio", HttpStatusCode.BadRequest, "no 'audio' file part")]
    [InlineData("empty", HttpStatusCode.BadRequest, "empty (0 bytes)")]
    [InlineData("path", HttpStatusCode.BadRequest, "contains a path")]
    [InlineData("too-large", HttpStatusCode.RequestEntityTooLarge, "over the 1 MB limit")]
    [InlineData("not-multipart", HttpStatusCode.UnsupportedMediaType, "multipart/form-data")]
    public async Task Broken_uploads_get_a_status_and_a_reason(string kind, HttpStatusCode status, string reason)
    {
        HttpContent content = kind switch
        {
            "missing-metadata" => Upload(null, TestData.Wav(1)),
            "missing-audio" => Upload(Metadata(), null),
            "empty" => Upload(Metadata(), []),
            "path" => Upload(Metadata(), TestData.Wav(1), fileName: "../../etc/cron.d/x.wav"),
            "too-large" => Upload(Metadata(), TestData.Wav(70)), // 8 kHz 16-bit: 1.1 MB
            _ => new StringContent(Metadata(), System.Text.Encoding.UTF8, "application/json"),
        };
        var response = await ingest.PostAsync("/api/v1/recordings", content);
        Assert.Equal(status, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await CountAsync());
        Assert.False(Directory.Exists(Path.Combine(app.Root, "etc")));
    }

    [Fact]
    public async Task Audio_that_is_not_what_it_claims_is_quarantined_with_its_metadata_and_listed()
    {
        var lying = await ingest.PostAsync("/api/v1/recordings", Upload(Metadata(), TestData.Wav(1), "call.mp3", "audio/mpeg"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, lying.StatusCode);
        Assert.Contains("says it is audio/mpeg but its bytes are WAV", await lying.Content.ReadAsStringAsync());

        var pdf = await ingest.PostAsync("/api/v1/recordings", Upload(Metadata("1794816902.3"), "%PDF-1.7 not audio at all"u8.ToArray(), "call.wav", "audio/wav"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, pdf.StatusCode);
        Assert.Contains("not audio", await pdf.Content.ReadAsStringAsync());

        Assert.Equal(0, await CountAsync());
        var held = await app.WithDbAsync(db => db.IngestedFiles.Where(f => f.Outcome == IngestOutcome.Rejected).OrderBy(f => f.Id).ToListAsync());
        Assert.Equal([RejectKind.WrongContentType, RejectKind.NotAudio], held.Select(f => f.Problem!.Value));
        foreach (var file in held)
        {
            Assert.True(File.Exists(file.QuarantinedAs));
            Assert.Contains("\"callId\"", File.ReadAllText(file.QuarantinedAs + ".json"));
        }
    }

    [Fact]
    public async Task Only_an_ingest_key_may_upload()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.AnonymousClient().PostAsync("/api/v1/recordings", Upload(Metadata(), TestData.Wav(1)))).StatusCode);
        var read = await app.KeyClientAsync(ApiKeyScopes.Read);
        Assert.Equal(HttpStatusCode.Forbidden, (await read.PostAsync("/api/v1/recordings", Upload(Metadata(), TestData.Wav(1)))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientAs(Roles.Administrator).PostAsync("/api/v1/recordings", Upload(Metadata(), TestData.Wav(1)))).StatusCode);
        Assert.Equal(0, await CountAsync());
    }
}
