using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Features.Quality;

namespace NagrywanieRozmow.Tests.Features.Quality;

public sealed class EvaluationTests : IAsyncLifetime
{
    private readonly QualityApp app = new();
    public Task InitializeAsync() => app.InitializeAsync();
    Task IAsyncLifetime.DisposeAsync() => ((IAsyncLifetime)app).DisposeAsync();

    private static readonly System.Security.Claims.ClaimsPrincipal Agent = TestAuth.Principal("agent201@example.com", Roles.Agent, "Reklamacje", ownExtension: "201");
    private static readonly AuditActor AgentActor = new("agent201@example.com", null);

    private async Task<Evaluation> AssignedAsync(bool blind = false)
    {
        await app.AddCallsAsync("201", 1);
        var (sample, problems) = await app.Samples.CreateAsync("s", QualityApp.Week(total: 1, excludeEvaluated: false), 1, app.ScorecardVersionId, [QualityApp.Manager],
            blind, false, QualityApp.Qm(), QualityApp.ManagerActor);
        Assert.Empty(problems);
        return await app.WithDbAsync(db => db.Evaluations.OrderByDescending(e => e.Id).FirstAsync(e => e.SampleId == sample!.Id));
    }

    private Task<(ScoreResult? Score, IReadOnlyList<Problem> Problems)> SubmitAsync(int id, Dictionary<string, AnswerDraft> answers) =>
        app.Evaluations.SaveAsync(id, answers, "Ogólnie dobrze.", true, QualityApp.Qm(), QualityApp.ManagerActor);

    [Fact]
    public async Task Submitting_scores_with_the_weights_and_keeps_the_pinned_moment_and_note()
    {
        var e = await AssignedAsync();
        var (score, problems) = await SubmitAsync(e.Id, QualityApp.GoodAnswers());
        Assert.Empty(problems);
        // Powitanie 100 %; Rozmowa (2 × 4/5 + 1 × 5/5 + 1 × 3/3) / 4 = 90 %; Zakończenie n.a. → (1 × 100 + 2 × 90) / 3 = 93.3.
        Assert.Equal(93.3m, score!.Score);
        var stored = await app.WithDbAsync(db => db.Evaluations.Include(x => x.Answers).FirstAsync(x => x.Id == e.Id));
        Assert.Equal(EvaluationState.Submitted, stored.State);
        Assert.Equal(93.3m, stored.Score);
        var pinned = Assert.Single(stored.Answers, a => a.StartMs is not null);
        Assert.Equal(("potrzeba", 12_000, "dobre pytania otwarte"), (pinned.QuestionKey, pinned.StartMs!.Value, pinned.Note!));
        Assert.Equal(0.8m, pinned.Fraction);
        var audit = Assert.Single(await app.AuditAsync(AuditActions.EvaluationSubmitted));
        Assert.Equal(e.RecordingId, audit.RecordingId);
        Assert.Contains("\"score\":93.3", audit.Details);
        // Submitted is final: a second submit (another tab) is refused.
        Assert.Equal("Evaluation_Submitted", Assert.Single((await SubmitAsync(e.Id, QualityApp.GoodAnswers())).Problems).Key);
    }

    [Fact]
    public async Task A_failed_critical_question_gives_zero_and_an_incomplete_submission_stores_nothing()
    {
        var e = await AssignedAsync();
        var partial = QualityApp.GoodAnswers();
        partial.Remove("uprzejmosc");
        var refused = await SubmitAsync(e.Id, partial);
        Assert.Contains(refused.Problems, p => p.Key == "Answer_Missing" && p.Message.Contains("Rzeczowe i uprzejme"));
        Assert.Equal(EvaluationState.Assigned, (await app.WithDbAsync(db => db.Evaluations.FirstAsync(x => x.Id == e.Id))).State);
        // Saving it as a draft is fine, then submitting the rest.
        Assert.Empty((await app.Evaluations.SaveAsync(e.Id, partial, null, false, QualityApp.Qm(), QualityApp.ManagerActor)).Problems);
        Assert.Equal(EvaluationState.Draft, (await app.WithDbAsync(db => db.Evaluations.FirstAsync(x => x.Id == e.Id))).State);
        var (score, problems) = await SubmitAsync(e.Id, QualityApp.GoodAnswers(verify: 0));
        Assert.Empty(problems);
        Assert.True(score!.CriticalFailed);
        var stored = await app.WithDbAsync(db => db.Evaluations.FirstAsync(x => x.Id == e.Id));
        Assert.Equal((0m, 76.7m, true), (stored.Score!.Value, stored.RawScore!.Value, stored.CriticalFailed));
    }

