using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Features.Access;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Features.Watches;

namespace NagrywanieRozmow.Tests.Features.Watches;

public sealed class WatchTests : IAsyncLifetime
{
    private readonly WatchApp app = new();

    public Task InitializeAsync() => app.InitializeAsync();
    public async Task DisposeAsync() => await ((IAsyncLifetime)app).DisposeAsync();

    [Fact]
    public async Task A_number_watch_is_notified_of_each_arrival_holding_the_fragment_however_written_and_of_no_other()
    {
        var handler = await app.UserAsync("handler@example.com", Roles.ComplaintHandler);
        await app.WatchAsync(handler, WatchKind.Number, "601 234");

        var asCaller = await app.ArriveAsync(TestData.Recording(caller: "+48 601-234-567"));
        var asCallee = await app.ArriveAsync(TestData.Recording(caller: "201", callee: "0048601234999", type: CallType.Outgoing));
        await app.ArriveAsync(TestData.Recording(caller: "48500100200"));
        await app.DrainAsync();

        Assert.Equal(new[] { asCaller, asCallee }, await app.NotifiedRecordingsAsync(handler));
        var user = await app.PrincipalAsync(handler);
        Assert.Equal(2, await app.Watchlist.UnreadCountAsync(user));
        var listed = await app.Watchlist.RecentAsync(user, 10);
        Assert.Equal(new[] { asCallee, asCaller }, listed.Select(n => n.RecordingId));
        Assert.All(listed, n => Assert.Equal((WatchKind.Number, "601 234"), (n.Kind, n.Value)));
    }

    [Fact]
    public async Task An_extension_watch_fires_on_arrival_and_a_case_watch_when_the_case_is_added_to_a_recording_later()
    {
        var handler = await app.UserAsync("handler@example.com", Roles.ComplaintHandler);
        await app.WatchAsync(handler, WatchKind.Extension, "305");
        await app.WatchAsync(handler, WatchKind.Case, "REK-2026/0113");

        var onExtension = await app.ArriveAsync(TestData.Recording(callee: "305", extension: "305"));
        var later = await app.ArriveAsync(TestData.Recording(callee: "201", extension: "201"));
        await app.DrainAsync();
        Assert.Equal(new[] { onExtension }, await app.NotifiedRecordingsAsync(handler));

        var labeller = await app.PrincipalAsync(handler);
        var labels = app.Services.GetRequiredService<RecordingLabels>();
        await labels.AddAsync(later, LabelKind.Case, "REK-2026/0999", labeller, AuditActor.Of(labeller, null));
        await app.DrainAsync();
        Assert.Equal(new[] { onExtension }, await app.NotifiedRecordingsAsync(handler));

        await labels.AddAsync(later, LabelKind.Case, "REK-2026/0113", labeller, AuditActor.Of(labeller, null));
        await app.DrainAsync();
        Assert.Equal(new[] { onExtension, later }, await app.NotifiedRecordingsAsync(handler));
    }

    [Fact]
    public async Task A_recording_outside_the_watchers_scope_when_it_arrives_is_never_announced_to_them()
    {
        var manager = await app.UserAsync("manager@example.com", Roles.QualityManager, team: "Reklamacje");
        await app.WatchAsync(manager, WatchKind.Number, "601234567");

        var ownTeam = await app.ArriveAsync(TestData.Recording(team: "Reklamacje"));
        await app.ArriveAsync(TestData.Recording(team: "Sprzedaż"));
        await app.ArriveAsync(TestData.Recording(team: null));
        await app.DrainAsync();

        Assert.Equal(new[] { ownTeam }, await app.NotifiedRecordingsAsync(manager));
    }

    [Fact]
    public async Task The_scope_that_counts_is_the_account_as_it_is_when_the_recording_arrives()
    {
        var manager = await app.UserAsync("manager@example.com", Roles.QualityManager, team: "Reklamacje");
        var handler = await app.UserAsync("handler@example.com", Roles.ComplaintHandler);
        await app.WatchAsync(manager, WatchKind.Number, "601234567");
        await app.WatchAsync(handler, WatchKind.Number, "601234567");
        var admin = AuditActor.CommandLine;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
            // Moved to another team after watching; the handler's account is disabled.
            Assert.Empty(await accounts.ChangeAsync(manager, new AccountChange(Roles.QualityManager, "Sprzedaż", null, null, false, false), admin));
            Assert.Empty(await accounts.SetDisabledAsync(handler, true, admin));
        }

        await app.ArriveAsync(TestData.Recording(team: "Reklamacje"));
        var sales = await app.ArriveAsync(TestData.Recording(team: "Sprzedaż"));
        await app.DrainAsync();

