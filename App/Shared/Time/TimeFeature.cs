using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace NagrywanieRozmow.Shared.Time;

public sealed class AppTimeOptions
{
    /// <summary>IANA zone in which the panel shows times (App:TimeZone).</summary>
    [Required] public string TimeZone { get; set; } = "Europe/Warsaw";
}

/// <summary>Everything is stored in UTC; this turns it into what a person in the office reads.</summary>
public sealed class DisplayTime(TimeZoneInfo zone)
{
    public TimeZoneInfo Zone { get; } = zone;

    public DateTime ToLocal(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone);

    /// <summary>Local wall-clock time to UTC; an ambiguous hour (autumn DST change) is read as the first occurrence.</summary>
    public DateTime ToUtc(DateTime local)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (Zone.IsInvalidTime(unspecified)) unspecified = unspecified.AddHours(1);
        if (Zone.IsAmbiguousTime(unspecified))
        {
            var offset = Zone.GetAmbiguousTimeOffsets(unspecified).Max();
            return DateTime.SpecifyKind(unspecified - offset, DateTimeKind.Utc);
        }
        return TimeZoneInfo.ConvertTimeToUtc(unspecified, Zone);
    }

    public string FormatDate(DateTime utc) => ToLocal(utc).ToString("dd.MM.yyyy", CultureInfo.InvariantCulture);
    public string FormatDateTime(DateTime utc) => ToLocal(utc).ToString("dd.MM.yyyy HH:mm", CultureInfo.InvariantCulture);
    public string FormatDateTimeWithSeconds(DateTime utc) => ToLocal(utc).ToString("dd.MM.yyyy HH:mm:ss", CultureInfo.InvariantCulture);

    public static string FormatDuration(int milliseconds) => FormatDuration(TimeSpan.FromMilliseconds(milliseconds));

    /// <summary>A moment ("0:42") or a span ("0:42–1:05") of a call.</summary>
    public static string FormatSpan(int startMs, int? endMs) =>
        endMs is { } end ? $"{FormatDuration(startMs)}–{FormatDuration(end)}" : FormatDuration(startMs);

    public static string FormatDuration(TimeSpan span)
    {
        var total = (long)Math.Round(span.TotalSeconds);
        return total >= 3600
            ? $"{total / 3600}:{total / 60 % 60:00}:{total % 60:00}"
            : $"{total / 60}:{total % 60:00}";
    }

    /// <summary>How many a search found: "10 000+" when the count stopped at its cap, else the exact number.</summary>
    public static string FormatCount(int count, bool atLeast) => atLeast
        ? $"{count:N0}+".Replace(',', ' ').Replace('\u00a0', ' ')
        : count.ToString("N0", CultureInfo.CurrentCulture);

    public static string FormatSize(long bytes, CultureInfo? culture = null)
    {
        culture ??= CultureInfo.CurrentCulture;
        string[] units = ["B", "kB", "MB", "GB", "TB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1000 && unit < units.Length - 1) { value /= 1000; unit++; }
        return unit == 0 ? $"{bytes} B" : value.ToString(value < 10 ? "0.0" : "0", culture) + " " + units[unit];
    }
}

public static class TimeFeature
{
    public static IHostApplicationBuilder AddTime(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AppTimeOptions>().BindConfiguration("App")
            .ValidateDataAnnotations()
            .Validate(o => TryFindZone(o.TimeZone) is not null, "App:TimeZone is not a known time zone (use an IANA name such as Europe/Warsaw).")
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp =>
        {
            var zone = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<AppTimeOptions>>().Value.TimeZone;
            return new DisplayTime(TryFindZone(zone) ?? TimeZoneInfo.Utc);
        });
        return builder;
    }

    public static TimeZoneInfo? TryFindZone(string id) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;
}
