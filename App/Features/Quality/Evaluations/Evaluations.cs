using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Features.Quality;

/// <summary>An answer as the evaluator gives it: the value (or n.a.), where in the call it was heard, and a note.</summary>
public sealed record AnswerDraft(decimal? Value, bool NotApplicable = false, int? StartMs = null, int? EndMs = null, string? Note = null)
{
    public AnswerInput Input => new(Value, NotApplicable);
}

/// <summary>
/// One evaluation as a reader may see it. With <see cref="AgentHidden"/> (blind mode before submission) the agent's name,
/// extension and team are blanked here, and the call's details too, so no page can show them by mistake.
/// </summary>
public sealed record EvaluationView(
    Evaluation Evaluation, ScorecardRevision Scorecard, Recording? Recording, RecordingTombstone? Removed,
    bool AgentHidden, bool MayEdit, bool MayDispute, bool MayResolve, IReadOnlyList<Evaluation> Trail, bool MayAcknowledge = false);

/// <summary>
/// Evaluating a call against a scorecard version, then disputes and re-evaluation. Who reads an evaluation: its evaluator;
/// quality managers and administrators whose team scope holds the agent's team (the agent's managers); the agent, once it
/// is submitted, if they may hear their own calls. Anyone else is told it does not exist.
/// </summary>
public sealed class Evaluations(IDbContextFactory<AppDbContext> dbs, Scorecards scorecards, AuditLog audit, TimeProvider time)
{
    private static bool Finished(EvaluationState s) => s is EvaluationState.Submitted or EvaluationState.Disputed or EvaluationState.Superseded;

    private static bool IsManagerOf(ClaimsPrincipal user, Evaluation e)
    {
        if (!Permissions.Allows(user, Policies.RunQualityAudits)) return false;
        var teams = RecordingScope.TeamsOf(user);
        return teams.Count == 0 || e.Team is not null && teams.Contains(e.Team);
    }

    private static bool IsAgentOf(ClaimsPrincipal user, Evaluation e) =>
        e.AgentExtension is not null && RecordingScope.OwnExtensionOf(user) == e.AgentExtension && user.IsInRole(Roles.Agent);

    private static bool IsEvaluator(ClaimsPrincipal user, Evaluation e) =>
        string.Equals(AuditLog.ActorOf(user), e.Evaluator, StringComparison.OrdinalIgnoreCase);

    public static bool MayRead(ClaimsPrincipal user, Evaluation e) =>
        IsEvaluator(user, e) || IsManagerOf(user, e) || IsAgentOf(user, e) && Finished(e.State);

    public async Task<EvaluationView?> OpenAsync(int id, ClaimsPrincipal user, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var e = await db.Evaluations.AsNoTracking().Include(x => x.Answers).Include(x => x.Disputes).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (e is null || !MayRead(user, e)) return null;
        var card = await scorecards.VersionAsync(e.ScorecardVersionId, ct) ?? throw new InvalidOperationException($"Scorecard version {e.ScorecardVersionId} is missing.");
        var recording = await db.Recordings.AsNoTracking().Include(r => r.Cases).Include(r => r.Tags).FirstOrDefaultAsync(r => r.Id == e.RecordingId, ct);
        var removed = recording is null ? await db.Set<RecordingTombstone>().AsNoTracking().FirstOrDefaultAsync(t => t.Id == e.RecordingId, ct) : null;
        var trail = await TrailAsync(db, e, ct);
        // Someone else's submitted evaluation of a call the reader is still evaluating blind would name the agent.
        var hidden = e.Blind && !Finished(e.State) || AppDbContext.MayBeWithheldFrom(user) && await db.WithheldFrom(user).ContainsAsync(e.RecordingId, ct);
        if (hidden)
        {
            e.AgentName = e.AgentExtension = e.Team = null;
            // The internal party's number is the agent's extension: in blind mode neither number is shown.
            if (recording is not null)
            {
                recording.Extension = recording.UserName = recording.Team = null;
                recording.CallerNumber = recording.CalleeNumber = "";
            }
        }
        var evaluating = IsEvaluator(user, e) && e.State is EvaluationState.Assigned or EvaluationState.Draft;
        var mayDispute = e.State == EvaluationState.Submitted && !IsEvaluator(user, e) && (IsAgentOf(user, e) || IsManagerOf(user, e));
        var mayResolve = e.State == EvaluationState.Disputed && IsManagerOf(user, e);
        var agent = IsAgentOf(user, e) && !IsEvaluator(user, e);
        if (agent && e.AgentReadAt is null)
        {
            // The manager's list tells unread from read: the agent's first look is the read receipt.
            e.AgentReadAt = time.GetUtcNow().UtcDateTime;
            await db.Evaluations.Where(x => x.Id == id && x.AgentReadAt == null).ExecuteUpdateAsync(s => s.SetProperty(x => x.AgentReadAt, e.AgentReadAt), ct);
        }
        var mayAcknowledge = agent && e.State == EvaluationState.Submitted && e.AcknowledgedAt is null;
        return new EvaluationView(e, card, recording, removed, hidden, evaluating, mayDispute, mayResolve, trail, mayAcknowledge);
    }

