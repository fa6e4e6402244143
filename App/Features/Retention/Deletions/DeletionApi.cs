using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Features.Retention;

public sealed record DeletionResponse(long Request, string State, long RecordingId);

/// <summary>
/// `DELETE /api/v1/recordings/{id}` with `{ "reason": "…" }`, for people with the deletion permission: 200 when deleted,
/// 202 when it waits for a second person (four eyes), 400 without a reason, 404 (audited) for an unknown id, 409 on legal hold.
/// </summary>
public static class DeletionApi
{
    public static IEndpointRouteBuilder MapDeletionApi(this IEndpointRouteBuilder app)
    {
        app.MapDelete("/api/v1/recordings/{id:long}", DeleteAsync).RequireAuthorization(Policies.DeleteRecordings).WithTags("Deletion").WithSummary("Delete a recording by hand");
        return app;
    }

    private static async Task<Results<Ok<DeletionResponse>, Accepted<DeletionResponse>, ProblemHttpResult>> DeleteAsync(
        long id, HttpRequest request, HttpContext http, IDbContextFactory<AppDbContext> dbs, ManualDeletion deletion, AuditLog audit, CancellationToken ct)
    {
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            if (!await db.Recordings.VisibleTo(db, http.User).AnyAsync(r => r.Id == id, ct)) return await RecordingsApi.NotFoundAsync(id, http, audit);
        }
        ReleaseRequest? body = null;
        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            try { body = await request.ReadFromJsonAsync<ReleaseRequest>(ct); }
            catch (System.Text.Json.JsonException)
            {
                return TypedResults.Problem("The body is not valid JSON: send { \"reason\": \"…\" }.", statusCode: StatusCodes.Status400BadRequest, title: "The deletion request is not valid");
            }
        }
        var outcome = await deletion.RequestAsync(id, body?.Reason, http.User, AuditActor.Of(http.User, http.Connection.RemoteIpAddress?.ToString()), ct);
        if (outcome.Problems is [var problem, ..])
        {
            var (status, title) = problem.Key switch
            {
                "Problem_OnHold" => (StatusCodes.Status409Conflict, "The recording is on legal hold"),
                "Problem_AlreadyRequested" => (StatusCodes.Status409Conflict, "A deletion is already waiting for approval"),
                _ => (StatusCodes.Status400BadRequest, "The deletion request is not valid"),
            };
            return TypedResults.Problem(problem.Message, statusCode: status, title: title);
        }
        var done = outcome.Request!;
        var response = new DeletionResponse(done.Id, done.State.ToString(), done.RecordingId);
        return done.State == DeletionState.Pending ? TypedResults.Accepted($"/deletions", response) : TypedResults.Ok(response);
    }
}
