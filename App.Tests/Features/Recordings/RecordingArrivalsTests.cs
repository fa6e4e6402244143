using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Tests.Features.Recordings;

/// <summary>The notice's wording, and the announcement the ingestion calls: it must never hold up or break the ingestion.</summary>
public sealed class RecordingArrivalsTests
{
    private static readonly IStringLocalizer Texts = new ResourceManagerStringLocalizerFactory(
        Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance).Create(typeof(RecordingsText));

    [Theory]
    [InlineData("pl-PL", 1, false, "1 nowe nagranie")]
    [InlineData("pl-PL", 2, false, "2 nowe nagrania")]
    [InlineData("pl-PL", 4, false, "4 nowe nagrania")]
    [InlineData("pl-PL", 5, false, "5 nowych nagrań")]
    [InlineData("pl-PL", 11, false, "11 nowych nagrań")]
    [InlineData("pl-PL", 12, false, "12 nowych nagrań")]
    [InlineData("pl-PL", 14, false, "14 nowych nagrań")]
    [InlineData("pl-PL", 21, false, "21 nowych nagrań")]
    [InlineData("pl-PL", 22, false, "22 nowe nagrania")]
    [InlineData("pl-PL", 104, false, "104 nowe nagrania")]
    [InlineData("pl-PL", 112, false, "112 nowych nagrań")]
    [InlineData("pl-PL", 10_000, true, "10 000+ nowych nagrań")]
    [InlineData("en-US", 1, false, "1 new recording")]
    [InlineData("en-US", 3, false, "3 new recordings")]
    [InlineData("en-US", 12, false, "12 new recordings")]
    [InlineData("en-US", 10_000, true, "10,000+ new recordings")]
    public void The_notice_uses_the_languages_plural_forms(string cultureName, int count, bool isEstimate, string expected)
    {
        var culture = new CultureInfo(cultureName);
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = culture;
        try
        {
            var text = RecordingArrivals.NoticeText(Texts, count, isEstimate, culture);
            Assert.Equal(expected, text.Replace('\u00a0', ' ').Replace('\u202f', ' '));
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    [Fact]
    public async Task Announce_returns_at_once_while_a_listener_is_slow_and_a_failing_listener_does_not_stop_the_others()
    {
        var arrivals = new RecordingArrivals(NullLogger<RecordingArrivals>.Instance);
        using var gate = new ManualResetEventSlim();
        var slowStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var lastCalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        arrivals.Arrived += () => throw new InvalidOperationException("a circuit that has gone");
        arrivals.Arrived += () => lastCalled.TrySetResult();
        arrivals.Arrived += () => { slowStarted.TrySetResult(); gate.Wait(TimeSpan.FromSeconds(30)); };

        arrivals.Announce();

        await slowStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await lastCalled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(gate.IsSet);   // Announce came back while the slow listener was still busy
        gate.Set();
    }

    [Fact]
    public async Task A_recording_written_by_another_process_is_announced_by_the_poller()
    {
        var app = new AppFactory();
        await app.InitializeAsync();
        try
        {
            await PollerAnnouncesAsync(app);
        }
        finally
        {
            await ((IAsyncLifetime)app).DisposeAsync();
        }
    }

    private static async Task PollerAnnouncesAsync(AppFactory app)
    {
        var poller = app.Services.GetServices<IHostedService>().OfType<RecordingArrivalsPoller>().Single();
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        app.Services.GetRequiredService<RecordingArrivals>().Arrived += () => arrived.TrySetResult();
        await WaitUntilAsync(() => poller.Newest >= 0);

        // Straight into the database, as the CLI or another node would: nobody calls Announce.
        var recording = await TestData.AddAsync(app, TestData.Recording());

        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(recording.Id, poller.Newest);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (!condition()) await Task.Delay(50, timeout.Token);
    }
}
