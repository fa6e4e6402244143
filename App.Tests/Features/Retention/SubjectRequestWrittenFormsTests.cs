using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Features.Ingestion;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Features.Retention;
using NagrywanieRozmow.Shared.Zip;

namespace NagrywanieRozmow.Tests.Features.Retention;

/// <summary>A PBX that dials "0" for an outside line writes the person four ways; a request for the number finds all four.</summary>
public sealed class SubjectRequestWrittenFormsTests : IAsyncLifetime
{
    private const string Person = "+48 601 234 567";
    private static readonly string[] Forms = ["0601234567", "601234567", "0048601234567", "+48 601-234-567"];
    private static readonly AuditActor By = new("zgodnosc@example.com", "10.0.0.9");

    private sealed class OutsideLineApp : DeletionApp
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings) { ["PhoneNumbers:OutsideLinePrefixes:0"] = "0" };
    }

    private readonly OutsideLineApp app = new();
    private readonly List<long> person = [];
    private long stranger;

    public async Task InitializeAsync()
    {
        await app.InitializeAsync();
        // The first through ingestion as it happens, the others as rows; every one with digits made under these settings.
        person.Add(await UploadAsync(Forms[0]));
        var numbers = app.Services.GetRequiredService<NumberNormalizer>();
        for (var i = 1; i < Forms.Length; i++) person.Add((await AddAsync(numbers, Forms[i], durationSeconds: 2 + i)).Id);
        stranger = (await AddAsync(numbers, "0500100200", durationSeconds: 9)).Id;
        await app.WithDbAsync(async db =>
        {
            db.CdrRecords.AddRange([.. Forms.Select(f => Cdr(f, "201")), Cdr("202", "0601234567"), Cdr("0500100200", "201"), Cdr("+601234567", "203"), Cdr("0601234568", "204")]);
            await db.SaveChangesAsync();
        });
    }

    Task IAsyncLifetime.DisposeAsync() => ((IAsyncLifetime)app).DisposeAsync();

    private SubjectRequests Requests => app.Services.GetRequiredService<SubjectRequests>();

    private async Task<Recording> AddAsync(NumberNormalizer numbers, string caller, int durationSeconds)
    {
        var r = TestData.Recording(startedAt: DeletionApp.Now.AddDays(-durationSeconds), caller: caller, durationSeconds: durationSeconds);
        r.CallerDigits = numbers.Normalize(caller);
        return await TestData.AddWithAudioAsync(app, r);
    }

    private async Task<long> UploadAsync(string caller)
    {
        using var form = new MultipartFormDataContent
        {
            {
                new StringContent(JsonSerializer.Serialize(new
                {
                    callId = "1795000000.7", startedAt = "2026-11-25T08:15:02Z", callerNumber = caller, calleeNumber = "201", extension = "201", type = "Incoming",
                }), System.Text.Encoding.UTF8, "application/json"),
                "metadata"
            },
        };
        var part = new ByteArrayContent(TestData.Wav(1));
        part.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        form.Add(part, "audio", $"in-201-{caller}-20261125-091502-1795000000.7.wav");
        var created = await (await app.KeyClientAsync(ApiKeyScopes.Ingest)).PostAsync("/api/v1/recordings", form);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    private static CallDetailRecord Cdr(string source, string destination) => new()
    {
        UniqueId = null, Source = source, Destination = destination, Context = "from-pstn", DestinationChannel = "PJSIP/201-1",
        StartedAt = DeletionApp.Now.AddDays(-1), DurationSeconds = 30, BillSeconds = 28, Disposition = "ANSWERED", ReadAt = DeletionApp.Now,
    };

    [Fact]
    public async Task Every_written_form_is_found_in_the_recordings_and_the_call_records_and_nothing_else()
    {
        foreach (var typed in Forms.Append(Person))
        {
            var found = await Requests.FindAsync(typed);
            Assert.Equal(person.Order(), found.Recordings.Select(m => m.Recording.Id).Order());
            Assert.Equal(Forms.Append("202").Order(), found.CallRecords.Select(c => c.Source).Order());
        }
    }

    [Fact]
    public async Task The_export_holds_every_form()
    {
        using var output = new MemoryStream();
        var export = await Requests.ExportAsync(await Requests.FindAsync(Person), "RODO/2026/31", By);
        await StoredZip.WriteAsync(output, export.Items);

        using var zip = new ZipArchive(new MemoryStream(output.ToArray()), ZipArchiveMode.Read);
        Assert.Equal(4, zip.Entries.Count(e => e.FullName.StartsWith("audio/", StringComparison.Ordinal)));
        var calls = Read(zip, "call-records.csv");
        Assert.Equal(6, calls.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.All(Forms, f => Assert.Contains(f, calls));
        Assert.DoesNotContain("0500100200", calls);
    }

    [Fact]
    public async Task Erase_takes_every_form_and_leaves_the_rest()
    {
        var (_, receipt) = await Requests.EraseAsync(await Requests.FindAsync(Person), "RODO/2026/32", By);

        Assert.Equal(person.Order(), receipt.Done.Select(d => d.Id).Order());
        Assert.Equal([stranger], await app.WithDbAsync(db => db.Recordings.Select(r => r.Id).ToListAsync()));
        Assert.Equal(["+601234567", "0500100200", "0601234568"], await app.WithDbAsync(db => db.CdrRecords.OrderBy(c => c.Source).Select(c => c.Source).ToListAsync()));
        Assert.Equal(5, receipt.CallRecords);
        Assert.Null(await app.Services.GetRequiredService<AuditLog>().VerifyAsync());
    }

    private static string Read(ZipArchive zip, string name)
    {
        using var reader = new StreamReader(zip.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }
}
