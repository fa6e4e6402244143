using NagrywanieRozmow.Features.Ingestion;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Features.Calls;

/// <summary>
/// Folds the CDR rows of one call (one linkedid: the first channel, a queue's or ring group's attempts, a transfer) into the
/// call history's row. Pure, and the same rows give the same call in any order, so it is simply run again when more rows
/// of the call arrive. Who answered follows <see cref="CdrLink"/>: the first ANSWERED row whose <c>dstchannel</c> names one
/// of our phones; an answer by the queue or the IVR alone is not a person answering.
/// </summary>
public static class CallBuilder
{
    public static void Fold(CallSummary call, IReadOnlyCollection<CallDetailRecord> rows, InternalNumbers internals,
        IReadOnlyDictionary<string, DirectoryEntry> people, Func<string, string> digitsOf)
    {
        if (rows.Count == 0) throw new ArgumentException("A call needs at least one CDR row.", nameof(rows));
        var ordered = rows.OrderBy(r => r.StartedAt).ThenBy(r => r.Id).ToList();
        // The channel that started the call: its uniqueid is the linkedid.
        var first = ordered.FirstOrDefault(r => r.UniqueId == call.LinkedId) ?? ordered[0];
        var start = ordered[0].StartedAt;
        var end = ordered.Max(r => r.StartedAt.AddSeconds(r.DurationSeconds));

        var type = CdrLink.CallTypeOf(first, internals) ?? CdrLink.DirectionOf(first.Source, first.Destination, internals) ?? CallType.Incoming;
        var queueRow = ordered.FirstOrDefault(r => r.Context.Equals("ext-queues", StringComparison.OrdinalIgnoreCase));
        if (type == CallType.Incoming && (queueRow is not null || ordered.Any(r => r.Context.Equals("from-queue", StringComparison.OrdinalIgnoreCase))))
            type = CallType.Queue;

        // Rows a person (or, for an outgoing call, the far end) picked up: ANSWERED with a bridged channel naming a peer.
        var pickedUp = ordered.Where(r => r.Disposition == CdrLink.Answered && CdrLink.AnsweringPhone(r.DestinationChannel) is not null).ToList();
        var byOurPhone = pickedUp.FirstOrDefault(r => internals.IsInternal(CdrLink.AnsweringPhone(r.DestinationChannel)));
        var answered = type == CallType.Outgoing ? pickedUp.FirstOrDefault() : byOurPhone ?? pickedUp.FirstOrDefault();

        call.StartedAt = start;
        call.CallerNumber = Cut(first.Source, 80);
        call.CallerDigits = Cut(digitsOf(first.Source), 40);
        call.CalleeNumber = Cut(first.Destination, 80);
        call.CalleeDigits = Cut(digitsOf(first.Destination), 40);
        call.Type = type;
        call.Did = type is CallType.Incoming or CallType.Queue or CallType.Ivr && IsFromTrunk(first) && first.Destination.Length > 0 ? Cut(first.Destination, 80) : null;
        call.Queue = queueRow is null ? null : Cut(queueRow.Destination, 80);
        call.Disposition = answered is not null ? CallDisposition.Answered : Unanswered(ordered);
        call.Legs = rows.Count;

        // Who: the phone that answered; on an outgoing call, the phone that dialled.
        var extension = type == CallType.Outgoing
            ? (internals.IsInternal(first.Source) ? first.Source : null)
            : byOurPhone is not null ? CdrLink.AnsweringPhone(byOurPhone.DestinationChannel) : null;
        var person = extension is null ? null : people.GetValueOrDefault(extension);
        call.Extension = extension is null ? null : Cut(extension, 40);
        call.UserName = person?.DisplayName;
        call.Team = person?.Team;

        if (answered is not null)
        {
            // Ringing: from the call's start to the answering leg's start, then that leg's own wait (duration − billsec).
            call.RingSeconds = (int)Math.Max(0, (answered.StartedAt - start).TotalSeconds) + Math.Max(0, answered.DurationSeconds - answered.BillSeconds);
            // Talking: every answered leg (a transfer answers twice); a queue's Local;1/;2 pair names the same phone at the same moment once.
            call.TalkSeconds = pickedUp.DistinctBy(r => (CdrLink.AnsweringPhone(r.DestinationChannel), r.StartedAt)).Sum(r => r.BillSeconds);
        }
        else
        {
            call.RingSeconds = (int)Math.Max(0, (end - start).TotalSeconds);
            call.TalkSeconds = 0;
        }
    }

    private static CallDisposition Unanswered(IReadOnlyCollection<CallDetailRecord> rows)
    {
        bool Any(params string[] dispositions) => rows.Any(r => dispositions.Contains(r.Disposition, StringComparer.OrdinalIgnoreCase));
        if (Any("BUSY")) return CallDisposition.Busy;
        // ANSWERED without a person: the queue or the IVR took the call and the caller hung up there.
        if (Any("NO ANSWER", "ANSWERED")) return CallDisposition.NoAnswer;
        return CallDisposition.Failed;
    }

    private static bool IsFromTrunk(CallDetailRecord row)
    {
        var context = row.Context.ToLowerInvariant();
        return context is "from-trunk" or "from-pstn" || context.StartsWith("from-did", StringComparison.Ordinal);
    }

    private static string Cut(string text, int length) => text.Length > length ? text[..length] : text;

    /// <summary>The key CDR rows are grouped by: the linkedid, or the uniqueid of a row written without one (older cdr.conf).</summary>
    public static string? KeyOf(CallDetailRecord row) => row.LinkedId is { Length: > 0 } l ? l : row.UniqueId is { Length: > 0 } u ? u : null;
}