    [Fact]
    public async Task An_evaluation_keeps_the_scorecard_version_it_was_made_with()
    {
        var e = await AssignedAsync();
        var changed = new ScorecardForm([.. Scorecards.DemoForm.Sections, new FormSection("Sprzedaż", 1, [new FormQuestion("oferta", "Zaproponował ofertę", QuestionKind.YesNo)])]);
        var card = (await app.Scorecards.ListAsync()).Single();
        var (version, saved, problems) = await app.Scorecards.SaveAsync(card.Id, card.Name, card.Description, changed, QualityApp.ManagerActor);
        Assert.Empty(problems);
        Assert.True(saved);
        Assert.Equal(2, version!.Number);
        // Saving the same form again makes no third version.
        Assert.False((await app.Scorecards.SaveAsync(card.Id, card.Name, card.Description, changed, QualityApp.ManagerActor)).Changed);

        var view = await app.Evaluations.OpenAsync(e.Id, QualityApp.Qm());
        Assert.Equal(1, view!.Scorecard.Version.Number);
        Assert.Null(view.Scorecard.Form.Find("oferta"));
        Assert.Empty((await SubmitAsync(e.Id, QualityApp.GoodAnswers())).Problems);
        Assert.Equal(2, (await app.AuditAsync(AuditActions.ScorecardSaved)).Count);
    }

    [Fact]
    public async Task Blind_mode_hides_the_agent_from_the_evaluator_until_submitted()
    {
        var e = await AssignedAsync(blind: true);
        var before = (await app.Evaluations.OpenAsync(e.Id, QualityApp.Qm()))!;
        Assert.True(before.AgentHidden);
        Assert.Null(before.Evaluation.AgentName);
        Assert.Null(before.Evaluation.AgentExtension);
        Assert.Null(before.Recording!.Extension);
        Assert.Null(before.Recording.UserName);
        Assert.All(await app.Evaluations.ToDoAsync(QualityApp.Qm()), i => Assert.Null(i.AgentName));

        Assert.Empty((await SubmitAsync(e.Id, QualityApp.GoodAnswers())).Problems);
        var after = (await app.Evaluations.OpenAsync(e.Id, QualityApp.Qm()))!;
        Assert.False(after.AgentHidden);
        Assert.Equal("Agent 201", after.Evaluation.AgentName);
        Assert.Equal("201", after.Recording!.Extension);
    }

    [Fact]
    public async Task The_agent_acknowledges_a_submitted_evaluation_once_audited_and_the_managers_list_shows_unread_read_and_acknowledged()
    {
        var e = await AssignedAsync();
        Assert.Empty((await SubmitAsync(e.Id, QualityApp.GoodAnswers())).Problems);
        async Task<(DateTime? Read, DateTime? Acknowledged)> InManagersList()
        {
            var item = Assert.Single(await app.Evaluations.TeamAsync(QualityApp.Qm()), i => i.Id == e.Id);
            return (item.AgentReadAt, item.AcknowledgedAt);
        }
        Assert.Equal((null, null), await InManagersList());

        // The manager opening it is no read receipt; the agent's first look is.
        Assert.False((await app.Evaluations.OpenAsync(e.Id, QualityApp.Qm()))!.MayAcknowledge);
        Assert.Null((await InManagersList()).Read);
        Assert.Equal("Acknowledge_NotAllowed", (await app.Evaluations.AcknowledgeAsync(e.Id, QualityApp.Qm(), QualityApp.ManagerActor))!.Key);
        var view = await app.Evaluations.OpenAsync(e.Id, Agent);
        Assert.True(view!.MayAcknowledge);
        Assert.Equal((QualityApp.Now, (DateTime?)null), await InManagersList());

        Assert.Null(await app.Evaluations.AcknowledgeAsync(e.Id, Agent, AgentActor));
        Assert.Equal(QualityApp.Now, (await InManagersList()).Acknowledged);
        Assert.False((await app.Evaluations.OpenAsync(e.Id, Agent))!.MayAcknowledge);
        Assert.Equal("Acknowledge_Already", (await app.Evaluations.AcknowledgeAsync(e.Id, Agent, AgentActor))!.Key);
        var entry = Assert.Single(await app.AuditAsync(AuditActions.EvaluationAcknowledged));
        Assert.Equal(("agent201@example.com", e.RecordingId), (entry.Actor, entry.RecordingId));
        // Another agent is told it does not exist.
        Assert.Equal("Evaluation_NotFound", (await app.Evaluations.AcknowledgeAsync(e.Id,
            TestAuth.Principal("agent202@example.com", Roles.Agent, "Reklamacje", ownExtension: "202"), new AuditActor("agent202@example.com", null)))!.Key);
    }

