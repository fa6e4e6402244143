using System.Globalization;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Features.Demo;

/// <summary>
/// Believable calls for a small Polish contact centre: 12 extensions in 3 teams, two queues and an IVR, working hours on
/// weekdays, realistic durations, repeat callers, numbers written the way PBXs write them. Deterministic for a seed.
/// </summary>
public sealed class DemoCalls(int seed, long firstSequence = 1)
{
    public static readonly IReadOnlyList<DirectoryEntry> Directory =
    [
        new() { Extension = "201", DisplayName = "Anna Kowalska", Team = "Reklamacje" },
        new() { Extension = "202", DisplayName = "Piotr Nowak", Team = "Reklamacje" },
        new() { Extension = "203", DisplayName = "Katarzyna Wiśniewska", Team = "Reklamacje" },
        new() { Extension = "204", DisplayName = "Tomasz Wójcik", Team = "Reklamacje" },
        new() { Extension = "205", DisplayName = "Magdalena Kamińska", Team = "Obsługa klienta" },
        new() { Extension = "206", DisplayName = "Michał Lewandowski", Team = "Obsługa klienta" },
        new() { Extension = "207", DisplayName = "Agnieszka Zielińska", Team = "Obsługa klienta" },
        new() { Extension = "208", DisplayName = "Krzysztof Szymański", Team = "Obsługa klienta" },
        new() { Extension = "209", DisplayName = "Joanna Woźniak", Team = "Sprzedaż" },
        new() { Extension = "210", DisplayName = "Paweł Dąbrowski", Team = "Sprzedaż" },
        new() { Extension = "211", DisplayName = "Ewa Kozłowska", Team = "Sprzedaż" },
        new() { Extension = "212", DisplayName = "Marcin Jankowski", Team = "Sprzedaż" },
    ];

    private static readonly string[] MobilePrefixes = ["501", "502", "509", "510", "512", "531", "533", "600", "601", "602", "604", "660", "661", "691", "693", "721", "726", "790", "881", "885"];
    private static readonly string[] LandlinePrefixes = ["22", "12", "58", "61", "71", "42", "81", "91"];
    private readonly Random random = new(seed);
    private readonly List<(string Written, string Digits)> regulars = [];
    // Call ids end in a sequence that continues after the rows already there, so appended demo calls never repeat one.
    private long sequence = firstSequence - 1;

    public sealed record Call(Recording Row, SyntheticSpeech.Encoding Encoding);

    /// <summary>Calls spread over the <paramref name="days"/> before <paramref name="nowUtc"/>, oldest first.</summary>
    public IEnumerable<Call> Generate(int count, int days, DateTime nowUtc, TimeZoneInfo zone)
    {
        var startUtc = nowUtc.AddDays(-days);
        var span = (nowUtc - startUtc).Ticks;
        var moments = new long[count];
        for (var i = 0; i < count; i++) moments[i] = startUtc.Ticks + (long)(random.NextDouble() * span);
        Array.Sort(moments);
        foreach (var ticks in moments)
        {
            var started = ToWorkingHours(new DateTime(ticks, DateTimeKind.Utc), zone, startUtc, nowUtc);
            yield return Next(started, zone);
        }
    }

