using System.Globalization;
using System.Text.RegularExpressions;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Features.Ingestion;

/// <summary>
/// A FreePBX MixMonitor file name: <c>&lt;type&gt;-&lt;to&gt;-&lt;from&gt;-YYYYMMDD-HHMMSS-&lt;uniqueid&gt;.&lt;ext&gt;</c>, built by the
/// callrecording module as <c>${ARG2}-${ARG3}-${FROMEXTEN}-${TIMESTR}-${UNIQUEID}</c> (type, destination, caller).
/// What "to" is depends on the type: a DID for <c>in</c>, a queue for <c>q</c>, a ring group for <c>rg</c>, the dialled number
/// for <c>out</c>, the called extension for <c>internal</c> and <c>external</c> (a call from outside, through a DID, that
/// reached an extension). "From" is always the calling party. The caller-ID parts may contain '-', '+', spaces or
/// "anonymous", so the parse is anchored on the date-time part.
/// </summary>
public sealed partial record FreePbxFileName(
    string Type, string To, string From, DateTime LocalStart, DateTime StartedAtUtc, string UniqueId, string Extension, CallType? CallType)
{
    /// <summary>
    /// The extension the name itself names as ours: the called one of an <c>external</c> call, the calling one of <c>out</c>
    /// and <c>internal</c>. None for <c>in</c>, <c>q</c> and <c>rg</c>, whose "to" is a DID, queue or ring group (the CDR names
    /// the phone that answered), nor for the types whose direction only the CDR or the numbers tell.
    /// </summary>
    public string? InternalParty => Type switch
    {
        "external" => To,
        "out" or "internal" => From,
        _ => null,
    };

    /// <summary>The number the caller dialled: the inbound route's DID of an <c>in</c> recording.</summary>
    public string? Did => Type == "in" ? To : null;

    /// <summary>The queue (<c>q</c>) or ring group (<c>rg</c>) the call came through.</summary>
    public string? Queue => Type is "q" or "rg" ? To : null;

    /// <summary>
    /// More than one dash separates the parties, so the split rests on the rule that the internal side has none; where a PBX
    /// broke that rule, the linked CDR row's src and dst are the numbers to believe.
    /// </summary>
    public bool PartiesAmbiguous => To.Contains('-') || From.Contains('-');

    public static bool TryParse(string fileName, TimeZoneInfo pbxZone, out FreePbxFileName? result, out string? error)
    {
        result = null;
        var name = Path.GetFileName(fileName);
        var match = Pattern().Match(name);
        if (!match.Success)
        {
            error = $"'{name}' is not a FreePBX recording name (<type>-<to>-<from>-YYYYMMDD-HHMMSS-<uniqueid>.<ext>).";
            return false;
        }
        var type = match.Groups["type"].Value.ToLowerInvariant();
        var parties = match.Groups["parties"].Value;
        var uniqueId = match.Groups["uniqueid"].Value;
        if (!DateTime.TryParseExact(match.Groups["date"].Value + match.Groups["time"].Value, "yyyyMMddHHmmss",
                CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            error = $"'{name}' has an impossible date or time ({match.Groups["date"].Value}-{match.Groups["time"].Value}).";
            return false;
        }

        var (to, from) = SplitParties(type, parties);
        if (to.Length == 0 || from.Length == 0)
        {
            error = $"'{name}' does not name both parties of the call.";
            return false;
        }
        result = new FreePbxFileName(type, to, from, local, ToUtc(local, pbxZone, EpochOf(uniqueId)), uniqueId,
            match.Groups["ext"].Value, CallTypeOf(type));
        error = null;
        return true;
    }

    /// <summary>
    /// Which '-' separates "to" from "from": the internal side (an extension, DID, queue or ring group) never contains one.
    /// Only <c>out</c> has it last (the calling extension), so it splits at the last dash and every other type at the first.
    /// </summary>
    private static (string To, string From) SplitParties(string type, string parties)
    {
        var at = type == "out" ? parties.LastIndexOf('-') : parties.IndexOf('-');
        return at <= 0 ? ("", "") : (parties[..at].Trim(), parties[(at + 1)..].Trim());
    }

    public static CallType? CallTypeOf(string type) => type switch
    {
        "in" or "external" => Recordings.CallType.Incoming,
        "out" => Recordings.CallType.Outgoing,
        "internal" => Recordings.CallType.Internal,
        "q" => Recordings.CallType.Queue,
        _ => null, // rg, ondemand, generic, parked, exten: the CDR tells the direction
    };

    /// <summary>The uniqueid's epoch: <c>&lt;epoch&gt;.&lt;seq&gt;</c> or <c>&lt;systemname&gt;-&lt;epoch&gt;.&lt;seq&gt;</c>.</summary>
    public static DateTime? EpochOf(string uniqueId)
    {
        var match = Epoch().Match(uniqueId);
        return match.Success && long.TryParse(match.Groups[1].Value, out var seconds) && seconds is > 946_684_800 and < 4_102_444_800
            ? DateTime.UnixEpoch.AddSeconds(seconds)
            : null;
    }

    /// <summary>
    /// PBX local time to UTC. In the autumn hour that happens twice, the uniqueid's epoch (the channel's creation, in UTC)
    /// picks the right one; in the spring hour that does not exist, the clock had already moved on.
    /// </summary>
    public static DateTime ToUtc(DateTime local, TimeZoneInfo zone, DateTime? epochUtc)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsAmbiguousTime(local))
        {
            var candidates = zone.GetAmbiguousTimeOffsets(local).Select(o => DateTime.SpecifyKind(local - o, DateTimeKind.Utc)).ToList();
            return epochUtc is { } epoch
                ? candidates.MinBy(c => Math.Abs((c - epoch).Ticks))
                : candidates.Min();
        }
        if (zone.IsInvalidTime(local)) local = local.AddHours(1);
        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }

    [GeneratedRegex(@"^(?<type>[A-Za-z]+)-(?<parties>.+)-(?<date>\d{8})-(?<time>\d{6})-(?<uniqueid>.+)\.(?<ext>[A-Za-z0-9]{2,5})$")]
    private static partial Regex Pattern();

    [GeneratedRegex(@"(\d{9,11})\.\d+$")]
    private static partial Regex Epoch();
}
