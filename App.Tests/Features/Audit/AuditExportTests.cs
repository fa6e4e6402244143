using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NagrywanieRozmow.Features.Audit;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Tests.Features.Audit;

/// <summary>
/// A small audit log written at known times (Warsaw is UTC+1 in November): two recordings, five entries, one of them with a
/// reason full of CSV punctuation and one that a spreadsheet would run as a formula.
/// </summary>
public sealed class AuditLogFixture : AppFactory
{
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero));
    public Recording Customer { get; private set; } = default!;
    public Recording Other { get; private set; } = default!;
    public AuditEntry AnnaListened { get; private set; } = default!;
    public AuditEntry PiotrDownloaded { get; private set; } = default!;
    public AuditEntry AnnaRefused { get; private set; } = default!;
    public AuditEntry FormulaReason { get; private set; } = default!;
    public AuditEntry KeySearched { get; private set; } = default!;

    public const string TrickyReason = "no such recording, or \"outside\" the\nscope";
    public const string Formula = "=HYPERLINK(\"http://evil.example\",\"click\")";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Customer = await TestData.AddAsync(this, TestData.Recording(caller: "+48 601 234 567"));
        Other = await TestData.AddAsync(this, TestData.Recording(caller: "48221112233", callee: "202"));
        var log = Services.GetRequiredService<AuditLog>();

        AnnaListened = await log.AppendAsync("anna@example.com", AuditActions.Listen, AuditOutcomes.Success, Customer.Id, ip: "10.0.0.5");
        Clock.SetUtcNow(new DateTimeOffset(2026, 11, 21, 22, 30, 0, TimeSpan.Zero));      // 23:30 on the 21st in Warsaw
        PiotrDownloaded = await log.AppendAsync("piotr@example.com", AuditActions.Download, AuditOutcomes.Success, Other.Id, ip: "10.0.0.6");
        Clock.SetUtcNow(new DateTimeOffset(2026, 11, 21, 23, 30, 0, TimeSpan.Zero));      // 00:30 on the 22nd in Warsaw
        AnnaRefused = await log.AppendAsync("Anna@Example.com", AuditActions.RecordingAccess, AuditOutcomes.Denied, Other.Id, reason: TrickyReason, ip: "10.0.0.5");
        Clock.SetUtcNow(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero));
        FormulaReason = await log.AppendAsync("admin@example.com", AuditActions.SettingChanged, AuditOutcomes.Success, reason: Formula,
            details: AuditLog.Details(new { key = "retention", from = 90, to = 120 }));
        KeySearched = await log.AppendAsync("apikey:crm", AuditActions.Search, AuditOutcomes.Success, details: AuditLog.Details(new { number = "601" }));
        // Exports and refusals made by the tests are written later, outside the seeded days.
        Clock.SetUtcNow(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));
    }
}

public sealed class AuditExportTests(AuditLogFixture app) : IClassFixture<AuditLogFixture>
{
    private static readonly string Header = string.Join(',', AuditApi.CsvColumns);

