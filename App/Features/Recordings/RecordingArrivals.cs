using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Data;

namespace NagrywanieRozmow.Features.Recordings;

/// <summary>
/// Tells open panels that recordings have arrived. The ingestion calls <see cref="Announce"/> after it commits;
/// <see cref="RecordingArrivalsPoller"/> covers what another process or node wrote. Listeners are circuits: they are called
/// on the thread pool, one failing listener never reaches the caller or the other listeners, and a burst of announcements
/// while a round is pending collapses into that round.
/// </summary>
public sealed class RecordingArrivals(ILogger<RecordingArrivals> logger)
{
    private int pending;

    public event Action? Arrived;

    /// <summary>Returns at once; the listeners are called later, on the thread pool.</summary>
    public void Announce()
    {
        if (Interlocked.Exchange(ref pending, 1) == 1) return;
        ThreadPool.UnsafeQueueUserWorkItem(static self => self.Raise(), this, preferLocal: false);
    }

    private void Raise()
    {
        // Cleared first: an announcement made while the listeners run gets a round of its own.
        Volatile.Write(ref pending, 0);
        if (Arrived is not { } listeners) return;
        foreach (var listener in listeners.GetInvocationList().Cast<Action>())
        {
            try
            {
                listener();
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "A listener of new recordings failed");
            }
        }
    }

    /// <summary>The highest recording id there is (0 when there is none): a walk to the end of the primary key.</summary>
    public static async Task<long> NewestIdAsync(AppDbContext db, CancellationToken ct) =>
        await db.Recordings.MaxAsync(r => (long?)r.Id, ct) ?? 0;

    /// <summary>Recordings above <paramref name="afterId"/> that the search shows this user, counted up to the search's cap.</summary>
    public static Task<(int Total, bool IsEstimate)> CountNewAsync(AppDbContext db, RecordingFilter filter, ClaimsPrincipal user, long afterId, CancellationToken ct) =>
        RecordingSearch.CountAsync(RecordingSearch.Filter(db, filter).VisibleTo(db, user).Where(r => r.Id > afterId), ct);

    /// <summary>"1 nowe nagranie", "3 nowe nagrania", "12 nowych nagrań"; "1 new recording", "3 new recordings".</summary>
    public static string NoticeText(Microsoft.Extensions.Localization.IStringLocalizer localizer, int count, bool isEstimate, CultureInfo culture)
    {
        var number = count.ToString("N0", culture) + (isEstimate ? "+" : "");
        return localizer["NewRecordings_" + PluralForm(count, culture), number];
    }

    /// <summary>
    /// Polish has three forms: one (1), few (2–4, 22–24, … but not 12–14) and many (0, 5–21, 25–31, …).
    /// Other languages here (English) have one and many.
    /// </summary>
    public static string PluralForm(int count, CultureInfo culture)
    {
        if (count == 1) return "One";
        if (culture.TwoLetterISOLanguageName != "pl") return "Many";
        var (units, tens) = (count % 10, count % 100);
        return units is >= 2 and <= 4 && tens is not (>= 12 and <= 14) ? "Few" : "Many";
    }
}

/// <summary>
/// Every 2 s, one MAX(Id) per process: recordings written by another process (the CLI, another node) reach open panels too.
/// </summary>
public sealed class RecordingArrivalsPoller(
    IDbContextFactory<AppDbContext> dbs, RecordingArrivals arrivals, TimeProvider time, ILogger<RecordingArrivalsPoller> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private long newest = -1;

    /// <summary>The newest id the last poll saw; -1 until a poll has succeeded.</summary>
    internal long Newest => Interlocked.Read(ref newest);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await using var db = await dbs.CreateDbContextAsync(stoppingToken);
                var now = await RecordingArrivals.NewestIdAsync(db, stoppingToken);
                var before = Interlocked.Exchange(ref newest, now);
                if (before >= 0 && now > before) arrivals.Announce();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A database that is down (or not migrated yet) must not stop the polling: the next tick tries again.
                logger.LogDebug(e, "Could not read the newest recording id");
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
