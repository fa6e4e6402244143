using System.Linq.Expressions;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Features.Ingestion;

/// <summary>
/// What a recording learns from the CDR rows of its call (all rows whose uniqueid or linkedid is the recording's call id),
/// and, while there are none, from its own numbers. Pure: the same rows give the same answer whichever came first, the
/// recording or its rows, so it is applied at ingestion and again whenever rows of the call arrive.
/// </summary>
public static class CdrLink
{
    public const string Answered = "ANSWERED";

    /// <summary>
    /// Disposition and linkedid from the call's own row; who answered an incoming, queue or ring-group call from the ANSWERED
    /// row's <c>dstchannel</c> (the first to answer, when a transfer answered again); the direction of names that do not tell
    /// it (<c>rg</c>, <c>ondemand</c>, <c>generic</c>, <c>parked</c>, <c>exten</c>) from the context, else from the numbers; the
    /// numbers themselves from <c>src</c>/<c>dst</c> where the file name was ambiguous. Never guesses a phone: an incoming call
    /// nobody is named for keeps no extension.
    /// </summary>
    public static void Apply(Recording recording, IReadOnlyCollection<CallDetailRecord> rows, InternalNumbers internals,
        IReadOnlyDictionary<string, DirectoryEntry> people, NumberNormalizer numbers)
    {
        var own = Own(rows, recording.CallId);
        var answered = rows
            .Where(r => r.Disposition == Answered && AnsweringPhone(r.DestinationChannel) is { } phone && internals.IsInternal(phone))
            .OrderBy(r => r.StartedAt).ThenBy(r => r.Id).FirstOrDefault();

        if (own is not null)
        {
            recording.Disposition = answered is not null ? Answered : own.Disposition;
            recording.LinkedId ??= own.LinkedId;
            if (NumbersFromCdr(recording) && own.Source.Length > 0 && own.Destination.Length > 0)
            {
                recording.CallerNumber = own.Source;
                recording.CallerDigits = numbers.Normalize(own.Source);
                recording.CalleeNumber = own.Destination;
                recording.CalleeDigits = numbers.Normalize(own.Destination);
            }
        }

        if (recording.TypeIsGuess)
        {
            var (from, to) = own is null ? (recording.CallerNumber, recording.CalleeNumber) : (own.Source, own.Destination);
            var type = (own is null ? null : CallTypeOf(own, internals)) ?? DirectionOf(from, to, internals);
            if (type is not null) recording.Type = type.Value;
            // Only a CDR row settles it; numbers alone may still be overruled by the row when it comes.
            recording.TypeIsGuess = own is null;
            if (recording.Extension is null && recording.Queue is null)
            {
                var ours = recording.Type == CallType.Incoming ? to : from;
                if (internals.IsInternal(ours)) SetExtension(recording, ours, people);
            }
        }
        if (own is not null && own.Context.StartsWith("ivr-", StringComparison.OrdinalIgnoreCase)) recording.Type = CallType.Ivr;
        if (recording.Type == CallType.Queue && own is not null) recording.Queue ??= own.Destination;

        if (recording.Extension is null && answered is not null) SetExtension(recording, AnsweringPhone(answered.DestinationChannel)!, people);
    }

    /// <summary>Still waiting for the CDR: no disposition yet, no phone named for the call, or a direction only guessed.</summary>
    public static readonly Expression<Func<Recording, bool>> WaitingForCdr = r => r.Disposition == null || r.Extension == null || r.TypeIsGuess;

    private static readonly Func<Recording, bool> Waiting = WaitingForCdr.Compile();

    public static bool WaitsForCdr(Recording r) => Waiting(r);

    /// <summary>The call's own row: its uniqueid's (the last written), else the first of the rows it is the linkedid of.</summary>
    public static CallDetailRecord? Own(IEnumerable<CallDetailRecord> rows, string callId) =>
        rows.Where(c => c.UniqueId == callId).MaxBy(c => c.Id) ?? rows.Where(c => c.LinkedId == callId).MinBy(c => c.Id);

    private static void SetExtension(Recording recording, string extension, IReadOnlyDictionary<string, DirectoryEntry> people)
    {
        recording.Extension = extension;
        var person = people.GetValueOrDefault(extension);
        recording.UserName = person?.DisplayName;
        recording.Team = person?.Team ?? recording.Team;
    }

    /// <summary>
    /// The numbers came from a FreePBX name whose parties hold more than one dash, so the split was a rule, not a fact.
    /// Metadata (an upload, a sidecar) and unambiguous names keep their numbers.
    /// </summary>
    private static bool NumbersFromCdr(Recording r) =>
        FreePbxFileName.TryParse(r.OriginalFileName, TimeZoneInfo.Utc, out var name, out _) && name!.PartiesAmbiguous
        && name.From == r.CallerNumber && name.To == r.CalleeNumber;

    /// <summary>The call type from the dialplan context, for names that do not tell (rg, ondemand, generic, parked, exten).</summary>
    public static CallType? CallTypeOf(CallDetailRecord cdr, InternalNumbers internals)
    {
        var context = cdr.Context.ToLowerInvariant();
        if (context.StartsWith("ivr-", StringComparison.Ordinal)) return CallType.Ivr;
        if (context is "ext-queues" or "from-queue") return CallType.Queue;
        if (context is "from-trunk" or "from-pstn" || context.StartsWith("from-did", StringComparison.Ordinal)) return CallType.Incoming;
        if (context == "from-internal") return internals.IsInternal(cdr.Destination) ? CallType.Internal : CallType.Outgoing;
        return null;
    }

    /// <summary>From the numbers alone: two internal ones make an internal call; otherwise the internal side tells the direction.</summary>
    public static CallType? DirectionOf(string from, string to, InternalNumbers internals) =>
        (internals.IsInternal(from), internals.IsInternal(to)) switch
        {
            (true, true) => CallType.Internal,
            (true, false) => CallType.Outgoing,
            (false, true) => CallType.Incoming,
            _ => null,
        };

    /// <summary>
    /// The phone of a channel name: <c>SIP/301-0000002a</c>, <c>PJSIP/301-00000012</c>, <c>IAX2/301-3</c> → 301; a queue's
    /// local channel <c>Local/301@from-queue-000001;1</c> → 301. Null when the name holds no peer.
    /// </summary>
    public static string? AnsweringPhone(string channel)
    {
        var slash = channel.IndexOf('/');
        if (slash < 0) return null;
        var rest = channel[(slash + 1)..];
        var at = rest.IndexOf('@');
        if (at >= 0) return at > 0 ? rest[..at] : null;
        var dash = rest.LastIndexOf('-');
        return dash > 0 ? rest[..dash] : null;
    }
}
