using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Features.Retention;

public sealed record HoldRequest(string? Reason, string? CaseNumber);
public sealed record ReleaseRequest(string? Reason);
public sealed record SelectionHoldRequest(long[]? Ids, string? Reason, string? CaseNumber);
public sealed record SelectionHoldResponse(long HoldId, int Held);

/// <summary>Legal holds over the API (CONTRACTS.md): one recording, or a selection. Compliance and Administrators.</summary>
public static class HoldsApi
{
    public static IEndpointRouteBuilder MapHoldsApi(this IEndpointRouteBuilder app)
    {
        var recording = app.MapGroup("/api/v1/recordings/{id:long}/hold").RequireAuthorization(Policies.ManageHolds).WithTags("Legal holds");
        recording.MapPut("/", PlaceAsync).WithSummary("Place a legal hold on a recording");
        recording.MapDelete("/", ReleaseAsync).WithSummary("Lift a recording's legal hold");
        app.MapPost("/api/v1/holds", PlaceSelectionAsync).RequireAuthorization(Policies.ManageHolds).WithTags("Legal holds")
            .WithSummary("Place a legal hold on several recordings");
        return app;
    }

    private static async Task<Results<Ok<RecordingJson>, ProblemHttpResult>> PlaceAsync(
        long id, HoldRequest? body, HttpContext http, IDbContextFactory<AppDbContext> dbs, LegalHolds holds, RetentionPolicies policies, AuditLog audit, CancellationToken ct)
    {
        if (!await ExistsAsync(id, http, dbs, ct)) return await RecordingsApi.NotFoundAsync(id, http, audit);
        var result = await holds.PlaceAsync([id], body?.Reason, body?.CaseNumber, new HoldScope(Recording: id), Actor(http), ct);
        if (result.Problems.Count > 0) return Invalid(result.Problems);
        return TypedResults.Ok(await RecordingsApi.JsonOfAsync(id, dbs, policies, ct));
    }

    private static async Task<Results<Ok<RecordingJson>, ProblemHttpResult>> ReleaseAsync(
        long id, HttpRequest request, HttpContext http, IDbContextFactory<AppDbContext> dbs, LegalHolds holds, RetentionPolicies policies, AuditLog audit, CancellationToken ct)
    {
        if (!await ExistsAsync(id, http, dbs, ct)) return await RecordingsApi.NotFoundAsync(id, http, audit);
        // DELETE with a body: read it by hand, so a missing or unreadable body is a clear 400 rather than a binding error.
        ReleaseRequest? body = null;
        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            try { body = await request.ReadFromJsonAsync<ReleaseRequest>(ct); }
            catch (System.Text.Json.JsonException) { return Invalid([new("Problem_BadJson", "The body is not valid JSON: send { \"reason\": \"…\" }.")]); }
        }
        var problems = await holds.ReleaseAsync(id, body?.Reason, Actor(http), ct);
        if (problems.Count > 0)
            return problems[0] == LegalHolds.NotOnHold
                ? TypedResults.Problem(problems[0].Message, statusCode: StatusCodes.Status409Conflict, title: "Not on legal hold")
                : Invalid(problems);
        return TypedResults.Ok(await RecordingsApi.JsonOfAsync(id, dbs, policies, ct));
    }

    private static async Task<Results<Ok<SelectionHoldResponse>, ProblemHttpResult>> PlaceSelectionAsync(
        SelectionHoldRequest? body, HttpContext http, IDbContextFactory<AppDbContext> dbs, LegalHolds holds, CancellationToken ct)
    {
        var ids = body?.Ids?.Distinct().ToArray() ?? [];
        if (ids.Length > 100_000) return Invalid([new("Problem_TooMany", "At most 100000 ids at once; hold by filter on the holds page for more.")]);
        long[] visible;
        await using (var db = await dbs.CreateDbContextAsync(ct))
            visible = await db.Recordings.VisibleTo(db, http.User).Where(r => ids.Contains(r.Id)).Select(r => r.Id).ToArrayAsync(ct);
        var result = await holds.PlaceAsync(visible, body?.Reason, body?.CaseNumber, new HoldScope(Selected: visible.Length), Actor(http), ct);
        if (result.Problems.Count > 0) return Invalid(result.Problems);
        return TypedResults.Ok(new SelectionHoldResponse(result.HoldId, result.Held));
    }

    private static AuditActor Actor(HttpContext http) => AuditActor.Of(http.User, http.Connection.RemoteIpAddress?.ToString());

    private static async Task<bool> ExistsAsync(long id, HttpContext http, IDbContextFactory<AppDbContext> dbs, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Recordings.VisibleTo(db, http.User).AnyAsync(r => r.Id == id, ct);
    }


    private static ProblemHttpResult Invalid(IReadOnlyList<Problem> problems) =>
        TypedResults.Problem(string.Join(" ", problems.Select(p => p.Message)), statusCode: StatusCodes.Status400BadRequest, title: "The hold request is not valid");
}