    /// <summary>Most calls happen 8:00–17:00 on weekdays; a few come in the evening or at the weekend.</summary>
    private DateTime ToWorkingHours(DateTime utc, TimeZoneInfo zone, DateTime startUtc, DateTime nowUtc)
    {
        if (random.NextDouble() < 0.06) return utc;
        var local = TimeZoneInfo.ConvertTimeFromUtc(utc, zone);
        if (local.DayOfWeek == DayOfWeek.Saturday) local = local.AddDays(-1);
        if (local.DayOfWeek == DayOfWeek.Sunday) local = local.AddDays(-2);
        var hour = 8 + random.NextDouble() * 9;
        var result = TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local.Date.AddHours(hour), DateTimeKind.Unspecified), zone);
        return result > nowUtc || result < startUtc ? utc : result;
    }

    private Call Next(DateTime startedUtc, TimeZoneInfo zone)
    {
        var roll = random.NextDouble();
        var type = roll switch { < 0.42 => CallType.Incoming, < 0.64 => CallType.Outgoing, < 0.84 => CallType.Queue, < 0.92 => CallType.Internal, _ => CallType.Ivr };
        var agent = Directory[random.Next(Directory.Count)];
        var outside = OutsideNumber();
        var queue = type == CallType.Queue ? (agent.Team == "Sprzedaż" ? "401" : "400") : null;
        var colleague = type == CallType.Internal ? Directory[random.Next(Directory.Count)].Extension : "";
        // Extensions are their own digits, outside numbers come with theirs: a million rows are not worth a parser each.
        var (caller, callerDigits, callee, calleeDigits, prefix) = type switch
        {
            // As FreePBX names them (PBX-FORMATS.md): `out` for an outbound route; `external` is an incoming call that reached
            // an extension (to = the extension, from = the caller), never an outgoing one.
            CallType.Outgoing => (agent.Extension, agent.Extension, outside.Written, outside.Digits, "out"),
            CallType.Internal => (agent.Extension, agent.Extension, colleague, colleague, "internal"),
            CallType.Queue => (outside.Written, outside.Digits, queue!, queue!, "q"),
            CallType.Ivr => (outside.Written, outside.Digits, "7000", "7000", "in"),
            _ => (outside.Written, outside.Digits, agent.Extension, agent.Extension, "external"),
        };
        var durationMs = Duration(type);
        var epoch = (long)(startedUtc - DateTime.UnixEpoch).TotalSeconds;
        var callId = $"{epoch}.{++sequence}";
        var local = TimeZoneInfo.ConvertTimeFromUtc(startedUtc, zone);
        var encoding = random.NextDouble() < 0.7 ? SyntheticSpeech.Encoding.MuLaw : SyntheticSpeech.Encoding.Pcm16;
        // FreePBX names files <type>-<to>-<from>-<local date-time>-<uniqueid>.
        var fileName = $"{prefix}-{callee}-{caller}-{local:yyyyMMdd-HHmmss}-{callId}.wav";
        var owner = type == CallType.Ivr ? null : agent;
        var row = new Recording
        {
            CallId = callId,
            LinkedId = callId,
            StartedAt = new DateTime(startedUtc.Ticks - startedUtc.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc),
            DurationMs = durationMs,
            CallerNumber = caller, CallerDigits = callerDigits,
            CalleeNumber = callee, CalleeDigits = calleeDigits,
            Extension = owner?.Extension, UserName = owner?.DisplayName, Team = owner?.Team,
            Type = type, Queue = queue,
            SizeBytes = SyntheticSpeech.FileSize(durationMs, encoding),
            Format = "wav", Codec = encoding == SyntheticSpeech.Encoding.Pcm16 ? "pcm_s16le" : "pcm_mulaw", SampleRate = SyntheticSpeech.SampleRate, Channels = 1,
            Sha256 = "",
            StorageKey = $"{local:yyyy/MM/dd}/{fileName}",
            OriginalFileName = fileName,
            IngestedAt = startedUtc.AddMilliseconds(durationMs).AddSeconds(2 + random.Next(5)),
        };
        return new Call(row, encoding);
    }

    /// <summary>Lengths as a contact centre sees them: mostly 30 s to 4 min, some short, a few long ones.</summary>
    private int Duration(CallType type)
    {
        var roll = random.NextDouble();
        double seconds = type == CallType.Ivr
            ? 15 + random.NextDouble() * 60
            : roll switch
            {
                < 0.15 => 4 + random.NextDouble() * 26,
                < 0.93 => 30 + Math.Pow(random.NextDouble(), 1.7) * 210,
                _ => 240 + random.NextDouble() * 600,
            };
        return (int)(seconds * 1000) / 10 * 10;
    }

    /// <summary>A Polish number written the way trunks deliver it; a third of the calls come from people who call often.</summary>
    private (string Written, string Digits) OutsideNumber()
    {
        if (regulars.Count > 20 && random.NextDouble() < 0.33) return regulars[random.Next(regulars.Count)];
        string national = random.NextDouble() < 0.75
            ? MobilePrefixes[random.Next(MobilePrefixes.Length)] + random.Next(0, 1_000_000).ToString("000000", CultureInfo.InvariantCulture)
            : LandlinePrefixes[random.Next(LandlinePrefixes.Length)] + random.Next(0, 10_000_000).ToString("0000000", CultureInfo.InvariantCulture);
        var written = random.Next(4) switch { 0 => "+48" + national, 1 => national, _ => "48" + national };
        var number = (written, "48" + national);
        if (regulars.Count < 200) regulars.Add(number);
        return number;
    }
}
