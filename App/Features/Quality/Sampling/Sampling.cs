using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Shared.Time;

namespace NagrywanieRozmow.Features.Quality;

/// <summary>
/// What an audit sample draws from: calls in the period (whole days in App:TimeZone, both ends included) of the teams, agents
/// (extensions) and call types given (empty = any), at least MinDurationSeconds long; PerAgent calls of each agent, or Total
/// calls in all; calls already evaluated (submitted or disputed) left out when ExcludeEvaluated.
/// </summary>
public sealed record SampleCriteria(
    DateOnly From, DateOnly To, IReadOnlyList<string> Teams, IReadOnlyList<string> Agents, IReadOnlyList<CallType> Types,
    int MinDurationSeconds, int? PerAgent, int? Total, bool ExcludeEvaluated)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static SampleCriteria FromJson(string json) => JsonSerializer.Deserialize<SampleCriteria>(json, Json)!;

    public IReadOnlyList<Problem> Validate()
    {
        var problems = new List<Problem>();
        if (From > To) problems.Add(new("Sample_Period", "The period's start is after its end."));
        else if (To.DayNumber - From.DayNumber > 366) problems.Add(new("Sample_PeriodLong", "A sample covers at most a year."));
        if (PerAgent is null == Total is null) problems.Add(new("Sample_Count", "Give either a number of calls per agent or a total, not both."));
        if (PerAgent is < 1 or > 1000 || Total is < 1 or > 1000) problems.Add(new("Sample_CountRange", "The number of calls must be 1–1000."));
        if (MinDurationSeconds is < 0 or > 86_400) problems.Add(new("Sample_MinDuration", "The minimum duration must be 0–86400 seconds."));
        return problems;
    }
}

public sealed record SampledCall(long RecordingId, string? Extension, string? UserName, string? Team, DateTime StartedAt);

/// <summary>
/// Draws the calls. Reproducible: the candidates come in a stable order (by id), and the shuffle uses <see cref="Random"/>
/// constructed with the seed, whose sequence .NET keeps fixed for an explicit seed (it is the legacy algorithm, kept for
/// exactly this). Same criteria, same seed, same data: same calls in the same order. The limit: recordings purged from the
/// period since, or arriving late into it, change the candidates and so the pick.
/// </summary>
public sealed class Sampler(IDbContextFactory<AppDbContext> dbs, DisplayTime display)
{
    /// <summary>Above this many candidate calls the period or filters must be narrowed (the candidates are held in memory).</summary>
    public const int MaxCandidates = 200_000;

    public async Task<(IReadOnlyList<SampledCall> Calls, int Candidates, Problem? Problem)> PickAsync(
        SampleCriteria criteria, int seed, ClaimsPrincipal user, CancellationToken ct = default)
    {
        var from = display.ToUtc(criteria.From.ToDateTime(TimeOnly.MinValue));
        var to = display.ToUtc(criteria.To.AddDays(1).ToDateTime(TimeOnly.MinValue));
        var minMs = criteria.MinDurationSeconds * 1000;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var query = db.Recordings.AsNoTracking().InScopeOf(user).Where(r => r.StartedAt >= from && r.StartedAt < to && r.DurationMs >= minMs);
        if (criteria.Teams.Count > 0) query = query.Where(r => r.Team != null && criteria.Teams.Contains(r.Team));
        if (criteria.Agents.Count > 0) query = query.Where(r => r.Extension != null && criteria.Agents.Contains(r.Extension));
        if (criteria.Types.Count > 0) query = query.Where(r => criteria.Types.Contains(r.Type));
        if (criteria.ExcludeEvaluated)
            query = query.Where(r => !db.Evaluations.Any(e => e.RecordingId == r.Id && (e.State == EvaluationState.Submitted || e.State == EvaluationState.Disputed)));
        var candidates = await query.OrderBy(r => r.Id).Take(MaxCandidates + 1)
            .Select(r => new SampledCall(r.Id, r.Extension, r.UserName, r.Team, r.StartedAt)).ToListAsync(ct);
        if (candidates.Count > MaxCandidates)
            return ([], candidates.Count, new("Sample_TooMany", $"More than {MaxCandidates:N0} calls match: narrow the period or the filters.", MaxCandidates));

        var random = new Random(seed);
        List<SampledCall> picked;
        if (criteria.PerAgent is { } perAgent)
        {
            picked = [];
            foreach (var stratum in candidates.GroupBy(c => c.Extension ?? "").OrderBy(g => g.Key, StringComparer.Ordinal))
                picked.AddRange(Shuffle(stratum.ToList(), random).Take(perAgent));
        }
        else picked = Shuffle(candidates, random).Take(criteria.Total ?? 0).ToList();
        return (picked, candidates.Count, null);
    }

