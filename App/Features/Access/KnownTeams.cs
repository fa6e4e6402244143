using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Data;

namespace NagrywanieRozmow.Features.Access;

public static class KnownTeams
{
    /// <summary>Every team the installation knows of: the phone directory's, the accounts' and the team settings', sorted.</summary>
    public static async Task<List<string>> ReadAsync(AppDbContext db, CancellationToken ct = default)
    {
        var fromDirectory = await db.Directory.AsNoTracking().Where(d => d.Team != null).Select(d => d.Team!).Distinct().ToListAsync(ct);
        var fromUsers = await db.Users.AsNoTracking().Where(u => u.Team != null).Select(u => u.Team!).Distinct().ToListAsync(ct);
        var fromSettings = await db.TeamSettings.AsNoTracking().Select(t => t.Team).ToListAsync(ct);
        return fromDirectory.Concat(fromUsers.SelectMany(RecordingScope.ParseTeams)).Concat(fromSettings)
            .Where(t => !string.IsNullOrWhiteSpace(t)).Distinct().Order(StringComparer.CurrentCulture).ToList();
    }
}
