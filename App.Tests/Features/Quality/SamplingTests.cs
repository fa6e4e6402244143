using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Shared.Time;
using NagrywanieRozmow.Features.Quality;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Tests.Features.Quality;

public sealed class SamplingTests : IAsyncLifetime
{
    private readonly QualityApp app = new();
    public Task InitializeAsync() => app.InitializeAsync();
    Task IAsyncLifetime.DisposeAsync() => ((IAsyncLifetime)app).DisposeAsync();

    private async Task<List<long>> PickAsync(SampleCriteria criteria, int seed, string? team = null)
    {
        var (calls, _, problem) = await app.Sampler.PickAsync(criteria, seed, QualityApp.Qm(team: team));
        Assert.Null(problem);
        return calls.Select(c => c.RecordingId).ToList();
    }

    [Fact]
    public async Task The_same_criteria_and_seed_give_the_same_calls_in_the_same_order_and_another_seed_another_pick()
    {
        await app.AddCallsAsync("201", 9);
        await app.AddCallsAsync("202", 9);
        var first = await PickAsync(QualityApp.Week(total: 6), 1234);
        Assert.Equal(6, first.Count);
        Assert.Equal(first, await PickAsync(QualityApp.Week(total: 6), 1234));
        // A new service instance (as after a restart) draws the same.
        var fresh = new Sampler(app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>(), app.Services.GetRequiredService<DisplayTime>());
        Assert.Equal(first, (await fresh.PickAsync(QualityApp.Week(total: 6), 1234, QualityApp.Qm())).Calls.Select(c => c.RecordingId));
        Assert.NotEqual(first, await PickAsync(QualityApp.Week(total: 6), 4321));
    }

    [Fact]
    public async Task Per_agent_takes_that_many_of_each_and_all_of_an_agent_with_fewer()
    {
        var a = await app.AddCallsAsync("201", 8);
        var b = await app.AddCallsAsync("202", 2);
        var picked = await PickAsync(QualityApp.Week(perAgent: 3), 7);
        Assert.Equal(3, picked.Count(id => a.Any(r => r.Id == id)));
        Assert.Equal(b.Select(r => r.Id).Order(), picked.Where(id => b.Any(r => r.Id == id)).Order());
    }

    [Fact]
    public async Task Filters_narrow_the_candidates_by_period_team_agent_type_and_length()
    {
        var keep = await app.AddCallsAsync("201", 3, seconds: 90, type: CallType.Queue);
        await app.AddCallsAsync("201", 3, seconds: 20, type: CallType.Queue);
        await app.AddCallsAsync("301", 3, team: "Sprzedaż", seconds: 90, type: CallType.Queue);
        await app.AddCallsAsync("202", 3, seconds: 90, type: CallType.Outgoing);
        var picked = await PickAsync(QualityApp.Week(total: 50, teams: ["Reklamacje"], agents: ["201"], types: [CallType.Queue], minDuration: 60), 1);
        Assert.Equal(keep.Select(r => r.Id).Order(), picked.Order());
        var outside = QualityApp.Week(total: 50) with { From = new DateOnly(2026, 10, 1), To = new DateOnly(2026, 10, 31) };
        Assert.Empty(await PickAsync(outside, 1));
    }

    [Fact]
    public async Task Calls_already_evaluated_are_left_out_when_asked_but_assigned_ones_stay()
    {
        var calls = await app.AddCallsAsync("201", 4);
        var (sample, problems) = await app.Samples.CreateAsync("pierwsza", QualityApp.Week(total: 2), 5, app.ScorecardVersionId, [QualityApp.Manager], false, false,
            QualityApp.Qm(), QualityApp.ManagerActor);
        Assert.Empty(problems);
        var evaluation = await app.WithDbAsync(db => db.Evaluations.FirstAsync(e => e.SampleId == sample!.Id));
        Assert.Equal(4, (await PickAsync(QualityApp.Week(total: 50), 1)).Count);
        Assert.Empty((await app.Evaluations.SaveAsync(evaluation.Id, QualityApp.GoodAnswers(), null, true, QualityApp.Qm(), QualityApp.ManagerActor)).Problems);
        var left = await PickAsync(QualityApp.Week(total: 50), 1);
        Assert.Equal(3, left.Count);
        Assert.DoesNotContain(evaluation.RecordingId, left);
        Assert.Equal(4, (await PickAsync(QualityApp.Week(total: 50, excludeEvaluated: false), 1)).Count);
    }

    [Fact]
    public async Task A_team_manager_never_draws_another_teams_calls()
    {
        await app.AddCallsAsync("201", 3);
        var other = await app.AddCallsAsync("301", 3, team: "Sprzedaż");
        var picked = await PickAsync(QualityApp.Week(total: 50), 1, team: "Reklamacje");
        Assert.Equal(3, picked.Count);
        Assert.DoesNotContain(picked, id => other.Any(r => r.Id == id));
    }

