using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Features.Retention;

/// <summary>Reads and saves the policy. Until an administrator saves one, the policy is Retention:DefaultDays alone.</summary>
public sealed class RetentionPolicies(
    IDbContextFactory<AppDbContext> dbs, IOptions<RetentionOptions> options, AuditLog audit, Shared.Storage.IRecordingArchive archive) : IRetentionSchedule
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
        var policy = rules.Any(r => r.IsDefault) ? new RetentionPolicy(rules) : RetentionPolicy.FromDefault(options.Value.DefaultDays, options.Value.DefaultArchiveDays);
        cached = (policy, Environment.TickCount64);
        return policy;
    }

    /// <summary>True when an archive store is configured, so rules may say "archive after N days".</summary>
    public bool ArchiveConfigured => archive.Kind != Shared.Storage.ArchiveKind.None;

    async Task<RetentionDate> IRetentionSchedule.CurrentAsync(CancellationToken ct) => (await CurrentAsync(ct)).RetainUntil;

    /// <summary>Replaces the policy (audited with the old and new rules). Returns the problems instead when it is not valid.</summary>
    public async Task<IReadOnlyList<Problem>> SaveAsync(IReadOnlyList<RetentionRule> rules, AuditActor by, CancellationToken ct = default)
    {
        var problems = RetentionPolicy.Validate(rules, ArchiveConfigured);
        if (problems.Count > 0) return problems;
        var before = await CurrentAsync(ct, fresh: true);
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.Set<RetentionRule>().ExecuteDeleteAsync(ct);
            db.AddRange(rules.Select(r => new RetentionRule { Team = r.Team?.Trim(), Type = r.Type, Days = r.Days, ArchiveDays = r.ArchiveDays }));
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
