using System.Globalization;

namespace NagrywanieRozmow.Features.Quality;

public enum ReportPeriod { Week, Month }

/// <summary>
/// Which evaluations a report counts: those of one scorecard (any of its versions: question keys are stable across versions,
/// and scores of different scorecards are not comparable) on calls in the period (whole days in App:TimeZone, both ends
/// included), of the teams and agents (extensions) given, empty meaning any; with <paramref name="CriticalOnly"/> only those
/// where a critical question failed.
/// </summary>
public sealed record ReportFilter(
    DateOnly From, DateOnly To, int ScorecardId, IReadOnlyList<string> Teams, IReadOnlyList<string> Agents, ReportPeriod Period, bool CriticalOnly = false)
{
    /// <summary>The default period: thirteen whole weeks, Monday to today.</summary>
    public static DateOnly DefaultFrom(DateOnly today) => StartOf(today, ReportPeriod.Week).AddDays(-7 * 12);

    public static DateOnly StartOf(DateOnly day, ReportPeriod period) => period == ReportPeriod.Month
        ? new DateOnly(day.Year, day.Month, 1)
        : day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    public static DateOnly Next(DateOnly start, ReportPeriod period) => period == ReportPeriod.Month ? start.AddMonths(1) : start.AddDays(7);

    public IReadOnlyList<Problem> Validate()
    {
        var problems = new List<Problem>();
        if (From > To) problems.Add(new("Sample_Period", "The period's start is after its end."));
        else if (To.DayNumber - From.DayNumber > 3 * 366) problems.Add(new("Report_PeriodLong", "A report covers at most three years."));
        if (ScorecardId <= 0) problems.Add(new("Report_Scorecard", "Choose a scorecard: scores of different scorecards cannot be compared."));
        return problems;
    }

    /// <summary>
    /// The filter from an export's query string: from, to (yyyy-MM-dd), scorecard, team (repeatable), agent (repeatable),
    /// period (week or month), critical (<c>only</c>: evaluations with a failed critical question). Each bad value is named.
    /// </summary>
    /// <summary>The query-string fields <see cref="Parse"/> reads.</summary>
    public static readonly string[] Known = ["from", "to", "scorecard", "team", "agent", "period", "critical"];

    public static (ReportFilter? Filter, IReadOnlyList<Problem> Problems) Parse(IQueryCollection query, DateOnly today)
    {
        var problems = new List<Problem>();
        DateOnly Date(string name, DateOnly fallback)
        {
            var text = query[name].ToString();
            if (text.Length == 0) return fallback;
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
            problems.Add(new("Report_Date", $"'{name}' must be a date as yyyy-MM-dd, not \"{text}\".", name, text));
            return fallback;
        }
        var to = Date("to", today);
        var from = Date("from", DefaultFrom(to));
        var scorecard = 0;
        var card = query["scorecard"].ToString();
        if (card.Length == 0) problems.Add(new("Report_Scorecard", "Choose a scorecard: scores of different scorecards cannot be compared."));
        else if (!int.TryParse(card, NumberStyles.None, CultureInfo.InvariantCulture, out scorecard) || scorecard <= 0)
            problems.Add(new("Report_ScorecardId", $"'scorecard' must be a scorecard's id, not \"{card}\".", card));
        var period = ReportPeriod.Week;
        var periodText = query["period"].ToString();
        if (periodText.Length > 0 && !Shared.EnumNames.TryParse(periodText, out period))
            problems.Add(new("Report_PeriodKind", $"'period' must be week or month, not \"{periodText}\".", periodText));
        var critical = query["critical"].ToString();
        if (critical.Length > 0 && critical != "only") problems.Add(new("Report_Critical", $"'critical' may only be \"only\", not \"{critical}\".", critical));
        static string[] Many(IEnumerable<string?> values) => values.SelectMany(v => (v ?? "").Split(',')).Select(v => v.Trim()).Where(v => v.Length > 0).Distinct().ToArray();
        var filter = new ReportFilter(from, to, scorecard, Many(query["team"]), Many(query["agent"]), period, critical == "only");
        if (problems.Count == 0) problems.AddRange(filter.Validate());
        return problems.Count == 0 ? (filter, []) : (null, problems);
    }
}
