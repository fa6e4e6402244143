using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Data;

namespace NagrywanieRozmow.Features.Recordings;

/// <summary>
/// The DIDs calls came in on, for the panel's filter. A company has a handful, but reading them walks the DID index over
/// every incoming call, so they are read at most once a minute per instance rather than for every panel that opens.
/// </summary>
public sealed class KnownDids(IDbContextFactory<AppDbContext> dbs, TimeProvider clock)
{
    private (DateTime At, IReadOnlyList<string> Dids) cached = (DateTime.MinValue, []);

    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var last = cached;
        if (now >= last.At && now - last.At < TimeSpan.FromMinutes(1)) return last.Dids;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var dids = await db.Recordings.AsNoTracking().Where(r => r.Did != null).Select(r => r.Did!).Distinct().OrderBy(d => d).Take(200).ToListAsync(ct);
        cached = (now, dids);
        return dids;
    }
}
