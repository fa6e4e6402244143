using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Access;

namespace NagrywanieRozmow.Features.Retention;

/// <summary>One run of the daily purge, as its audit entry tells it.</summary>
public sealed record PurgeRun(DateTime At, string Actor, bool DryRun, int Deleted, int KeptOnHold, int FilesPending)
{
    /// <summary>An entry whose details cannot be read still shows when and by whom, with nothing counted.</summary>
    public static PurgeRun Of(AuditEntry entry)
    {
        static int Int(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.TryGetInt32(out var n) ? n : 0;
        try
        {
            using var json = JsonDocument.Parse(entry.Details ?? "{}");
            var d = json.RootElement;
            var dry = d.TryGetProperty("dryRun", out var v) && v.ValueKind == JsonValueKind.True;
            return new PurgeRun(entry.At, entry.Actor, dry, Int(d, "deleted"), Int(d, "keptOnHold"), Int(d, "filesStillPending"));
        }
        catch (JsonException)
        {
            return new PurgeRun(entry.At, entry.Actor, false, 0, 0, 0);
        }
    }
}

/// <summary>What the retention page shows beside the policy: the teams a rule may name and the last purge runs.</summary>
public sealed class RetentionOverview(IDbContextFactory<AppDbContext> dbs)
{
    /// <summary>Teams from the directory and the recordings, and those the policy already names even if they are gone.</summary>
    public async Task<List<string>> TeamsAsync(RetentionPolicy policy, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var fromRecordings = await db.Recordings.Where(r => r.Team != null).Select(r => r.Team!).Distinct().ToListAsync(ct);
        return (await KnownTeams.ReadAsync(db, ct)).Concat(fromRecordings)
            .Concat(policy.Rules.Where(r => r.Team is not null).Select(r => r.Team!))
            .Where(t => !string.IsNullOrWhiteSpace(t)).Distinct().Order(StringComparer.CurrentCulture).ToList();
    }

    public async Task<List<PurgeRun>> RecentRunsAsync(int count, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var entries = await db.AuditLog.AsNoTracking().Where(a => a.Action == AuditActions.RetentionPurge)
            .OrderByDescending(a => a.Id).Take(count).ToListAsync(ct);
        return entries.Select(PurgeRun.Of).ToList();
    }
}
