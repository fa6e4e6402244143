using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using NagrywanieRozmow.Features.Access;
using NagrywanieRozmow.Features.Watches;
using netDumbster.smtp;

namespace NagrywanieRozmow.Tests.Features.Watches;

/// <summary>E-mails to a local SMTP receiver on a free port.</summary>
public sealed class WatchMailTests : IAsyncLifetime
{
    private readonly SimpleSmtpServer smtp;
    private readonly MailApp app;

    public WatchMailTests()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        smtp = SimpleSmtpServer.Start(port);
        app = new MailApp(port);
    }

    private sealed class MailApp(int port) : WatchApp
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Smtp:Host"] = "127.0.0.1",
            ["Smtp:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Smtp:From"] = "Nagrania <nagrania@example.com>",
            ["App:PublicUrl"] = "https://nagrania.example.com/",
        };
    }

    public Task InitializeAsync() => app.InitializeAsync();

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)app).DisposeAsync();
        smtp.Dispose();
    }

    private static async Task UntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition was not met within 15 s");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task The_watcher_gets_one_mail_with_a_link_to_the_recording()
    {
        var handler = await app.UserAsync("handler@example.com", Roles.ComplaintHandler);
        await app.WatchAsync(handler, WatchKind.Number, "601234");
        var id = await app.ArriveAsync(TestData.Recording(caller: "48601234567"));
        await app.DrainAsync();

        // The follower queued the job (Hangfire runs it); a second run sends nothing more.
        await UntilAsync(() => app.WithDbAsync(db => db.Set<Notification>().AnyAsync(n => n.EmailedAt != null)));
        await app.Services.GetRequiredService<WatchMailJob>().RunAsync(default);

        Assert.Equal(1, smtp.ReceivedEmailCount);
        var mail = MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(smtp.ReceivedEmail[0].Data)));
        Assert.Equal("handler@example.com", mail.To.Mailboxes.Single().Address);
        Assert.Equal("nagrania@example.com", mail.From.Mailboxes.Single().Address);
        Assert.Equal("Nowe nagranie: numer 601234", mail.Subject);
        Assert.Contains($"https://nagrania.example.com/recordings/{id}", mail.TextBody);
        // The number is behind the sign-in, not in the mail.
        Assert.DoesNotContain("48601234567", mail.TextBody);
    }

    [Fact]
    public async Task No_mail_goes_out_for_a_recording_the_watcher_no_longer_sees_when_it_is_sent()
    {
        var manager = await app.UserAsync("manager@example.com", Roles.QualityManager, team: "Reklamacje");
        await app.WatchAsync(manager, WatchKind.Number, "601234");
        // Written while the recording was in scope; not mailed yet.
        await app.WithDbAsync(async db =>
        {
            var recording = TestData.Recording(team: "Reklamacje");
            db.Recordings.Add(recording);
            await db.SaveChangesAsync();
            db.Add(new Notification { UserId = manager, WatchId = await db.Set<Watch>().Select(w => w.Id).SingleAsync(), RecordingId = recording.Id, CreatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        });
        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.Empty(await scope.ServiceProvider.GetRequiredService<UserAccounts>()
                .ChangeAsync(manager, new AccountChange(Roles.QualityManager, "Sprzedaż", null, null, false, false), AuditActor.CommandLine));
        }

        await app.Services.GetRequiredService<WatchMailJob>().RunAsync(default);

        var n = await app.WithDbAsync(db => db.Set<Notification>().SingleAsync());
        Assert.NotNull(n.MailHandledAt);
        Assert.Null(n.EmailedAt);
        Assert.Equal(0, smtp.ReceivedEmailCount);
    }
}

public sealed class SmtpSettingsTests
{
    private sealed class SmtpApp(string port, string? from) : AppFactory
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Smtp:Host"] = "mail.example.com", ["Smtp:Port"] = port, ["Smtp:From"] = from,
        };
    }

    [Theory]
    [InlineData("70000", "nagrania@example.com", "Smtp:Port must be between 1 and 65535")]
    [InlineData("587", null, "Smtp:From must be the sender's e-mail address")]
    [InlineData("587", "not an address", "Smtp:From must be the sender's e-mail address")]
    public async Task A_bad_smtp_setting_stops_the_start_naming_the_key(string port, string? from, string message)
    {
        await using var app = new SmtpApp(port, from);
        var e = await Assert.ThrowsAnyAsync<Exception>(app.InitializeAsync);
        Assert.Contains(message, e.ToString());
    }
}
