using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Data;

namespace NagrywanieRozmow.Features.Quality;

/// <summary>
/// Submitted evaluations for the demo installation, so its quality reports and calibration view have something to show:
/// about sixty calls scored against the demo scorecard by the demo quality manager (Reklamacje) and the administrator
/// (other teams), each agent with their own typical level, and six Reklamacje calls scored by both (mostly agreeing) for calibration.
/// Written straight to the database (not through <see cref="Evaluations"/>), so the audit log holds no submissions nobody made.
/// </summary>
public static class DemoEvaluations
{
    public static async Task SeedAsync(IDbContextFactory<AppDbContext> dbs, Scorecards scorecards, string qualityManager, string admin, TimeProvider time, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (await db.Evaluations.AnyAsync(ct) || (await scorecards.ListAsync(false, ct)).FirstOrDefault() is not { } card) return;
        var form = (await scorecards.VersionAsync(card.LatestVersionId, ct))!.Form;
        var calls = await db.Recordings.AsNoTracking().Where(r => r.Extension != null && r.DurationMs >= 30_000)
            .OrderBy(r => r.Id).Select(r => new { r.Id, r.Extension, r.UserName, r.Team, r.StartedAt }).ToListAsync(ct);
        var random = new Random(2026);
        var picked = calls.OrderBy(_ => random.Next()).Take(60).ToList();
        var now = time.GetUtcNow().UtcDateTime;
        var calibration = 0;
        foreach (var call in picked)
        {
            // Each agent has a typical level (from the extension), each call varies around it.
            var level = 0.62 + (int.Parse(call.Extension!) * 7919 % 31) / 100.0;
            var answers = form.Questions.ToDictionary(q => q.Key, q => Answer(q, level, random));
            var second = call.Team == "Reklamacje" && calibration++ < 6
                // The second opinion mostly agrees: about one answer in four differs.
                ? form.Questions.ToDictionary(q => q.Key, q => random.NextDouble() < 0.25 ? Answer(q, level, random) : answers[q.Key])
                : null;
            Add(call.Team == "Reklamacje" ? qualityManager : admin, answers);
            if (second is not null) Add(admin, second);

            void Add(string evaluator, Dictionary<string, AnswerInput> given)
            {
                var score = Scoring.Score(form, given);
                db.Evaluations.Add(new Evaluation
                {
                    RecordingId = call.Id, ScorecardVersionId = card.LatestVersionId, Evaluator = evaluator, AgentExtension = call.Extension,
                    AgentName = call.UserName, Team = call.Team, CallStartedAt = call.StartedAt, State = EvaluationState.Submitted,
                    Score = score.Score, RawScore = score.RawScore, CriticalFailed = score.CriticalFailed, CreatedAt = now, SubmittedAt = now,
                    Notes = "Ocena przykładowa (dane demonstracyjne).",
                    Answers = given.Select(a => new EvaluationAnswer
                    {
                        QuestionKey = a.Key, Value = a.Value.Value, NotApplicable = a.Value.NotApplicable, Fraction = score.Fractions.GetValueOrDefault(a.Key),
                    }).ToList(),
                });
            }
        }
        await db.SaveChangesAsync(ct);
    }

    private static AnswerInput Answer(FormQuestion q, double level, Random random)
    {
        if (q.Critical) return new(random.NextDouble() < 0.06 ? 0 : 1);
        if (q.AllowNotApplicable && q.Kind == QuestionKind.YesNo && random.NextDouble() < 0.15) return new(null, true);
        var p = Math.Clamp(level + (random.NextDouble() - 0.5) * 0.3, 0, 1);
        return new(q.Kind == QuestionKind.YesNo ? random.NextDouble() < p ? 1 : 0 : Math.Round((decimal)p * q.Max));
    }
}
