using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Features.Quality;

public sealed record CommentJson(int Id, int StartMs, int? EndMs, string Text, string Author, DateTime CreatedAt);

/// <summary>
/// Comments on a moment or a span of a call, by anyone who may listen to it. They go with the recording. The audit log
/// records that a comment was added or removed and where, not its text: the log outlives recordings, a comment may hold
/// what the customer said.
/// </summary>
public sealed class TimelineComments(IDbContextFactory<AppDbContext> dbs, AuditLog audit, TimeProvider time)
{
    public const int MaxPerRecording = 500, MaxLength = 2000;

    public async Task<IReadOnlyList<CommentJson>?> ListAsync(long recordingId, ClaimsPrincipal user, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (!await db.Recordings.VisibleTo(db, user).AnyAsync(r => r.Id == recordingId, ct)) return null;
        return await db.TimelineComments.AsNoTracking().Where(c => c.RecordingId == recordingId).OrderBy(c => c.StartMs).ThenBy(c => c.Id)
            .Select(c => new CommentJson(c.Id, c.StartMs, c.EndMs, c.Text, c.Author, c.CreatedAt)).ToListAsync(ct);
    }

    /// <summary>Adds a comment; Found is false when the recording is not visible to the caller.</summary>
    public async Task<(bool Found, CommentJson? Comment, Problem? Problem)> AddAsync(
        long recordingId, int startMs, int? endMs, string? text, ClaimsPrincipal user, AuditActor by, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var length = await db.Recordings.VisibleTo(db, user).Where(r => r.Id == recordingId).Select(r => (int?)r.DurationMs).FirstOrDefaultAsync(ct);
        if (length is not { } duration) return (false, null, null);
        text = text?.Trim();
        Problem? problem = null;
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength) problem = new("Comment_Text", $"A comment needs 1–{MaxLength} characters.", MaxLength);
        else if (startMs < 0 || startMs > duration) problem = new("Comment_Start", "The comment's moment lies outside the call.");
        else if (endMs is { } end && (end <= startMs || end > duration)) problem = new("Comment_End", "A span must end after it starts and within the call.");
        else if (await db.TimelineComments.CountAsync(c => c.RecordingId == recordingId, ct) >= MaxPerRecording)
            problem = new("Comment_TooMany", $"A call can hold at most {MaxPerRecording} comments.", MaxPerRecording);
        if (problem is not null) return (true, null, problem);
        var comment = db.TimelineComments.Add(new TimelineComment
        {
            RecordingId = recordingId, StartMs = startMs, EndMs = endMs, Text = text!, Author = by.Name, CreatedAt = time.GetUtcNow().UtcDateTime,
        }).Entity;
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(by, AuditActions.CommentAdded, AuditOutcomes.Success, recordingId,
            AuditLog.Details(new { comment = comment.Id, startMs, endMs, length = text!.Length }));
        return (true, new CommentJson(comment.Id, comment.StartMs, comment.EndMs, comment.Text, comment.Author, comment.CreatedAt), null);
    }

    public enum Removal { Removed, NotFound, NoSuchComment, NotAllowed }

    /// <summary>The author removes their comment; an administrator may remove any.</summary>
    public async Task<Removal> RemoveAsync(long recordingId, int commentId, ClaimsPrincipal user, AuditActor by, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (!await db.Recordings.VisibleTo(db, user).AnyAsync(r => r.Id == recordingId, ct)) return Removal.NotFound;
        var comment = await db.TimelineComments.FirstOrDefaultAsync(c => c.Id == commentId && c.RecordingId == recordingId, ct);
        if (comment is null) return Removal.NoSuchComment;
        if (!string.Equals(comment.Author, by.Name, StringComparison.OrdinalIgnoreCase) && !user.IsInRole(Roles.Administrator)) return Removal.NotAllowed;
        db.TimelineComments.Remove(comment);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(by, AuditActions.CommentRemoved, AuditOutcomes.Success, recordingId,
            AuditLog.Details(new { comment = commentId, comment.StartMs, comment.EndMs, author = comment.Author }));
        return Removal.Removed;
    }
}

public sealed record CommentRequest(int? StartMs, int? EndMs, string? Text);

/// <summary>`GET`/`POST /api/v1/recordings/{id}/comments`, `DELETE …/comments/{commentId}`: for anyone who may listen to the call.</summary>
public static class TimelineCommentsApi
{
    public static IEndpointRouteBuilder MapTimelineCommentsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/recordings/{id:long}/comments").RequireAuthorization(Policies.ListenRecordings).WithTags("Timeline comments");
        group.MapGet("", async Task<Results<Ok<IReadOnlyList<CommentJson>>, ProblemHttpResult>> (long id, HttpContext http, TimelineComments comments, AuditLog audit, CancellationToken ct) =>
            await comments.ListAsync(id, http.User, ct) is { } list ? TypedResults.Ok(list) : await RecordingsApi.NotFoundAsync(id, http, audit))
            .WithSummary("List a recording's timeline comments");
        group.MapPost("", async Task<Results<Created<CommentJson>, ProblemHttpResult>> (
            long id, CommentRequest? body, HttpContext http, TimelineComments comments, AuditLog audit, CancellationToken ct) =>
        {
            if (body?.StartMs is not { } start)
                return TypedResults.Problem("Send { \"startMs\": 12000, \"endMs\": 15000 (optional), \"text\": \"…\" }.",
                    statusCode: StatusCodes.Status400BadRequest, title: "The request is not valid");
            var (found, comment, problem) = await comments.AddAsync(id, start, body.EndMs, body.Text, http.User, AuditActor.Of(http.User, http.Connection.RemoteIpAddress?.ToString()), ct);
            if (!found) return await RecordingsApi.NotFoundAsync(id, http, audit);
            if (problem is not null) return TypedResults.Problem(problem.Message, statusCode: StatusCodes.Status400BadRequest, title: "The request is not valid");
            return TypedResults.Created($"/api/v1/recordings/{id}/comments/{comment!.Id}", comment);
        }).WithSummary("Add a timeline comment to a recording");
        group.MapDelete("/{commentId:int}", async Task<Results<NoContent, ProblemHttpResult>> (
            long id, int commentId, HttpContext http, TimelineComments comments, AuditLog audit, CancellationToken ct) =>
            await comments.RemoveAsync(id, commentId, http.User, AuditActor.Of(http.User, http.Connection.RemoteIpAddress?.ToString()), ct) switch
            {
                TimelineComments.Removal.Removed => TypedResults.NoContent(),
                TimelineComments.Removal.NoSuchComment => TypedResults.Problem($"Recording {id} has no comment {commentId}.", statusCode: StatusCodes.Status404NotFound, title: "Comment not found"),
                TimelineComments.Removal.NotAllowed => TypedResults.Problem("Only the comment's author or an administrator may remove it.",
                    statusCode: StatusCodes.Status403Forbidden, title: "Not allowed"),
                _ => await RecordingsApi.NotFoundAsync(id, http, audit),
            }).WithSummary("Remove a timeline comment (its author or an administrator)");
        return app;
    }
}
