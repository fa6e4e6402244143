using Hangfire;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Shared.Time;

namespace NagrywanieRozmow.Features.Watches;

/// <summary>
/// Sends the e-mails of new notifications (queued after the follower commits them, and every few minutes for any a stop
/// left behind). Each notification is taken once, by a conditional update, so two runs never mail it twice; the scope
/// is checked again at sending, so a mail never shows a call the person may no longer see. The mail names only the
/// time, the watched value and a link: the number and the rest are behind the sign-in.
/// </summary>
public sealed class WatchMailJob(
    IDbContextFactory<AppDbContext> dbs, IServiceScopeFactory scopes, IOptions<SmtpOptions> smtp, IOptions<PublicUrlOptions> urls,
    DisplayTime display, TimeProvider time, ILogger<WatchMailJob> logger)
{
    public const string Id = "watch-mail";

    /// <summary>Older notifications are not mailed any more (e.g. SMTP configured long after they were written).</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(1);

    [AutomaticRetry(Attempts = 5, DelaysInSeconds = [10, 60, 300, 900, 3600])]
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public async Task RunAsync(CancellationToken ct)
    {
        var options = smtp.Value;
        if (!options.IsConfigured) return;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var since = time.GetUtcNow().UtcDateTime - MaxAge;
        var pending = await db.Set<Notification>().AsNoTracking().Where(n => n.MailHandledAt == null && n.CreatedAt >= since)
            .OrderBy(n => n.Id).Take(500).ToListAsync(ct);
        if (pending.Count == 0) return;

        await using var scope = scopes.CreateAsyncScope();
        var watchers = scope.ServiceProvider.GetRequiredService<Watchers>();
        using var client = new SmtpClient();
        Exception? failed = null;
        foreach (var n in pending)
        {
            var now = time.GetUtcNow().UtcDateTime;
            var taken = await db.Set<Notification>().Where(x => x.Id == n.Id && x.MailHandledAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.MailHandledAt, now), ct);
            if (taken == 0) continue;
            try
            {
                var message = await ComposeAsync(db, watchers, n, ct);
                if (message is null) continue;
                if (!client.IsConnected) await ConnectAsync(client, options, ct);
                await client.SendAsync(message, ct);
                await db.Set<Notification>().Where(x => x.Id == n.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.EmailedAt, time.GetUtcNow().UtcDateTime), ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Given back, so the retry sends it.
                await db.Set<Notification>().Where(x => x.Id == n.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.MailHandledAt, (DateTime?)null), CancellationToken.None);
                logger.LogWarning(e, "Could not e-mail notification {Notification}", n.Id);
                failed = e;
                break;
            }
        }
        if (client.IsConnected) await client.DisconnectAsync(quit: true, ct);
        if (failed is not null) throw new InvalidOperationException("Sending notification e-mails failed; the job retries.", failed);
    }

    private async Task<MimeMessage?> ComposeAsync(AppDbContext db, Watchers watchers, Notification n, CancellationToken ct)
    {
        if (await watchers.CurrentAsync(n.UserId) is not ({ Email: { Length: > 0 } email }, var principal)) return null;
        var watch = await db.Set<Watch>().AsNoTracking().FirstOrDefaultAsync(w => w.Id == n.WatchId, ct);
        // Checked again now: the scope may have changed since the notification was written.
        var recording = watch is null ? null : await RecordingSearch.Filter(db, watch.Filter).VisibleTo(db, principal)
            .Where(r => r.Id == n.RecordingId).Select(r => new { r.StartedAt }).FirstOrDefaultAsync(ct);
        if (watch is null || recording is null) return null;

        // Polish, the panel's default: the account keeps no language of its own.
        var when = display.FormatDateTime(recording.StartedAt);
        var what = WatchTexts.DescribePolish(watch.Kind, watch.Value);
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(smtp.Value.From!));
        message.To.Add(MailboxAddress.Parse(email));
        var restored = watch.Kind == WatchKind.Restored;
        message.Subject = restored ? "Nagranie przywrócone z archiwum" : $"Nowe nagranie: {what}";
        message.Body = new TextPart("plain")
        {
            Text = (restored ? $"Nagranie rozmowy z {when}, o którego przywrócenie z archiwum prosiłeś/-aś, można już odsłuchać.\n\n"
                    : $"Przyszło nagranie, o które prosiłeś/-aś ({what}): rozmowa z {when}.\n\n")
                + $"Otwórz: {urls.Value.RecordingLink(n.RecordingId)}\n\n"
                + $"Obserwowane numery i sprawy: {urls.Value.LinkTo("/notifications")}\n",
        };
        return message;
    }

    private static async Task ConnectAsync(SmtpClient client, SmtpOptions o, CancellationToken ct)
    {
        var security = o.Security switch
        {
            SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
            SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.None,
        };
        await client.ConnectAsync(o.Host!, o.Port, security, ct);
        if (!string.IsNullOrEmpty(o.UserName)) await client.AuthenticateAsync(o.UserName, o.Password ?? "", ct);
    }
}
