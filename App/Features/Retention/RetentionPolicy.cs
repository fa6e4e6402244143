using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Audit;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Features.Retention;

/// <summary>
/// One line of the retention policy: how many days recordings of a team and/or call type are kept. Team and Type both null is
/// the default. Days null means "keep" (never purged).
/// </summary>
public sealed class RetentionRule
{
    public long Id { get; set; }
    public string? Team { get; set; }
    public CallType? Type { get; set; }
    public int? Days { get; set; }

    public bool IsDefault => Team is null && Type is null;

    /// <summary>Higher wins: team and type (3), team (2), type (1), the default (0). A team's rule beats a call type's.</summary>
    public int Specificity => (Team is null ? 0 : 2) + (Type is null ? 0 : 1);

    public bool Matches(string? team, CallType type) => (Team is null || Team == team) && (Type is null || Type == type);

    /// <summary>Invariant wording for tombstones, audit details and the CLI (the panel shows its own translated label).</summary>
    public string Describe() =>
        (Team, Type) switch
        {
            (null, null) => "default",
            ({ } t, null) => $"team {t}",
            (null, { } c) => $"type {c}",
            ({ } t, { } c) => $"team {t}, type {c}",
        } + ": " + (Days is { } d ? d.ToString(CultureInfo.InvariantCulture) + " days" : "keep");
}

internal sealed class RetentionRuleConfiguration : IEntityTypeConfiguration<RetentionRule>
{
    public void Configure(EntityTypeBuilder<RetentionRule> e)
    {
        e.ToTable("RetentionRules");
        e.Property(r => r.Team).HasMaxLength(100);
        e.Property(r => r.Type).HasConversion<string>().HasMaxLength(16);
        e.HasIndex(r => new { r.Team, r.Type }).IsUnique();
        e.Ignore(r => r.IsDefault);
        e.Ignore(r => r.Specificity);
    }
}

public sealed class RetentionOptions
{
    /// <summary>The default a new install starts with, in days; 0 keeps recordings. The panel's saved policy takes over.</summary>
    [Range(0, 36500)] public int DefaultDays { get; set; } = 365;

    /// <summary>When the daily purge runs, as HH:mm in App:TimeZone.</summary>
    [Required, RegularExpression(@"^([01]\d|2[0-3]):[0-5]\d$", ErrorMessage = "Retention:PurgeTime must be HH:mm, e.g. 02:30.")]
    public string PurgeTime { get; set; } = "02:30";

    /// <summary>Recordings deleted per transaction: small enough that the panel's own writes never wait long.</summary>
    [Range(1, 10000)] public int BatchSize { get; set; } = 500;

    /// <summary>Pause between batches, so searches and ingestion get the database in between.</summary>
    [Range(0, 10000)] public int BatchPauseMs { get; set; } = 20;

    /// <summary>Four eyes: a manual deletion waits until a second person with the deletion permission approves it.</summary>
    public bool FourEyes { get; set; }
}

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

/// <summary>Reads and saves the policy. Until an administrator saves one, the policy is Retention:DefaultDays alone.</summary>
public sealed class RetentionPolicies(IDbContextFactory<AppDbContext> dbs, IOptions<RetentionOptions> options, AuditLog audit)
{
    /// <summary>How long a read policy serves searches (every recording JSON carries retainUntil) before it is read again.</summary>
    private const long CacheMs = 30_000;
    private (RetentionPolicy Policy, long ReadAt)? cached;

    /// <summary>
    /// The policy in force. Searches may get one read up to 30 s ago (a save here refreshes it at once; another instance's
    /// save shows within that time); the purge asks for <paramref name="fresh"/>.
    /// </summary>
    public async Task<RetentionPolicy> CurrentAsync(CancellationToken ct = default, bool fresh = false)
    {
        if (!fresh && cached is { } c && Environment.TickCount64 - c.ReadAt < CacheMs) return c.Policy;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var rules = await db.Set<RetentionRule>().AsNoTracking().ToListAsync(ct);
        var policy = rules.Any(r => r.IsDefault) ? new RetentionPolicy(rules) : RetentionPolicy.FromDefault(options.Value.DefaultDays);
        cached = (policy, Environment.TickCount64);
        return policy;
    }

    /// <summary>Replaces the policy (audited with the old and new rules). Returns the problems instead when it is not valid.</summary>
    public async Task<IReadOnlyList<Problem>> SaveAsync(IReadOnlyList<RetentionRule> rules, AuditActor by, CancellationToken ct = default)
    {
        var problems = RetentionPolicy.Validate(rules);
        if (problems.Count > 0) return problems;
        var before = await CurrentAsync(ct, fresh: true);
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.Set<RetentionRule>().ExecuteDeleteAsync(ct);
            db.AddRange(rules.Select(r => new RetentionRule { Team = r.Team?.Trim(), Type = r.Type, Days = r.Days }));
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        cached = null;
        await audit.AppendAsync(by, AuditActions.RetentionPolicyChanged, AuditOutcomes.Success, details: AuditLog.Details(new
        {
            before = before.Rules.Select(r => r.Describe()),
            after = rules.Select(r => r.Describe()),
        }));
        return [];
    }
}
