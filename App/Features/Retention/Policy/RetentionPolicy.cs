using System.Linq.Expressions;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Shared.Storage;

namespace NagrywanieRozmow.Features.Retention;

/// <summary>The whole policy: a default and its overrides. The most specific matching rule decides.</summary>
public sealed record RetentionPolicy(IReadOnlyList<RetentionRule> Rules)
{
    public RetentionRule Default => Rules.First(r => r.IsDefault);

    public static RetentionPolicy FromDefault(int days, int archiveDays = 0) =>
        new([new RetentionRule { Days = days == 0 ? null : days, ArchiveDays = archiveDays == 0 ? null : archiveDays }]);

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

    /// <summary>Hot recordings past their rule's archive period on <paramref name="nowUtc"/>, for one rule that archives.</summary>
    public IQueryable<Recording> ArchiveDueUnder(IQueryable<Recording> recordings, RetentionRule rule, DateTime nowUtc)
    {
        if (rule.ArchiveDays is not { } days) return recordings.Where(r => false);
        var cutoff = nowUtc.AddDays(-days);
        return GovernedBy(recordings, rule).Where(r => r.Tier == StorageTier.Hot && r.StartedAt < cutoff);
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
    /// <param name="archiveConfigured">False when no archive store is configured: a rule may not archive then.</param>
    public static IReadOnlyList<Problem> Validate(IReadOnlyList<RetentionRule> rules, bool archiveConfigured = true)
    {
        var problems = new List<Problem>();
        if (rules.Count(r => r.IsDefault) != 1) problems.Add(new("Problem_OneDefault", "The policy needs exactly one default rule."));
        foreach (var r in rules.Where(r => r.Days is < 1 or > 36500))
            problems.Add(new("Problem_Days", $"Rule '{r.Describe()}': days must be between 1 and 36500, or keep.", r));
        foreach (var g in rules.GroupBy(r => (r.Team, r.Type)).Where(g => g.Count() > 1))
            problems.Add(new("Problem_Twice", $"Rule '{g.First().Describe()}' is given {g.Count()} times.", g.First(), g.Count()));
        foreach (var r in rules.Where(r => r.ArchiveDays is < 1 or > 36500))
            problems.Add(new("Problem_ArchiveDays", $"Rule '{r.Describe()}': archive after must be between 1 and 36500 days, or never.", r));
        foreach (var r in rules.Where(r => r.ArchiveDays is { } a and >= 1 && r.Days is { } d && a >= d))
            problems.Add(new("Problem_ArchiveAfterDelete", $"Rule '{r.Describe()}': archiving ({r.ArchiveDays} days) must come before deletion ({r.Days} days).", r));
        if (!archiveConfigured && rules.FirstOrDefault(r => r.ArchiveDays is not null) is { } archiving)
            problems.Add(new("Problem_NoArchiveStore",
                $"Rule '{archiving.Describe()}': no archive store is configured (Storage:ArchivePath for the folder store, Storage:ArchiveTier for Azure Blob).", archiving));
        foreach (var r in rules.Where(r => r.Team is { } t && (t.Length > 100 || string.IsNullOrWhiteSpace(t))))
            problems.Add(new("Problem_TeamName", $"Rule '{r.Describe()}': the team name must be 1 to 100 characters.", r));
        return problems;
    }
}