    private static List<T> Shuffle<T>(List<T> items, Random random)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
        return items;
    }
}

public sealed record Evaluator(string Email, string? DisplayName);

/// <summary>Everything a sample was drawn with: "draw again" starts from it, so the repeat goes to the same people the same way.</summary>
public sealed record SampleInputs(
    string Name, SampleCriteria Criteria, int Seed, int ScorecardVersionId, IReadOnlyList<string> Evaluators, bool Blind, bool Calibration);

public sealed record SampleSummary(int Id, string Name, int Seed, bool Blind, string CreatedBy, DateTime CreatedAt, int Calls, int Evaluations, int Done);

/// <summary>Stores a drawn sample and hands its calls to the evaluators: round robin, or every call to each in calibration.</summary>
public sealed class Samples(IDbContextFactory<AppDbContext> dbs, Sampler sampler, AuditLog audit, TimeProvider time)
{
    /// <summary>People who may evaluate: active Quality managers and Administrators.</summary>
    public async Task<IReadOnlyList<Evaluator>> EvaluatorsAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        string[] roles = [Roles.QualityManager, Roles.Administrator];
        return await db.Users.AsNoTracking()
            .Where(u => !u.IsDisabled && u.Email != null && db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && roles.Contains(r.Name!))))
            .OrderBy(u => u.Email).Select(u => new Evaluator(u.Email!, u.DisplayName)).ToListAsync(ct);
    }

    public async Task<(AuditSample? Sample, IReadOnlyList<Problem> Problems)> CreateAsync(
        string? name, SampleCriteria criteria, int? seed, int scorecardVersionId, IReadOnlyList<string> evaluators, bool blind, bool calibration,
        ClaimsPrincipal user, AuditActor by, CancellationToken ct = default)
    {
        var problems = new List<Problem>(criteria.Validate());
        name = name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200) problems.Add(new("Sample_Name", "A sample needs a name of 1–200 characters."));
        var chosen = evaluators.Select(e => e.Trim()).Where(e => e.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (chosen.Count == 0) problems.Add(new("Sample_NoEvaluator", "Choose at least one evaluator."));
        var allowed = (await EvaluatorsAsync(ct)).ToDictionary(e => e.Email, e => e.Email, StringComparer.OrdinalIgnoreCase);
        foreach (var e in chosen.Where(e => !allowed.ContainsKey(e)))
            problems.Add(new("Sample_NotEvaluator", $"{e} is not an active quality manager or administrator.", e));
        // As the account spells it: a blind evaluation withholds the call from exactly that person (AppDbContext.WithheldFrom).
        chosen = chosen.Select(e => allowed.GetValueOrDefault(e, e)).ToList();
        await using var db = await dbs.CreateDbContextAsync(ct);
        var version = await db.ScorecardVersions.AsNoTracking().Include(v => v.Scorecard).FirstOrDefaultAsync(v => v.Id == scorecardVersionId, ct);
        if (version is null || version.Scorecard!.Archived) problems.Add(new("Sample_Scorecard", "Choose a scorecard."));
        if (problems.Count > 0) return (null, problems);

        var usedSeed = seed ?? Random.Shared.Next();
        var (calls, _, problem) = await sampler.PickAsync(criteria, usedSeed, user, ct);
        if (problem is not null) return (null, [problem]);
        if (calls.Count == 0) return (null, [new("Sample_Empty", "No calls match the criteria.")]);

        var now = time.GetUtcNow().UtcDateTime;
        var sample = new AuditSample
        {
            Name = name!, Criteria = criteria.ToJson(), Seed = usedSeed, Blind = blind, ScorecardVersionId = scorecardVersionId,
            Evaluators = string.Join('\n', chosen), Calibration = calibration,
            CreatedAt = now, CreatedBy = by.Name,
            Items = calls.Select((c, i) => new SampleItem
            {
                Position = i + 1, RecordingId = c.RecordingId, AgentExtension = c.Extension, AgentName = c.UserName, Team = c.Team, CallStartedAt = c.StartedAt,
            }).ToList(),
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.AuditSamples.Add(sample);
        await db.SaveChangesAsync(ct);
        var evaluations = sample.Items.SelectMany((item, i) => (calibration ? chosen : [chosen[i % chosen.Count]]).Select(evaluator => new Evaluation
        {
            RecordingId = item.RecordingId, SampleId = sample.Id, SampleItemId = item.Id, ScorecardVersionId = scorecardVersionId, Evaluator = evaluator,
            AgentExtension = item.AgentExtension, AgentName = item.AgentName, Team = item.Team, CallStartedAt = item.CallStartedAt, Blind = blind,
            State = EvaluationState.Assigned, CreatedAt = now,
        })).ToList();
        db.Evaluations.AddRange(evaluations);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await audit.AppendAsync(by, AuditActions.SampleCreated, AuditOutcomes.Success, details: AuditLog.Details(new
        {
            sample = sample.Id, name = sample.Name, seed = usedSeed, criteria, calls = calls.Count, evaluators = chosen, blind, calibration,
            scorecardVersion = scorecardVersionId,
        }));
        return (sample, []);
    }

    /// <summary>Samples the caller drew, or whose calls lie in their teams (all for a person without a team limit).</summary>
    public async Task<IReadOnlyList<SampleSummary>> ListAsync(ClaimsPrincipal user, CancellationToken ct = default)
    {
        var teams = RecordingScope.TeamsOf(user);
        var me = AuditLog.ActorOf(user);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var samples = db.AuditSamples.AsNoTracking();
        if (teams.Count > 0) samples = samples.Where(s => s.CreatedBy == me || s.Items.All(i => i.Team != null && teams.Contains(i.Team)));
        return await samples.OrderByDescending(s => s.CreatedAt).Take(200)
            .Select(s => new SampleSummary(s.Id, s.Name, s.Seed, s.Blind, s.CreatedBy, s.CreatedAt, s.Items.Count,
                db.Evaluations.Count(e => e.SampleId == s.Id && e.State != EvaluationState.Superseded),
                db.Evaluations.Count(e => e.SampleId == s.Id && (e.State == EvaluationState.Submitted || e.State == EvaluationState.Disputed))))
            .ToListAsync(ct);
    }

    /// <summary>
    /// What sample <paramref name="id"/> was drawn with, for "draw again"; null when it does not exist or the caller may not see it.
    /// A sample drawn before the evaluators and mode were stored gives them back from its assignments: the evaluators in the
    /// order they were first handed a call (round robin's order), a calibration when a call went to more than one.
    /// </summary>
    public async Task<SampleInputs?> InputsOfAsync(int id, ClaimsPrincipal user, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var sample = await db.AuditSamples.AsNoTracking().Include(s => s.Items).FirstOrDefaultAsync(s => s.Id == id, ct);
        if (sample is null || !MaySee(sample, sample.Items, user)) return null;
        var (evaluators, calibration) = (sample.Evaluators?.Split('\n', StringSplitOptions.RemoveEmptyEntries), sample.Calibration);
        if (evaluators is null)
        {
            var assigned = await db.Evaluations.AsNoTracking().Where(e => e.SampleId == id && e.SampleItemId != null)
                .Join(db.SampleItems, e => e.SampleItemId, i => i.Id, (e, i) => new { e.Evaluator, i.Position, e.Id }).ToListAsync(ct);
            evaluators = assigned.OrderBy(a => a.Position).ThenBy(a => a.Id).Select(a => a.Evaluator).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
            calibration = assigned.GroupBy(a => a.Position).Any(g => g.Select(a => a.Evaluator).Distinct(StringComparer.OrdinalIgnoreCase).Count() > 1);
        }
        return new SampleInputs(sample.Name, SampleCriteria.FromJson(sample.Criteria), sample.Seed, sample.ScorecardVersionId, evaluators, sample.Blind, calibration);
    }

    public static bool MaySee(AuditSample sample, IEnumerable<SampleItem> items, ClaimsPrincipal user)
    {
        var teams = RecordingScope.TeamsOf(user);
        return teams.Count == 0 || sample.CreatedBy == AuditLog.ActorOf(user) || items.All(i => i.Team != null && teams.Contains(i.Team));
    }
}