    [Theory]
    [InlineData(Roles.Compliance)]
    [InlineData(Roles.Administrator)]
    public async Task Compliance_and_administrators_get_the_whole_log_as_an_excel_friendly_csv(string role)
    {
        var response = await app.ClientAs(role).GetAsync("/api/v1/audit/export");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("audit-20261124-1000.csv", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));   // Warsaw time
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);

        var rows = ParseCsv(Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3));
        Assert.Equal(Header, string.Join(',', rows[0]));
        var seeded = new[] { KeySearched, FormulaReason, AnnaRefused, PiotrDownloaded, AnnaListened };
        var ids = rows.Skip(1).Select(r => long.Parse(r[0])).ToList();
        Assert.Equal(seeded.Select(e => e.Id), ids.Where(id => seeded.Any(e => e.Id == id)));   // newest first
        var listened = rows.Single(r => r[0] == AnnaListened.Id.ToString());
        Assert.Equal(
            [AnnaListened.Id.ToString(), "2026-11-20T10:00:00.000Z", "anna@example.com", "10.0.0.5", "recording.listen", app.Customer.Id.ToString(), "success", "", "", AnnaListened.Hash],
            listened);
    }

    [Theory]
    [InlineData("actor=ANNA", "AnnaRefused,AnnaListened")]
    [InlineData("actor=apikey%3Acrm", "KeySearched")]
    [InlineData("action=recording.download", "PiotrDownloaded")]
    [InlineData("recording={other}", "AnnaRefused,PiotrDownloaded")]
    [InlineData("number=601+234", "AnnaListened")]
    [InlineData("number=221112", "AnnaRefused,PiotrDownloaded")]
    [InlineData("from=2026-11-22&to=2026-11-22", "KeySearched,FormulaReason,AnnaRefused")]
    [InlineData("to=2026-11-21", "PiotrDownloaded,AnnaListened")]
    [InlineData("outcome=denied&actor=anna", "AnnaRefused")]
    [InlineData("actor=anna&recording={customer}", "AnnaListened")]
    public async Task Each_filter_narrows_the_export_to_the_matching_entries(string filter, string expected)
    {
        var query = filter.Replace("{other}", app.Other.Id.ToString()).Replace("{customer}", app.Customer.Id.ToString());
        var rows = await ExportAsync(query);
        Assert.Equal(Header, string.Join(',', rows[0]));
        Assert.Equal(expected.Split(',').Select(name => Named(name).Id), rows.Skip(1).Select(r => long.Parse(r[0])));
    }

    [Fact]
    public async Task A_cell_a_spreadsheet_would_run_as_a_formula_is_written_as_text()
    {
        var response = await app.ClientAs(Roles.Compliance).GetAsync("/api/v1/audit/export?action=setting.changed");
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(",\"=HYPERLINK", text);
        var row = ParseCsv(text.TrimStart('\uFEFF')).Single(r => r[0] == FormulaReason.Id.ToString());
        Assert.Equal("'" + AuditLogFixture.Formula, row[7]);
        Assert.Equal("{\"key\":\"retention\",\"from\":90,\"to\":120}", row[8]);
    }

    [Fact]
    public async Task Commas_quotes_and_line_breaks_survive_the_round_trip()
    {
        var response = await app.ClientAs(Roles.Compliance).GetAsync($"/api/v1/audit/export?recording={app.Other.Id}&outcome=denied");
        var text = (await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF');
        Assert.Contains("\"no such recording, or \"\"outside\"\" the\nscope\"", text);
        var rows = ParseCsv(text);
        Assert.Equal(2, rows.Count);
        Assert.Equal(AuditLogFixture.TrickyReason, rows[1][7]);
        Assert.Equal("Anna@Example.com", rows[1][2]);
    }

    [Theory]
    [InlineData(Roles.QualityManager)]
    [InlineData(Roles.ComplaintHandler)]
    [InlineData(Roles.Agent)]
    public async Task Other_roles_are_refused_the_log(string role)
    {
        var client = app.ClientAs(role);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/audit/export")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/audit")).StatusCode);
    }

    [Fact]
    public async Task Without_sign_in_the_log_answers_401()
    {
        var client = app.AnonymousClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/audit/export")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/audit")).StatusCode);
    }

    [Theory]
    [InlineData("action=recording.play", "action")]
    [InlineData("from=2026-13-01", "from")]
    [InlineData("from=2026-11-22&to=2026-11-20", "to")]
    [InlineData("recording=abc", "recording")]
    [InlineData("number=anna", "number")]
    [InlineData("outcome=maybe", "outcome")]
    [InlineData("who=anna", "who")]
    public async Task A_bad_filter_is_refused_naming_the_field(string query, string field)
    {
        foreach (var path in new[] { "/api/v1/audit/export", "/api/v1/audit" })
        {
            var response = await app.ClientAs(Roles.Compliance).GetAsync($"{path}?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            var errors = problem.GetProperty("errors");
            Assert.True(errors.TryGetProperty(field, out var messages), $"{path}?{query}: {errors}");
            Assert.Contains(field, messages[0].GetString());
        }
    }

    [Fact]
    public async Task An_export_is_itself_written_to_the_log_with_its_filters()
    {
        const string who = "exporting-auditor@example.com";
        var response = await app.ClientAs(Roles.Compliance, email: who).GetAsync("/api/v1/audit/export?action=recording.download&from=2026-11-21");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var entry = await app.WithDbAsync(db => db.AuditLog.AsNoTracking().SingleAsync(a => a.Actor == who));
        Assert.Equal(AuditActions.AuditExport, entry.Action);
        Assert.Equal(AuditOutcomes.Success, entry.Outcome);
        var details = JsonDocument.Parse(entry.Details!).RootElement;
        Assert.Equal("recording.download", details.GetProperty("action").GetString());
        Assert.Equal("2026-11-20T23:00:00.0000000Z", details.GetProperty("from").GetString());   // midnight in Warsaw

        var bad = await app.ClientAs(Roles.Compliance, email: "refused-" + who).GetAsync("/api/v1/audit/export?action=nope");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.False(await app.WithDbAsync(db => db.AuditLog.AnyAsync(a => a.Actor == "refused-" + who)));
    }

    [Fact]
    public async Task The_json_list_pages_through_the_matching_entries()
    {
        var client = app.ClientAs(Roles.Administrator);
        var first = await client.GetFromJsonAsync<JsonElement>("/api/v1/audit?actor=anna&pageSize=1");
        var second = await client.GetFromJsonAsync<JsonElement>("/api/v1/audit?actor=anna&pageSize=1&page=2");
        var third = await client.GetFromJsonAsync<JsonElement>("/api/v1/audit?actor=anna&pageSize=1&page=3");
        Assert.Equal(2, first.GetProperty("total").GetInt32());
        Assert.False(first.GetProperty("totalIsEstimate").GetBoolean());
        var newest = Assert.Single(first.GetProperty("items").EnumerateArray());
        Assert.Equal(AnnaRefused.Id, newest.GetProperty("id").GetInt64());
        Assert.Equal("recording.access", newest.GetProperty("action").GetString());
        Assert.Equal(AuditLogFixture.TrickyReason, newest.GetProperty("reason").GetString());
        Assert.Equal("2026-11-21T23:30:00Z", newest.GetProperty("at").GetString());
        Assert.Equal(AnnaListened.Id, Assert.Single(second.GetProperty("items").EnumerateArray()).GetProperty("id").GetInt64());
        Assert.Empty(third.GetProperty("items").EnumerateArray());

        var tooBig = await client.GetAsync("/api/v1/audit?pageSize=201");
        Assert.Equal(HttpStatusCode.BadRequest, tooBig.StatusCode);
    }

    private AuditEntry AnnaListened => app.AnnaListened;
    private AuditEntry AnnaRefused => app.AnnaRefused;
    private AuditEntry PiotrDownloaded => app.PiotrDownloaded;
    private AuditEntry FormulaReason => app.FormulaReason;
    private AuditEntry KeySearched => app.KeySearched;

    private AuditEntry Named(string name) => name switch
    {
        nameof(AnnaListened) => AnnaListened,
        nameof(AnnaRefused) => AnnaRefused,
        nameof(PiotrDownloaded) => PiotrDownloaded,
        nameof(FormulaReason) => FormulaReason,
        nameof(KeySearched) => KeySearched,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    private async Task<List<string[]>> ExportAsync(string query)
    {
        var response = await app.ClientAs(Roles.Compliance).GetAsync("/api/v1/audit/export?" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return ParseCsv((await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF'));
    }

    /// <summary>An RFC 4180 reader, as a spreadsheet would read the file: quoted cells may hold commas, quotes and line breaks.</summary>
    private static List<string[]> ParseCsv(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else cell.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { row.Add(cell.ToString()); cell.Clear(); }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(cell.ToString()); cell.Clear();
                rows.Add([.. row]); row.Clear();
                i++;
            }
            else cell.Append(c);
        }
        Assert.False(quoted, "a quoted cell is never closed");
        Assert.True(cell.Length == 0 && row.Count == 0, "the last row does not end with CRLF");
        return rows;
    }
}
