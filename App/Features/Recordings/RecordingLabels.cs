using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Data;

namespace NagrywanieRozmow.Features.Recordings;

public enum LabelKind { Case, Tag }

/// <summary>
/// Case numbers (from the CRM or helpdesk) and free tags ("dobra rozmowa") on recordings: added and removed by people who may
/// label the recordings they see, idempotently, each change audited; suggestions come from values already used on visible calls.
/// </summary>
public sealed class RecordingLabels(IDbContextFactory<AppDbContext> dbs, AuditLog audit, TimeProvider time)
{
    public const int MaxLength = 64;

    public static Problem? Check(LabelKind kind, string? value)
    {
        var what = kind == LabelKind.Case ? "case number" : "tag";
        if (string.IsNullOrWhiteSpace(value)) return new($"Problem_{kind}Required", $"Give the {what}.");
        var text = value.Trim();
        if (text.Length > MaxLength) return new($"Problem_{kind}TooLong", $"A {what} may be at most {MaxLength} characters.", MaxLength);
        if (text.Any(c => char.IsControl(c) || c == ',')) return new($"Problem_{kind}Characters", $"A {what} may not hold commas or control characters.");
        return null;
    }

    /// <summary>Adds a case number or tag (nothing changes when it is there already). Null when the recording is not visible to the caller.</summary>
    public async Task<(bool Found, Problem? Problem)> AddAsync(long recordingId, LabelKind kind, string? value, ClaimsPrincipal user, AuditActor by, CancellationToken ct = default)
    {
        if (Check(kind, value) is { } problem) return (true, problem);
        var text = value!.Trim();
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (!await db.Recordings.VisibleTo(db, user).AnyAsync(r => r.Id == recordingId, ct)) return (false, null);
        var exists = kind == LabelKind.Case
            ? await db.RecordingCases.AnyAsync(c => c.RecordingId == recordingId && c.CaseNumber == text, ct)
            : await db.RecordingTags.AnyAsync(t => t.RecordingId == recordingId && t.Tag == text, ct);
        if (exists) return (true, null);
        if (kind == LabelKind.Case) db.RecordingCases.Add(new RecordingCase { RecordingId = recordingId, CaseNumber = text, AddedAt = time.GetUtcNow().UtcDateTime, AddedBy = by.Name });
        else db.RecordingTags.Add(new RecordingTag { RecordingId = recordingId, Tag = text });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Someone added the same one at the same moment: it is there, which is what was asked.
            return (true, null);
        }
        await audit.AppendAsync(by, kind == LabelKind.Case ? AuditActions.CaseAdded : AuditActions.TagAdded, AuditOutcomes.Success, recordingId,
            details: AuditLog.Details(new { value = text }));
        return (true, null);
    }

    /// <summary>Removes one; Found is false when the recording is not visible, Removed false when it did not carry that value.</summary>
    public async Task<(bool Found, bool Removed)> RemoveAsync(long recordingId, LabelKind kind, string value, ClaimsPrincipal user, AuditActor by, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (!await db.Recordings.VisibleTo(db, user).AnyAsync(r => r.Id == recordingId, ct)) return (false, false);
        var removed = kind == LabelKind.Case
            ? await db.RecordingCases.Where(c => c.RecordingId == recordingId && c.CaseNumber == value).ExecuteDeleteAsync(ct)
            : await db.RecordingTags.Where(t => t.RecordingId == recordingId && t.Tag == value).ExecuteDeleteAsync(ct);
        if (removed > 0)
            await audit.AppendAsync(by, kind == LabelKind.Case ? AuditActions.CaseRemoved : AuditActions.TagRemoved, AuditOutcomes.Success, recordingId,
                details: AuditLog.Details(new { value }));
        return (true, removed > 0);
    }

    /// <summary>Values already in use on recordings the caller sees that start with what was typed, most used first.</summary>
    public async Task<IReadOnlyList<string>> SuggestAsync(LabelKind kind, string? typed, ClaimsPrincipal user, int count = 10, CancellationToken ct = default)
    {
        var prefix = (typed ?? "").Trim();
        await using var db = await dbs.CreateDbContextAsync(ct);
        var visible = db.Recordings.VisibleTo(db, user).Select(r => r.Id);
        var values = kind == LabelKind.Case
            ? db.RecordingCases.Where(c => visible.Contains(c.RecordingId)).Select(c => c.CaseNumber)
            : db.RecordingTags.Where(t => visible.Contains(t.RecordingId)).Select(t => t.Tag);
        if (prefix.Length > 0) values = values.Where(v => v.StartsWith(prefix));
        return await values.GroupBy(v => v).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Select(g => g.Key).Take(count).ToListAsync(ct);
    }
}