    [Fact]
    public async Task A_sample_stores_its_seed_and_hands_calls_round_robin_or_to_everyone_in_calibration()
    {
        await app.AddCallsAsync("201", 5);
        var (sample, problems) = await app.Samples.CreateAsync("listopad", QualityApp.Week(total: 4), 99, app.ScorecardVersionId,
            [QualityApp.Manager, QualityApp.SecondManager], blind: true, calibration: false, QualityApp.Qm(), QualityApp.ManagerActor);
        Assert.Empty(problems);
        Assert.Equal(99, sample!.Seed);
        var evaluations = await app.WithDbAsync(db => db.Evaluations.Where(e => e.SampleId == sample.Id).ToListAsync());
        Assert.Equal(4, evaluations.Count);
        Assert.Equal(2, evaluations.Count(e => e.Evaluator == QualityApp.Manager));
        Assert.All(evaluations, e => { Assert.Equal(EvaluationState.Assigned, e.State); Assert.True(e.Blind); Assert.Equal("201", e.AgentExtension); });
        var items = await app.WithDbAsync(db => db.SampleItems.Where(i => i.SampleId == sample.Id).OrderBy(i => i.Position).Select(i => i.RecordingId).ToListAsync());
        Assert.Equal((await app.Sampler.PickAsync(QualityApp.Week(total: 4), 99, QualityApp.Qm())).Calls.Select(c => c.RecordingId), items);

        var (calibration, _) = await app.Samples.CreateAsync("kalibracja", QualityApp.Week(total: 2, excludeEvaluated: false), null, app.ScorecardVersionId,
            [QualityApp.Manager, QualityApp.SecondManager], blind: false, calibration: true, QualityApp.Qm(), QualityApp.ManagerActor);
        var pairs = await app.WithDbAsync(db => db.Evaluations.Where(e => e.SampleId == calibration!.Id).GroupBy(e => e.RecordingId).Select(g => g.Count()).ToListAsync());
        Assert.Equal([2, 2], pairs);
        var audit = await app.AuditAsync(AuditActions.SampleCreated);
        Assert.Equal(2, audit.Count);
        Assert.Contains("\"seed\":99", audit[0].Details);
    }

    [Fact]
    public async Task A_sample_drawn_before_its_evaluators_were_stored_gives_them_back_from_its_assignments()
    {
        await app.AddCallsAsync("202", 5);
        var (sample, _) = await app.Samples.CreateAsync("stara", QualityApp.Week(total: 3, excludeEvaluated: false), 7, app.ScorecardVersionId,
            [QualityApp.SecondManager, QualityApp.Manager], blind: true, calibration: false, QualityApp.Qm(), QualityApp.ManagerActor);
        var (calibration, _) = await app.Samples.CreateAsync("stara kalibracja", QualityApp.Week(total: 2, excludeEvaluated: false), 7, app.ScorecardVersionId,
            [QualityApp.Manager, QualityApp.SecondManager], blind: false, calibration: true, QualityApp.Qm(), QualityApp.ManagerActor);
        await app.WithDbAsync(db => db.AuditSamples.ExecuteUpdateAsync(s => s.SetProperty(x => x.Evaluators, (string?)null).SetProperty(x => x.Calibration, false)));

        var inputs = await app.Samples.InputsOfAsync(sample!.Id, QualityApp.Qm());
        Assert.Equal([QualityApp.SecondManager, QualityApp.Manager], inputs!.Evaluators);
        Assert.False(inputs.Calibration);
        Assert.True(inputs.Blind);
        var again = await app.Samples.InputsOfAsync(calibration!.Id, QualityApp.Qm());
        Assert.True(again!.Calibration);
        Assert.Equal(2, again.Evaluators.Count);
        Assert.Null(await app.Samples.InputsOfAsync(sample.Id, QualityApp.Qm(QualityApp.TeamManager, team: "Sprzedaż")));
    }

    [Fact]
    public async Task A_refused_sample_names_each_problem_and_stores_nothing()
    {
        await app.AddCallsAsync("201", 2);
        var bad = QualityApp.Week(perAgent: 2, total: 3) with { From = new DateOnly(2026, 12, 5) };
        var (sample, problems) = await app.Samples.CreateAsync("", bad, null, app.ScorecardVersionId, ["agent201@example.com"], false, false, QualityApp.Qm(), QualityApp.ManagerActor);
        Assert.Null(sample);
        var keys = problems.Select(p => p.Key).ToList();
        Assert.Contains("Sample_Period", keys);
        Assert.Contains("Sample_Count", keys);
        Assert.Contains("Sample_Name", keys);
        Assert.Contains("Sample_NotEvaluator", keys);
        var (none, empty) = await app.Samples.CreateAsync("pusta", QualityApp.Week(total: 2, teams: ["Nikt"]), null, app.ScorecardVersionId, [QualityApp.Manager], false, false,
            QualityApp.Qm(), QualityApp.ManagerActor);
        Assert.Null(none);
        Assert.Equal("Sample_Empty", Assert.Single(empty).Key);
        Assert.Equal(0, await app.WithDbAsync(db => db.AuditSamples.CountAsync()));
        Assert.Equal(0, await app.WithDbAsync(db => db.Evaluations.CountAsync()));
    }
}
