using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Data;

namespace NagrywanieRozmow.Features.Retention;

public sealed record DeletionOutcome(DeletionRequest? Request, IReadOnlyList<Problem> Problems)
{
    public static DeletionOutcome Refused(Problem problem) => new(null, [problem]);
}

/// <summary>
/// Deleting a recording by hand: only people an administrator gave the permission, always with a reason, never while it is
/// on legal hold. With <see cref="RetentionOptions.FourEyes"/> the request waits for a second person with the permission
/// (never the requester), and the hold is checked again when it is carried out.
/// </summary>
public sealed class ManualDeletion(
    IDbContextFactory<AppDbContext> dbs, RecordingEraser eraser, LegalHolds holds, AuditLog audit, TimeProvider time, IOptions<RetentionOptions> options)
{
    public const int MaxReasonLength = 1000;

    private static readonly Problem NotAllowed = new("Problem_NotAllowed", "You do not have the permission to delete recordings.");
    private static readonly Problem NoSuchRecording = new("Problem_NoRecording", "There is no such recording (it may already be deleted).");

    public bool FourEyes => options.Value.FourEyes;

    public async Task<DeletionOutcome> RequestAsync(long recordingId, string? reason, ClaimsPrincipal user, AuditActor by, CancellationToken ct = default)
    {
        if (!Permissions.Allows(user, Policies.DeleteRecordings)) return DeletionOutcome.Refused(NotAllowed);
        if (string.IsNullOrWhiteSpace(reason)) return DeletionOutcome.Refused(new("Problem_DeleteReason", "A reason is required to delete a recording."));
        if (reason.Trim().Length > MaxReasonLength)
            return DeletionOutcome.Refused(new("Problem_DeleteReasonTooLong", $"The reason may be at most {MaxReasonLength} characters.", MaxReasonLength));

        DeletionRequest request;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            var recording = await db.Recordings.VisibleTo(db, user).Where(r => r.Id == recordingId).Select(r => new { r.Id, r.LegalHold }).FirstOrDefaultAsync(ct);
            if (recording is null) return DeletionOutcome.Refused(NoSuchRecording);
            if (recording.LegalHold) return DeletionOutcome.Refused(await OnHoldAsync(recordingId, ct));
            if (await db.Set<DeletionRequest>().AnyAsync(d => d.RecordingId == recordingId && d.State == DeletionState.Pending, ct))
                return DeletionOutcome.Refused(new("Problem_AlreadyRequested", "A deletion of this recording is already waiting for approval."));
            request = new DeletionRequest
            {
                RecordingId = recordingId, Reason = reason.Trim(), RequestedBy = by.Name, RequestedAt = Now(), State = DeletionState.Pending,
            };
            db.Add(request);
            await db.SaveChangesAsync(ct);
        }
        await audit.AppendAsync(by, AuditActions.DeletionRequested, AuditOutcomes.Success, recordingId,
            details: AuditLog.Details(new { request = request.Id, fourEyes = FourEyes }), reason: request.Reason);
        return FourEyes ? new DeletionOutcome(request, []) : await ExecuteAsync(request, by, ct);
    }

    /// <summary>A second person with the permission approves: the recording is deleted unless a hold was placed meanwhile.</summary>
    public async Task<DeletionOutcome> ApproveAsync(long requestId, ClaimsPrincipal user, AuditActor by, CancellationToken ct = default)
    {
        if (!Permissions.Allows(user, Policies.DeleteRecordings)) return DeletionOutcome.Refused(NotAllowed);
        var (request, problem) = await PendingAsync(requestId, ct);
        if (request is null) return DeletionOutcome.Refused(problem!);
        if (IsRequester(request, by))
            return DeletionOutcome.Refused(new("Problem_OwnRequest", "You cannot approve your own deletion request; another person with the permission must."));
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            if (!await db.Recordings.VisibleTo(db, user).AnyAsync(r => r.Id == request.RecordingId, ct)
                && await db.Recordings.AnyAsync(r => r.Id == request.RecordingId, ct))
                return DeletionOutcome.Refused(new("Problem_OutOfScope", "The recording belongs to a team you do not see; someone who sees it must decide."));
        }
        await audit.AppendAsync(by, AuditActions.DeletionApproved, AuditOutcomes.Success, request.RecordingId,
            details: AuditLog.Details(new { request = request.Id, requestedBy = request.RequestedBy }), reason: request.Reason);
        return await ExecuteAsync(request, by, ct);
    }

    public async Task<DeletionOutcome> RejectAsync(long requestId, string? note, ClaimsPrincipal user, AuditActor by, CancellationToken ct = default)
    {
        if (!Permissions.Allows(user, Policies.DeleteRecordings)) return DeletionOutcome.Refused(NotAllowed);
        if (string.IsNullOrWhiteSpace(note)) return DeletionOutcome.Refused(new("Problem_RejectNote", "Say why the deletion is rejected."));
        var (request, problem) = await PendingAsync(requestId, ct);
        if (request is null) return DeletionOutcome.Refused(problem!);
        if (IsRequester(request, by)) return DeletionOutcome.Refused(new("Problem_RejectOwn", "Withdraw your own request instead of rejecting it."));
        if (await DecideAsync(request.Id, DeletionState.Rejected, by, Truncate(note.Trim()), ct) is not { } rejected) return DeletionOutcome.Refused(Decided(requestId));
        request = rejected;
        await audit.AppendAsync(by, AuditActions.DeletionRejected, AuditOutcomes.Success, request.RecordingId,
            details: AuditLog.Details(new { request = request.Id, requestedBy = request.RequestedBy }), reason: request.DecisionNote);
        return new DeletionOutcome(request, []);
    }

    public async Task<DeletionOutcome> WithdrawAsync(long requestId, AuditActor by, CancellationToken ct = default)
    {
        var (request, problem) = await PendingAsync(requestId, ct);
        if (request is null) return DeletionOutcome.Refused(problem!);
        if (!IsRequester(request, by)) return DeletionOutcome.Refused(new("Problem_WithdrawOthers", "Only the person who asked can withdraw a request."));
        if (await DecideAsync(request.Id, DeletionState.Withdrawn, by, null, ct) is not { } withdrawn) return DeletionOutcome.Refused(Decided(requestId));
        request = withdrawn;
        await audit.AppendAsync(by, AuditActions.DeletionWithdrawn, AuditOutcomes.Success, request.RecordingId,
            details: AuditLog.Details(new { request = request.Id }));
        return new DeletionOutcome(request, []);
    }

    /// <summary>Requests, those waiting first, then the latest decided ones.</summary>
    public async Task<IReadOnlyList<DeletionRequest>> ListAsync(int decided = 200, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var pending = await db.Set<DeletionRequest>().AsNoTracking().Where(d => d.State == DeletionState.Pending).OrderBy(d => d.RequestedAt).ToListAsync(ct);
        var done = await db.Set<DeletionRequest>().AsNoTracking().Where(d => d.State != DeletionState.Pending)
            .OrderByDescending(d => d.DecidedAt).Take(decided).ToListAsync(ct);
        return [.. pending, .. done];
    }

    public async Task<DeletionRequest?> PendingForAsync(long recordingId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Set<DeletionRequest>().AsNoTracking().FirstOrDefaultAsync(d => d.RecordingId == recordingId && d.State == DeletionState.Pending, ct);
    }

    /// <summary>Claims the request (Pending → Executed, so a second approver at the same moment gets "already decided"), then erases.</summary>
    private async Task<DeletionOutcome> ExecuteAsync(DeletionRequest request, AuditActor by, CancellationToken ct)
    {
        if (await DecideAsync(request.Id, DeletionState.Executed, by, null, ct) is not { } claimed) return DeletionOutcome.Refused(Decided(request.Id));
        // The deletion's entry is committed with the tombstone (see RecordingEraser.EraseAsync).
        var result = await eraser.EraseAsync([new Erasure(request.RecordingId, request.Reason)], ErasureCause.Manual, by.Name, ct,
            audited: (_, erased) => Task.FromResult<IReadOnlyList<AuditDraft>>(erased.Erased.Count == 0 ? [] : [new AuditDraft(by, AuditActions.RecordingDeleted, AuditOutcomes.Success,
                request.RecordingId, AuditLog.Details(new
                {
                    request = request.Id, cause = ErasureCause.Manual.ToString(), requestedBy = request.RequestedBy,
                    callId = erased.Erased[0].CallId, sha256 = erased.Erased[0].Sha256,
                }), request.Reason)]));
        if (result.Erased.Count == 0)
        {
            // A hold placed (or the recording purged) after the request: nothing is deleted, and the request says why.
            var why = result.KeptOnHold.Count > 0 ? await OnHoldAsync(request.RecordingId, ct) : NoSuchRecording;
            var failed = await DecideAsync(request.Id, DeletionState.Failed, by, Truncate(why.Message), ct, from: DeletionState.Executed);
            await audit.AppendAsync(by, AuditActions.RecordingDeleted, AuditOutcomes.Failed, request.RecordingId,
                details: AuditLog.Details(new { request = request.Id, cause = ErasureCause.Manual.ToString() }), reason: why.Message);
            return new DeletionOutcome(failed, [why]);
        }
        return new DeletionOutcome(claimed, []);
    }

    private async Task<Problem> OnHoldAsync(long recordingId, CancellationToken ct)
    {
        var cases = string.Join(", ", (await holds.ActiveForAsync(recordingId, ct)).Select(h => h.CaseNumber));
        return new Problem("Problem_OnHold", $"The recording is on legal hold ({cases}); it cannot be deleted until the hold is lifted.", cases);
    }

    private async Task<(DeletionRequest? Request, Problem? Problem)> PendingAsync(long requestId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var request = await db.Set<DeletionRequest>().AsNoTracking().FirstOrDefaultAsync(d => d.Id == requestId, ct);
        if (request is null) return (null, new("Problem_NoRequest", $"There is no deletion request {requestId}.", requestId));
        if (request.State != DeletionState.Pending) return (null, Decided(requestId));
        return (request, null);
    }

    /// <summary>Moves a request from one state (Pending unless said) to another; null when it was no longer in that state.</summary>
    private async Task<DeletionRequest?> DecideAsync(
        long requestId, DeletionState state, AuditActor by, string? note, CancellationToken ct, DeletionState from = DeletionState.Pending)
    {
        var now = Now();
        await using var db = await dbs.CreateDbContextAsync(ct);
        var moved = await db.Set<DeletionRequest>().Where(d => d.Id == requestId && d.State == from)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.State, state).SetProperty(d => d.DecidedBy, by.Name)
                .SetProperty(d => d.DecidedAt, now).SetProperty(d => d.DecisionNote, note), ct);
        return moved == 0 ? null : await db.Set<DeletionRequest>().AsNoTracking().FirstAsync(d => d.Id == requestId, ct);
    }

    private static Problem Decided(long requestId) => new("Problem_Decided", $"Deletion request {requestId} was already decided.", requestId);

    private static bool IsRequester(DeletionRequest request, AuditActor by) => string.Equals(request.RequestedBy, by.Name, StringComparison.OrdinalIgnoreCase);

    private DateTime Now() => time.GetUtcNow().UtcDateTime;

    private static string Truncate(string text) => text.Length <= MaxReasonLength ? text : text[..MaxReasonLength];
}
