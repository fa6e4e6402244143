using System.Linq.Expressions;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Features.Retention;

/// <summary>The whole policy: a default and its overrides. The most specific matching rule decides.</summary>
public sealed record RetentionPolicy(IReadOnlyList<RetentionRule> Rules)
{
    public RetentionRule Default => Rules.First(r => r.IsDefault);

    public static RetentionPolicy FromDefault(int days) => new([new RetentionRule { Days = days == 0 ? null : days }]);

    public RetentionRule RuleFor(string? team, CallType type) =>
        Rules.Where(r => r.Matches(team, type)).MaxBy(r => r.Specificity) ?? Default;

    /// <summary>The moment a recording becomes due for the purge, or null when its rule keeps it.</summary>
    public DateTime? RetainUntil(string? team, CallType type, DateTime startedAtUtc) =>
        RuleFor(team, type).Days is { } days ? DateTime.SpecifyKind(startedAtUtc.AddDays(days), DateTimeKind.Utc) : null;

    /// <summary>
    /// The recordings this rule governs (it matches them and no more specific rule does), as a filter the database can run.
    /// </summary>
    public IQueryable<Recording> GovernedBy(IQueryable<Recording> recordings, RetentionRule rule)
    {
        if (rule.Team is { } team) recordings = recordings.Where(r => r.Team == team);
        if (rule.Type is { } type) recordings = recordings.Where(r => r.Type == type);
        foreach (var other in Rules.Where(o => o.Specificity > rule.Specificity && Overlaps(o, rule)))
            recordings = recordings.Where(Not(other));
        return recordings;
    }

    /// <summary>Recordings past their rule's period on <paramref name="nowUtc"/>, for one finite rule.</summary>
    public IQueryable<Recording> ExpiredUnder(IQueryable<Recording> recordings, RetentionRule rule, DateTime nowUtc)
    {
        if (rule.Days is not { } days) return recordings.Where(r => false);
        var cutoff = nowUtc.AddDays(-days);
        return GovernedBy(recordings, rule).Where(r => r.StartedAt < cutoff);
    }

    private static bool Overlaps(RetentionRule a, RetentionRule b) =>
        (a.Team is null || b.Team is null || a.Team == b.Team) && (a.Type is null || b.Type is null || a.Type == b.Type);

    private static Expression<Func<Recording, bool>> Not(RetentionRule other) => (other.Team, other.Type) switch
    {
        ({ } t, { } c) => r => !(r.Team == t && r.Type == c),
        ({ } t, null) => r => r.Team != t,
        (null, { } c) => r => r.Type != c,
        _ => r => false,
    };

    /// <summary>Problems that make a policy unusable (named for the person editing it); empty when it can be saved.</summary>
    public static IReadOnlyList<Problem> Validate(IReadOnlyList<RetentionRule> rules)
    {
        var problems = new List<Problem>();
        if (rules.Count(r => r.IsDefault) != 1) problems.Add(new("Problem_OneDefault", "The policy needs exactly one default rule."));
        foreach (var r in rules.Where(r => r.Days is < 1 or > 36500))
            problems.Add(new("Problem_Days", $"Rule '{r.Describe()}': days must be between 1 and 36500, or keep.", r));
        foreach (var g in rules.GroupBy(r => (r.Team, r.Type)).Where(g => g.Count() > 1))
            problems.Add(new("Problem_Twice", $"Rule '{g.First().Describe()}' is given {g.Count()} times.", g.First(), g.Count()));
        foreach (var r in rules.Where(r => r.Team is { } t && (t.Length > 100 || string.IsNullOrWhiteSpace(t))))
            problems.Add(new("Problem_TeamName", $"Rule '{r.Describe()}': the team name must be 1 to 100 characters.", r));
        return problems;
    }
}