public sealed record LabelRequest(string? Case, string? Tag);

/// <summary>
/// `POST /api/v1/recordings/{id}/cases` `{ "case": "…" }`, `DELETE …/cases/{case}` (the case number as it is, slashes and
/// all, or escaped), and the same for `tags` with `{ "tag": "…" }`.
/// </summary>
public static class RecordingLabelsApi
{
    public static IEndpointRouteBuilder MapRecordingLabelsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/recordings/{id:long}").RequireAuthorization(Policies.LabelRecordings).WithTags("Case numbers and tags");
        group.MapPost("/cases", (long id, LabelRequest? body, HttpContext http, RecordingLabels labels, IDbContextFactory<AppDbContext> dbs,
                IRetentionSchedule retention, AuditLog audit, CancellationToken ct)
            => AddAsync(id, LabelKind.Case, body?.Case, http, labels, dbs, retention, audit, ct)).WithSummary("Add a case number to a recording");
        group.MapPost("/tags", (long id, LabelRequest? body, HttpContext http, RecordingLabels labels, IDbContextFactory<AppDbContext> dbs,
                IRetentionSchedule retention, AuditLog audit, CancellationToken ct)
            => AddAsync(id, LabelKind.Tag, body?.Tag, http, labels, dbs, retention, audit, ct)).WithSummary("Add a tag to a recording");
        group.MapDelete("/cases/{**value}", (long id, string value, HttpContext http, RecordingLabels labels, IDbContextFactory<AppDbContext> dbs,
                IRetentionSchedule retention, AuditLog audit, CancellationToken ct)
            => RemoveAsync(id, LabelKind.Case, value, http, labels, dbs, retention, audit, ct)).WithSummary("Remove a case number from a recording");
        group.MapDelete("/tags/{**value}", (long id, string value, HttpContext http, RecordingLabels labels, IDbContextFactory<AppDbContext> dbs,
                IRetentionSchedule retention, AuditLog audit, CancellationToken ct)
            => RemoveAsync(id, LabelKind.Tag, value, http, labels, dbs, retention, audit, ct)).WithSummary("Remove a tag from a recording");
        return app;
    }

    private static async Task<Results<Ok<RecordingJson>, ProblemHttpResult>> AddAsync(
        long id, LabelKind kind, string? value, HttpContext http, RecordingLabels labels, IDbContextFactory<AppDbContext> dbs, IRetentionSchedule retention, AuditLog audit, CancellationToken ct)
    {
        var (found, problem) = await labels.AddAsync(id, kind, value, http.User, AuditActor.Of(http.User, http.Connection.RemoteIpAddress?.ToString()), ct);
        if (!found) return await RecordingsApi.NotFoundAsync(id, http, audit);
        if (problem is not null)
            return TypedResults.Problem(problem.Message + (kind == LabelKind.Case ? " Send { \"case\": \"REK-2026/0113\" }." : " Send { \"tag\": \"dobra rozmowa\" }."),
                statusCode: StatusCodes.Status400BadRequest, title: "The request is not valid");
        return TypedResults.Ok(await RecordingsApi.JsonOfAsync(id, dbs, retention, ct));
    }

    private static async Task<Results<Ok<RecordingJson>, ProblemHttpResult>> RemoveAsync(
        long id, LabelKind kind, string value, HttpContext http, RecordingLabels labels, IDbContextFactory<AppDbContext> dbs, IRetentionSchedule retention, AuditLog audit, CancellationToken ct)
    {
        // Case numbers hold slashes ("REK-2026/0113"): the route takes them as they are or escaped, which routing leaves as %2F.
        value = value.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        var (found, removed) = await labels.RemoveAsync(id, kind, value, http.User, AuditActor.Of(http.User, http.Connection.RemoteIpAddress?.ToString()), ct);
        if (!found) return await RecordingsApi.NotFoundAsync(id, http, audit);
        if (!removed)
            return TypedResults.Problem($"Recording {id} has no {(kind == LabelKind.Case ? "case number" : "tag")} '{value}'.", statusCode: StatusCodes.Status404NotFound,
                title: kind == LabelKind.Case ? "Case number not found" : "Tag not found");
        return TypedResults.Ok(await RecordingsApi.JsonOfAsync(id, dbs, retention, ct));
    }

}