    /// <summary>The call an evaluation is about, for the player, when the caller may read the evaluation (withheld or not).</summary>
    public async Task<Recording?> CallForListeningAsync(int id, ClaimsPrincipal user, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var e = await db.Evaluations.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (e is null || !MayRead(user, e)) return null;
        return await db.Recordings.AsNoTracking().FirstOrDefaultAsync(r => r.Id == e.RecordingId, ct);
    }

    /// <summary>The evaluations this one replaced and the ones that replaced it, oldest first.</summary>
    private static async Task<IReadOnlyList<Evaluation>> TrailAsync(AppDbContext db, Evaluation e, CancellationToken ct)
    {
        var chain = new List<Evaluation>();
        for (var back = e.ReplacesId; back is { } b && chain.Count < 50;)
        {
            var older = await db.Evaluations.AsNoTracking().FirstOrDefaultAsync(x => x.Id == b, ct);
            if (older is null) break;
            chain.Insert(0, older);
            back = older.ReplacesId;
        }
        chain.Add(e);
        for (var forward = e.Id; chain.Count < 100;)
        {
            var newer = await db.Evaluations.AsNoTracking().FirstOrDefaultAsync(x => x.ReplacesId == forward, ct);
            if (newer is null) break;
            chain.Add(newer);
            forward = newer.Id;
        }
        return chain.Count == 1 ? [] : chain;
    }