        Assert.Equal(new[] { sales }, await app.NotifiedRecordingsAsync(manager));
        Assert.Empty(await app.NotifiedRecordingsAsync(handler));
    }

    [Fact]
    public async Task A_batch_read_again_from_an_earlier_position_notifies_nobody_twice()
    {
        var handler = await app.UserAsync("handler@example.com", Roles.ComplaintHandler);
        await app.WatchAsync(handler, WatchKind.Number, "601234");
        var start = await app.WithDbAsync(db => db.Set<AuditCursor>().Where(c => c.Name == "watches").Select(c => c.LastId).SingleAsync());
        var first = await app.ArriveAsync(TestData.Recording());
        var second = await app.ArriveAsync(TestData.Recording());
        await app.DrainAsync();
        Assert.Equal(2, (await app.NotificationsOfAsync(handler)).Count);

        // As if the position had not been saved (a restore, a hand-edited cursor): the same entries are handed over again.
        await app.WithDbAsync(db => db.Set<AuditCursor>().Where(c => c.Name == "watches").ExecuteUpdateAsync(s => s.SetProperty(c => c.LastId, start)));
        await app.DrainAsync();

        Assert.Equal(new[] { first, second }, await app.NotifiedRecordingsAsync(handler));
    }

    [Fact]
    public async Task Watching_and_stopping_are_audited_the_same_watch_is_not_made_twice_and_a_stopped_watch_notifies_no_more()
    {
        var handler = await app.UserAsync("handler@example.com", Roles.ComplaintHandler);
        var other = await app.UserAsync("other@example.com", Roles.ComplaintHandler);
        var user = await app.PrincipalAsync(handler);
        var by = AuditActor.Of(user, "10.0.0.7");

        Assert.Equal(2, await app.Watchlist.AddAsync(user, by, Watchlist.From(new RecordingFilter { Number = "601234", Case = "REK-1" })));
        Assert.Equal(0, await app.Watchlist.AddAsync(user, by, [(WatchKind.Number, "601234")]));
        var watches = await app.Watchlist.ListAsync(user);
        Assert.Equal(2, watches.Count);
        var numberWatch = watches.Single(w => w.Kind == WatchKind.Number);

        var otherUser = await app.PrincipalAsync(other);
        Assert.False(await app.Watchlist.RemoveAsync(otherUser, AuditActor.Of(otherUser, null), numberWatch.Id));
        Assert.True(await app.Watchlist.RemoveAsync(user, by, numberWatch.Id));
        Assert.Equal(new[] { WatchKind.Case }, (await app.Watchlist.ListAsync(user)).Select(w => w.Kind));

        var entries = await app.WithDbAsync(db => db.AuditLog.Where(a => a.Action.StartsWith("watch.")).OrderBy(a => a.Id).ToListAsync());
        Assert.Equal(new[] { AuditActions.WatchCreated, AuditActions.WatchCreated, AuditActions.WatchRemoved }, entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal(("handler@example.com", "10.0.0.7"), (e.Actor, e.ActorIp)));
        Assert.Contains("\"value\":\"601234\"", entries[^1].Details);

        await app.ArriveAsync(TestData.Recording());
        await app.DrainAsync();
        Assert.Empty(await app.NotificationsOfAsync(handler));
    }

    [Fact]
    public async Task A_search_offers_a_watch_for_each_of_its_number_case_and_extension_and_never_one_for_a_number_without_digits()
    {
        Assert.Equal(new[] { (WatchKind.Number, "601 234"), (WatchKind.Case, "REK-1"), (WatchKind.Extension, "201") },
            Watchlist.From(new RecordingFilter { Number = " 601 234 ", Case = "REK-1", Extension = "201", MinDurationSeconds = 5 }));
        Assert.Empty(Watchlist.From(new RecordingFilter { Number = "abc", MinDurationSeconds = 5 }));
        Assert.Empty(Watchlist.From(new RecordingFilter { Number = "+-" }));

        var handler = await app.UserAsync("handler@example.com", Roles.ComplaintHandler);
        var user = await app.PrincipalAsync(handler);
        Assert.Equal(0, await app.Watchlist.AddAsync(user, AuditActor.Of(user, null), [(WatchKind.Number, "( )")]));
    }

    [Fact]
    public async Task Only_people_who_may_search_can_watch()
    {
        var agent = await app.UserAsync("agent@example.com", Roles.Agent, extension: "201");
        var user = await app.PrincipalAsync(agent);
        Assert.False(Watchlist.MayWatch(user));
        Assert.Null(await app.Watchlist.AddAsync(user, AuditActor.Of(user, null), [(WatchKind.Number, "601234")]));
        Assert.Empty(await app.WithDbAsync(db => db.Set<Watch>().ToListAsync()));
    }

    [Fact]
    public async Task Without_smtp_no_mail_is_tried_and_the_notification_waits_for_nothing()
    {
        var handler = await app.UserAsync("handler@example.com", Roles.ComplaintHandler);
        await app.WatchAsync(handler, WatchKind.Number, "601234");
        await app.ArriveAsync(TestData.Recording());
        await app.DrainAsync();

        await app.Services.GetRequiredService<WatchMailJob>().RunAsync(default);

        var n = await app.WithDbAsync(db => db.Set<Notification>().SingleAsync());
        Assert.Null(n.MailHandledAt);
        Assert.Null(n.EmailedAt);
    }
}
