using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Data;

namespace NagrywanieRozmow.Features.Retention;

/// <summary>What one finite rule of a proposed policy would do at the next purge.</summary>
/// <param name="More">Of <paramref name="Deleted"/>, those the policy in force would still keep: the shortening.</param>
/// <param name="Held">Expired under the rule, but kept by a legal hold.</param>
public sealed record RuleImpact(RetentionRule Rule, int Deleted, int More, int Held);

/// <summary>A proposed policy and its impact, most specific rule first.</summary>
public sealed record PolicyImpact(IReadOnlyList<RetentionRule> Rules, IReadOnlyList<RuleImpact> Lines)
{
    public int More => Lines.Sum(l => l.More);
}

/// <summary>
/// Before a policy is saved, the panel shows what it would delete that the one in force would not, so a shortened period
/// is confirmed by someone who has seen the numbers.
/// </summary>
public sealed class RetentionImpact(IDbContextFactory<AppDbContext> dbs, RetentionPolicies policies)
{
    public async Task<PolicyImpact> OfAsync(RetentionPolicy next, DateTime purgeAtUtc, CancellationToken ct = default)
    {
        var current = await policies.CurrentAsync(ct, fresh: true);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var free = db.Recordings.Where(r => !r.LegalHold);
        var expiredNow = current.Rules.Where(r => r.Days is not null)
            .Select(r => current.ExpiredUnder(free, r, purgeAtUtc).Select(x => x.Id))
            .Aggregate((IQueryable<long>?)null, (all, ids) => all is null ? ids : all.Union(ids));
        var lines = new List<RuleImpact>();
        foreach (var rule in next.Rules.Where(r => r.Days is not null).OrderByDescending(r => r.Specificity))
        {
            var expired = next.ExpiredUnder(free, rule, purgeAtUtc);
            var deleted = await expired.CountAsync(ct);
            var more = deleted == 0 ? 0 : expiredNow is null ? deleted : await expired.CountAsync(x => !expiredNow.Contains(x.Id), ct);
            var held = await next.ExpiredUnder(db.Recordings.Where(r => r.LegalHold), rule, purgeAtUtc).CountAsync(ct);
            lines.Add(new RuleImpact(rule, deleted, more, held));
        }
        return new PolicyImpact(next.Rules, lines);
    }
}