    /// <summary>Saves the answers as a draft, or submits them (every question answered). Only the evaluator, only before submission.</summary>
    public async Task<(ScoreResult? Score, IReadOnlyList<Problem> Problems)> SaveAsync(
        int id, IReadOnlyDictionary<string, AnswerDraft> answers, string? notes, bool submit, ClaimsPrincipal user, AuditActor by, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var e = await db.Evaluations.Include(x => x.Answers).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (e is null || !MayRead(user, e)) return (null, [new("Evaluation_NotFound", "No such evaluation.")]);
        if (!IsEvaluator(user, e)) return (null, [new("Evaluation_NotYours", "Only the evaluator it is assigned to may fill it in.")]);
        if (e.State is not (EvaluationState.Assigned or EvaluationState.Draft)) return (null, [new("Evaluation_Submitted", "This evaluation was submitted already.")]);
        var form = (await scorecards.VersionAsync(e.ScorecardVersionId, ct))!.Form;
        var length = await db.Recordings.Where(r => r.Id == e.RecordingId).Select(r => (int?)r.DurationMs).FirstOrDefaultAsync(ct);

        var problems = new List<Problem>();
        foreach (var (key, a) in answers)
        {
            var q = form.Find(key);
            if (q is null) { problems.Add(new("Answer_Unknown", $"The scorecard has no question \"{key}\".", key)); continue; }
            if (a.StartMs is { } start && (start < 0 || length is { } l && start > l || a.EndMs is { } end && (end < start || length is { } l2 && end > l2)))
                problems.Add(new("Answer_Pin", $"The moment pinned to \"{q.Text}\" lies outside the call.", q.Text));
            else if (a.StartMs is null && a.EndMs is not null) problems.Add(new("Answer_Pin", $"The moment pinned to \"{q.Text}\" lies outside the call.", q.Text));
            if (a.Note is { Length: > 2000 }) problems.Add(new("Answer_NoteLong", $"The note on \"{q.Text}\" is longer than 2000 characters.", q.Text));
        }
        if (notes is { Length: > 4000 }) problems.Add(new("Evaluation_NotesLong", "The notes are longer than 4000 characters."));
        var score = Scoring.Score(form, answers.ToDictionary(a => a.Key, a => a.Value.Input));
        if (submit) problems.AddRange(score.Problems);
        else problems.AddRange(score.Problems.Where(p => p.Key != "Answer_Missing"));
        if (problems.Count > 0) return (score, problems);

        db.EvaluationAnswers.RemoveRange(e.Answers);
        e.Answers = answers.Where(a => a.Value.Value is not null || a.Value.NotApplicable || a.Value.StartMs is not null || !string.IsNullOrWhiteSpace(a.Value.Note))
            .Select(a => new EvaluationAnswer
            {
                EvaluationId = e.Id, QuestionKey = a.Key, Value = a.Value.NotApplicable ? null : a.Value.Value, NotApplicable = a.Value.NotApplicable,
                Fraction = score.Fractions.GetValueOrDefault(a.Key), StartMs = a.Value.StartMs, EndMs = a.Value.EndMs,
                Note = string.IsNullOrWhiteSpace(a.Value.Note) ? null : a.Value.Note.Trim(),
            }).ToList();
        e.Notes = string.IsNullOrWhiteSpace(notes) ? null : notes.Trim();
        var expected = e.State;
        e.State = submit ? EvaluationState.Submitted : EvaluationState.Draft;
        if (submit)
        {
            e.Score = score.Score;
            e.RawScore = score.RawScore;
            e.CriticalFailed = score.CriticalFailed;
            e.SubmittedAt = time.GetUtcNow().UtcDateTime;
        }
        // The evaluator may have the page open twice: the state read above must still hold when this lands.
        db.Entry(e).Property(x => x.State).OriginalValue = expected;
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateConcurrencyException) { return (score, [new("Evaluation_Submitted", "This evaluation was submitted already.")]); }
        if (submit)
            await audit.AppendAsync(by, AuditActions.EvaluationSubmitted, AuditOutcomes.Success, e.RecordingId, AuditLog.Details(new
            {
                evaluation = e.Id, score = e.Score, rawScore = e.RawScore, criticalFailed = e.CriticalFailed, scorecardVersion = e.ScorecardVersionId,
                pinned = e.Answers.Count(a => a.StartMs is not null),
            }));
        return (score, []);
    }

    /// <summary>An evaluation of a call the quality manager chose themself (outside any sample), assigned to them.</summary>
    public async Task<(int? Id, Problem? Problem)> StartAsync(long recordingId, int scorecardVersionId, ClaimsPrincipal user, CancellationToken ct = default)
    {
        if (!Permissions.Allows(user, Policies.RunQualityAudits)) return (null, new("Evaluation_NotAllowed", "Only quality managers and administrators evaluate calls."));
        await using var db = await dbs.CreateDbContextAsync(ct);
        var r = await db.Recordings.AsNoTracking().VisibleTo(db, user).FirstOrDefaultAsync(x => x.Id == recordingId, ct);
        if (r is null) return (null, new("Evaluation_NoRecording", "No such recording."));
        if (!await db.ScorecardVersions.AnyAsync(v => v.Id == scorecardVersionId && !v.Scorecard!.Archived, ct))
            return (null, new("Sample_Scorecard", "Choose a scorecard."));
        var e = db.Evaluations.Add(new Evaluation
        {
            RecordingId = r.Id, ScorecardVersionId = scorecardVersionId, Evaluator = AuditLog.ActorOf(user), AgentExtension = r.Extension,
            AgentName = r.UserName, Team = r.Team, CallStartedAt = r.StartedAt, State = EvaluationState.Assigned, CreatedAt = time.GetUtcNow().UtcDateTime,
        }).Entity;
        await db.SaveChangesAsync(ct);
        return (e.Id, null);
    }

    /// <summary>The agent or their manager disagrees with a submitted evaluation.</summary>
    public async Task<Problem?> DisputeAsync(int id, string? reason, ClaimsPrincipal user, AuditActor by, CancellationToken ct = default)
    {
        var view = await OpenAsync(id, user, ct);
        if (view is null) return new("Evaluation_NotFound", "No such evaluation.");
        if (!view.MayDispute) return new("Dispute_NotAllowed", "Only the agent or their manager may dispute a submitted evaluation.");
        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length > 2000) return new("Dispute_Reason", "Say why (up to 2000 characters).");
        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await db.Evaluations.Where(e => e.Id == id && e.State == EvaluationState.Submitted)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.State, EvaluationState.Disputed), ct) == 0)
            return new("Dispute_Changed", "The evaluation changed meanwhile: open it again.");
        db.EvaluationDisputes.Add(new EvaluationDispute { EvaluationId = id, RaisedBy = by.Name, RaisedAt = time.GetUtcNow().UtcDateTime, Reason = reason.Trim() });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await audit.AppendAsync(by, AuditActions.EvaluationDisputed, AuditOutcomes.Success, view.Evaluation.RecordingId,
            AuditLog.Details(new { evaluation = id }), reason.Trim());
        return null;
    }

    /// <summary>The agent confirms they have read a submitted evaluation of their call; audited. Once only.</summary>
    public async Task<Problem?> AcknowledgeAsync(int id, ClaimsPrincipal user, AuditActor by, CancellationToken ct = default)
    {
        var view = await OpenAsync(id, user, ct);
        if (view is null) return new("Evaluation_NotFound", "No such evaluation.");
        if (!view.MayAcknowledge)
            return view.Evaluation.AcknowledgedAt is not null
                ? new("Acknowledge_Already", "You have acknowledged this evaluation already.")
                : new("Acknowledge_NotAllowed", "Only the agent whose call it is acknowledges a submitted evaluation.");
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        if (await db.Evaluations.Where(e => e.Id == id && e.State == EvaluationState.Submitted && e.AcknowledgedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.AcknowledgedAt, now), ct) == 0)
            return new("Dispute_Changed", "The evaluation changed meanwhile: open it again.");
        await audit.AppendAsync(by, AuditActions.EvaluationAcknowledged, AuditOutcomes.Success, view.Evaluation.RecordingId, AuditLog.Details(new { evaluation = id }));
        return null;
    }

    /// <summary>
    /// A manager settles a dispute: upheld (the evaluation stands), or re-evaluated (it is superseded by a new one on the
    /// scorecard's latest version, assigned to <paramref name="reevaluator"/> or the resolver). Returns the new evaluation's id.
    /// </summary>
    public async Task<(int? NewId, Problem? Problem)> ResolveAsync(
        int id, DisputeOutcome outcome, string? note, string? reevaluator, ClaimsPrincipal user, AuditActor by, CancellationToken ct = default)
    {
        var view = await OpenAsync(id, user, ct);
        if (view is null) return (null, new("Evaluation_NotFound", "No such evaluation."));
        var dispute = view.Evaluation.Disputes.Where(d => d.ResolvedAt is null).OrderByDescending(d => d.RaisedAt).FirstOrDefault();
        if (!view.MayResolve || dispute is null) return (null, new("Dispute_NoneOpen", "There is no open dispute on this evaluation."));
        if (string.Equals(dispute.RaisedBy, by.Name, StringComparison.OrdinalIgnoreCase))
            return (null, new("Dispute_Own", "Someone other than the person who raised the dispute must settle it."));
        if (outcome == DisputeOutcome.Upheld && string.IsNullOrWhiteSpace(note)) return (null, new("Dispute_Note", "Say why the evaluation stands."));
        var latest = await scorecards.LatestAsync(view.Scorecard.Scorecard.Id, ct);
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var next = outcome == DisputeOutcome.Upheld ? EvaluationState.Submitted : EvaluationState.Superseded;
        if (await db.Evaluations.Where(e => e.Id == id && e.State == EvaluationState.Disputed).ExecuteUpdateAsync(s => s.SetProperty(e => e.State, next), ct) == 0)
            return (null, new("Dispute_Changed", "Someone settled this dispute meanwhile."));
        await db.EvaluationDisputes.Where(d => d.Id == dispute.Id).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.ResolvedAt, now).SetProperty(d => d.ResolvedBy, by.Name)
            .SetProperty(d => d.Outcome, outcome).SetProperty(d => d.ResolutionNote, string.IsNullOrWhiteSpace(note) ? null : note.Trim()), ct);
        int? newId = null;
        if (outcome == DisputeOutcome.Reevaluated)
        {
            // The stored row, not the view: in blind mode the view may have blanked the agent.
            var old = await db.Evaluations.AsNoTracking().FirstAsync(e => e.Id == id, ct);
            var redo = db.Evaluations.Add(new Evaluation
            {
                RecordingId = old.RecordingId, SampleId = old.SampleId, SampleItemId = old.SampleItemId, ScorecardVersionId = latest!.Version.Id,
                Evaluator = string.IsNullOrWhiteSpace(reevaluator) ? by.Name : reevaluator.Trim(), AgentExtension = old.AgentExtension, AgentName = old.AgentName,
                Team = old.Team, CallStartedAt = old.CallStartedAt, Blind = false, State = EvaluationState.Assigned, CreatedAt = now, ReplacesId = old.Id,
            }).Entity;
            await db.SaveChangesAsync(ct);
            newId = redo.Id;
        }
        await tx.CommitAsync(ct);
        await audit.AppendAsync(by, AuditActions.DisputeResolved, AuditOutcomes.Success, view.Evaluation.RecordingId,
            AuditLog.Details(new { evaluation = id, outcome = outcome.ToString(), reevaluation = newId }), note);
        return (newId, null);
    }

    public sealed record ListItem(int Id, long RecordingId, string? AgentName, string? AgentExtension, string? Team, DateTime CallStartedAt,
        string Evaluator, EvaluationState State, decimal? Score, decimal? RawScore, bool CriticalFailed, IReadOnlyList<string> FailedQuestions,
        DateTime? SubmittedAt, string Scorecard, bool AgentHidden, DateTime? AgentReadAt, DateTime? AcknowledgedAt);

    /// <summary>
    /// The critical questions each of these evaluations failed (answered 0), by their text in the evaluation's scorecard
    /// version; evaluations that failed none are left out.
    /// </summary>
    public static async Task<Dictionary<int, IReadOnlyList<string>>> FailedCriticalAsync(AppDbContext db, IReadOnlyCollection<int> evaluationIds, CancellationToken ct)
    {
        var failed = new Dictionary<int, IReadOnlyList<string>>();
        foreach (var chunk in evaluationIds.Distinct().Chunk(500))
        {
            var zeros = await db.EvaluationAnswers.AsNoTracking().Where(a => chunk.Contains(a.EvaluationId) && a.Value == 0 && !a.NotApplicable)
                .Join(db.Evaluations.Where(e => e.CriticalFailed), a => a.EvaluationId, e => e.Id, (a, e) => new { a.EvaluationId, a.QuestionKey, e.ScorecardVersionId })
                .ToListAsync(ct);
            var versionIds = zeros.Select(z => z.ScorecardVersionId).Distinct().ToList();
            var forms = (await db.ScorecardVersions.AsNoTracking().Where(v => versionIds.Contains(v.Id)).Select(v => new { v.Id, v.Definition }).ToListAsync(ct))
                .ToDictionary(v => v.Id, v => ScorecardForm.FromJson(v.Definition));
            foreach (var group in zeros.GroupBy(z => z.EvaluationId))
            {
                var texts = group.Select(z => forms[z.ScorecardVersionId].Find(z.QuestionKey)).Where(q => q is { Critical: true }).Select(q => q!.Text).ToList();
                if (texts.Count > 0) failed[group.Key] = texts;
            }
        }
        return failed;
    }

    /// <summary>Assigned to me and not yet submitted.</summary>
    public Task<IReadOnlyList<ListItem>> ToDoAsync(ClaimsPrincipal user, CancellationToken ct = default)
    {
        var me = AuditLog.ActorOf(user);
        return ListAsync(user, q => q.Where(e => e.Evaluator == me && (e.State == EvaluationState.Assigned || e.State == EvaluationState.Draft)), ct);
    }

    /// <summary>Finished evaluations of the agent's own calls (none unless they may hear their own calls).</summary>
    public Task<IReadOnlyList<ListItem>> MineAsync(ClaimsPrincipal user, CancellationToken ct = default)
    {
        if (!user.IsInRole(Roles.Agent) || RecordingScope.OwnExtensionOf(user) is not { } extension) return Task.FromResult<IReadOnlyList<ListItem>>([]);
        return ListAsync(user, q => q.Where(e => e.AgentExtension == extension && (e.State == EvaluationState.Submitted || e.State == EvaluationState.Disputed)), ct);
    }

    /// <summary>Finished evaluations in a manager's teams, disputed ones first.</summary>
    public Task<IReadOnlyList<ListItem>> TeamAsync(ClaimsPrincipal user, CancellationToken ct = default)
    {
        if (!Permissions.Allows(user, Policies.RunQualityAudits)) return Task.FromResult<IReadOnlyList<ListItem>>([]);
        var teams = RecordingScope.TeamsOf(user);
        return ListAsync(user, q => q.Where(e => (e.State == EvaluationState.Submitted || e.State == EvaluationState.Disputed)
            && (teams.Count == 0 || e.Team != null && teams.Contains(e.Team))), ct);
    }

    private async Task<IReadOnlyList<ListItem>> ListAsync(ClaimsPrincipal reader, Func<IQueryable<Evaluation>, IQueryable<Evaluation>> filter, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var withheld = AppDbContext.MayBeWithheldFrom(reader) ? (await db.WithheldFrom(reader).ToListAsync(ct)).ToHashSet() : [];
        var rows = await filter(db.Evaluations.AsNoTracking())
            .OrderBy(e => e.State == EvaluationState.Disputed ? 0 : 1).ThenByDescending(e => e.SubmittedAt ?? e.CreatedAt).Take(500)
            .Select(e => new { e, Scorecard = e.ScorecardVersion!.Scorecard!.Name, Version = e.ScorecardVersion.Number })
            .ToListAsync(ct);
        var failed = await FailedCriticalAsync(db, rows.Where(x => x.e.CriticalFailed).Select(x => x.e.Id).ToList(), ct);
        return rows.Select(x =>
        {
            var hidden = x.e.Blind && !Finished(x.e.State) || withheld.Contains(x.e.RecordingId);
            return new ListItem(x.e.Id, x.e.RecordingId, hidden ? null : x.e.AgentName, hidden ? null : x.e.AgentExtension, hidden ? null : x.e.Team,
                x.e.CallStartedAt, x.e.Evaluator, x.e.State, x.e.Score, x.e.RawScore, x.e.CriticalFailed, failed.GetValueOrDefault(x.e.Id) ?? [], x.e.SubmittedAt,
                $"{x.Scorecard} v{x.Version}", hidden, x.e.AgentReadAt, x.e.AcknowledgedAt);
        }).ToList();
    }
}
