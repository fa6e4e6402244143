using Microsoft.Extensions.Localization;

namespace NagrywanieRozmow.Features.Recordings;

/// <summary>
/// The "user" of a call as the grid and the recording page show it: the person and extension; or, for an incoming, queue
/// or ring-group call whose answering phone no CDR row has named yet, the queue or group and that it is not known (never a guess).
/// </summary>
public static class WhoAnswered
{
    public static bool IsPending(string? extension, string? queue, string? did) => extension is null && (queue is not null || did is not null);

    public static string Describe(IStringLocalizer<RecordingsText> l, string? extension, string? userName, CallType type, string? queue, string? did, string? disposition)
    {
        if (extension is not null) return userName is null ? extension : $"{userName} · {extension}";
        if (!IsPending(extension, queue, did)) return "—";
        var state = disposition is not null && disposition != "ANSWERED" ? l["NobodyAnswered"] : l["AnswerPending"];
        // A DID has a column (and a row on the recording page) of its own; a queue or ring group is named here.
        return queue is null ? state : $"{l[type == CallType.Queue ? "Via_Queue" : "Via_Group", queue]} · {state}";
    }
}