    [Fact]
    public async Task The_agent_reads_their_own_submitted_evaluation_but_not_a_draft_and_another_agent_reads_none()
    {
        var e = await AssignedAsync();
        Assert.Null(await app.Evaluations.OpenAsync(e.Id, Agent));
        Assert.Empty((await SubmitAsync(e.Id, QualityApp.GoodAnswers())).Problems);
        Assert.NotNull(await app.Evaluations.OpenAsync(e.Id, Agent));
        Assert.Single(await app.Evaluations.MineAsync(Agent));
        Assert.Null(await app.Evaluations.OpenAsync(e.Id, TestAuth.Principal("agent202@example.com", Roles.Agent, "Reklamacje", ownExtension: "202")));
        // An agent without "own recordings" sees nothing of it either.
        Assert.Null(await app.Evaluations.OpenAsync(e.Id, TestAuth.Principal("agent201@example.com", Roles.Agent, "Reklamacje")));
        // The agent's manager (team Reklamacje) reads it; a manager of another team does not.
        Assert.NotNull(await app.Evaluations.OpenAsync(e.Id, QualityApp.Qm(QualityApp.TeamManager, "Reklamacje")));
        Assert.Null(await app.Evaluations.OpenAsync(e.Id, QualityApp.Qm("sprzedaz@example.com", "Sprzedaż")));
    }

    [Fact]
    public async Task A_dispute_re_evaluated_leaves_a_trail_and_only_one_of_two_resolvers_wins()
    {
        var e = await AssignedAsync();
        Assert.Empty((await SubmitAsync(e.Id, QualityApp.GoodAnswers(verify: 0))).Problems);
        Assert.Equal("Dispute_Reason", (await app.Evaluations.DisputeAsync(e.Id, " ", Agent, AgentActor))!.Key);
        Assert.Null(await app.Evaluations.DisputeAsync(e.Id, "Weryfikacja była w 0:40, klient podał numer klienta.", Agent, AgentActor));
        Assert.Equal(EvaluationState.Disputed, (await app.WithDbAsync(db => db.Evaluations.FirstAsync(x => x.Id == e.Id))).State);

        // The evaluator themself does not settle it... unless they are also the agent's manager: here the second manager does.
        var second = QualityApp.Qm(QualityApp.SecondManager);
        var actor = new AuditActor(QualityApp.SecondManager, null);
        var both = await Task.WhenAll(
            app.Evaluations.ResolveAsync(e.Id, DisputeOutcome.Reevaluated, "Słusznie.", QualityApp.SecondManager, second, actor),
            app.Evaluations.ResolveAsync(e.Id, DisputeOutcome.Reevaluated, "Słusznie.", QualityApp.SecondManager, second, actor));
        var winner = Assert.Single(both, r => r.Problem is null);
        Assert.Single(both, r => r.Problem is not null);

        var redo = await app.WithDbAsync(db => db.Evaluations.FirstAsync(x => x.Id == winner.NewId));
        Assert.Equal((EvaluationState.Assigned, e.Id, QualityApp.SecondManager), (redo.State, redo.ReplacesId!.Value, redo.Evaluator));
        Assert.Equal(EvaluationState.Superseded, (await app.WithDbAsync(db => db.Evaluations.FirstAsync(x => x.Id == e.Id))).State);
        var trail = (await app.Evaluations.OpenAsync(redo.Id, second))!.Trail;
        Assert.Equal([e.Id, redo.Id], trail.Select(t => t.Id));
        Assert.Single(await app.AuditAsync(AuditActions.EvaluationDisputed));
        Assert.Single(await app.AuditAsync(AuditActions.DisputeResolved));
    }
}
