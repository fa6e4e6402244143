using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Data;

namespace NagrywanieRozmow.Features.Watches;

/// <summary>
/// "The recording you asked to restore from the archive can be played": a notice in the person's bell (and e-mail, with
/// SMTP), written in the caller's transaction. It hangs off a watch of kind <see cref="WatchKind.Restored"/> made for the
/// person once and marked removed at once, so it is never listed among their watches nor matched against arrivals.
/// </summary>
public static class RestoreNotices
{
    /// <summary>Adds the notice (or makes an earlier one of the same recording unread and new again). False when the person has no account.</summary>
    public static async Task<bool> AddAsync(AppDbContext db, string userId, long recordingId, DateTime now, CancellationToken ct)
    {
        if (!await db.Users.AnyAsync(u => u.Id == userId, ct)) return false;
        var watch = await db.Set<Watch>().FirstOrDefaultAsync(w => w.UserId == userId && w.Kind == WatchKind.Restored, ct);
        if (watch is null)
        {
            watch = new Watch { UserId = userId, Kind = WatchKind.Restored, Value = "", CreatedAt = now, RemovedAt = now };
            db.Add(watch);
            await db.SaveChangesAsync(ct);
        }
        var updated = await db.Set<Notification>().Where(n => n.WatchId == watch.Id && n.RecordingId == recordingId)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.CreatedAt, now).SetProperty(n => n.ReadAt, (DateTime?)null)
                .SetProperty(n => n.MailHandledAt, (DateTime?)null).SetProperty(n => n.EmailedAt, (DateTime?)null), ct);
        if (updated == 0)
        {
            db.Add(new Notification { UserId = userId, WatchId = watch.Id, RecordingId = recordingId, CreatedAt = now });
            await db.SaveChangesAsync(ct);
        }
        return true;
    }
}
