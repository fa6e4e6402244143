using System.Globalization;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Shared.Api;
using NagrywanieRozmow.Shared.Time;

using NagrywanieRozmow.Shared.Csv;

namespace NagrywanieRozmow.Features.Audit;

public sealed record AuditEntryJson(
    long Id, DateTime At, string Actor, string? Ip, string Action, long? RecordingId, string Outcome, string? Reason, string? Details, string Hash);

public sealed record AuditListResponse(IReadOnlyList<AuditEntryJson> Items, int Total, bool TotalIsEstimate);

public static class AuditApi
{
    public static readonly string[] CsvColumns = ["id", "at_utc", "actor", "ip", "action", "recording_id", "outcome", "reason", "details", "hash"];

    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/audit").RequireAuthorization(Policies.ViewAudit).WithTags("Audit");
        group.MapGet("/", ListAsync).WithSummary("Search the audit log").WithQueryParameters(AuditQuery.Known);
        group.MapGet("/export", ExportAsync).WithSummary("Export the audit log as CSV").WithQueryParameters(AuditQuery.Known).Produces<Stream>(StatusCodes.Status200OK, "text/csv");
        return app;
    }

    private static async Task<Results<Ok<AuditListResponse>, ValidationProblem>> ListAsync(
        HttpRequest request, IDbContextFactory<AppDbContext> dbs, DisplayTime time, CancellationToken ct)
    {
        var query = AuditQuery.Parse(request.Query, time);
        if (!query.IsValid) return TypedResults.ValidationProblem(query.Errors, title: "The audit filters have invalid values.");
        await using var db = await dbs.CreateDbContextAsync(ct);
        var page = await query.Filter.PageAsync(db, request.HttpContext.User, (query.Page - 1) * query.PageSize, query.PageSize,
            a => new AuditEntryJson(a.Id, a.At, a.Actor, a.ActorIp, a.Action, a.RecordingId, a.Outcome, a.Reason, a.Details, a.Hash), ct);
        return TypedResults.Ok(new AuditListResponse(page.Rows, page.Total, page.TotalIsEstimate));
    }

    private static async Task<IResult> ExportAsync(
        HttpContext http, IDbContextFactory<AppDbContext> dbs, DisplayTime time, TimeProvider clock, AuditLog audit)
    {
        var query = AuditQuery.Parse(http.Request.Query, time);
        if (!query.IsValid) return TypedResults.ValidationProblem(query.Errors, title: "The audit filters have invalid values.");
        // Written before the first row goes out: an export that is cut off half-way was still an export.
        await audit.AppendAsync(http, AuditActions.AuditExport, AuditOutcomes.Success, details: query.Filter.Describe());
        var fileName = $"audit-{time.ToLocal(clock.GetUtcNow().UtcDateTime):yyyyMMdd-HHmm}.csv";
        return TypedResults.Stream(body => WriteCsvAsync(body, dbs, query.Filter, http.User, http.RequestAborted), "text/csv; charset=utf-8", fileName);
    }

    /// <summary>Rows go out as they are read, so an export of the whole log never sits in memory.</summary>
    private static async Task WriteCsvAsync(Stream body, IDbContextFactory<AppDbContext> dbs, AuditFilter filter, ClaimsPrincipal reader, CancellationToken ct)
    {
        await using var writer = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 32 * 1024, leaveOpen: true);
        // Excel reads a file without a byte order mark as the machine's ANSI code page and garbles Polish letters.
        await writer.WriteAsync('\uFEFF');
        await WriteRowAsync(writer, CsvColumns);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var rows = 0;
        await foreach (var a in filter.Newest(db, reader).AsAsyncEnumerable().WithCancellation(ct))
        {
            await WriteRowAsync(writer,
            [
                a.Id.ToString(CultureInfo.InvariantCulture), a.At.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture), a.Actor, a.ActorIp,
                a.Action, a.RecordingId?.ToString(CultureInfo.InvariantCulture), a.Outcome, a.Reason, a.Details, a.Hash,
            ]);
            if (++rows % 500 == 0) await writer.FlushAsync(ct);
        }
        await writer.FlushAsync(ct);
    }

    private static async Task WriteRowAsync(StreamWriter writer, IReadOnlyList<string?> cells)
    {
        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0) await writer.WriteAsync(',');
            await writer.WriteAsync(CsvText.Cell(cells[i]));
        }
        await writer.WriteAsync("\r\n");
    }

}
