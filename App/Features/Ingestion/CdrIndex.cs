using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Features.Ingestion;

/// <summary>CDR rows by uniqueid and linkedid, and what a recording learns from its row.</summary>
public sealed class CdrIndex
{
    private readonly Dictionary<string, CdrRecord> byUniqueId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CdrRecord> byLinkedId = new(StringComparer.Ordinal);

    public int Count => byUniqueId.Count;
    public List<string> Problems { get; } = [];

    public static async Task<CdrIndex> LoadAsync(string? path, CancellationToken ct)
    {
        var index = new CdrIndex();
        if (path is null || !File.Exists(path)) return index;
        var lineNumber = 0;
        await foreach (var line in File.ReadLinesAsync(path, ct))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            if (AsteriskCdrCsv.TryParseLine(line, out var record, out var error)) index.Add(record!);
            else index.Problems.Add($"{Path.GetFileName(path)} line {lineNumber}: {error}");
        }
        return index;
    }

    public void Add(CdrRecord record)
    {
        if (record.UniqueId is { } id) byUniqueId[id] = record;
        if (record.LinkedId is { } linked) byLinkedId.TryAdd(linked, record);
    }

    /// <summary>As FreePBX's CDR page does: <c>uniqueid = X OR linkedid = X</c>.</summary>
    public CdrRecord? Find(string uniqueId) =>
        byUniqueId.GetValueOrDefault(uniqueId) ?? byLinkedId.GetValueOrDefault(uniqueId);

    /// <summary>The call type from the dialplan context, for names that do not tell (rg, ondemand, generic, parked, exten).</summary>
    public static CallType? CallTypeOf(CdrRecord cdr)
    {
        var context = cdr.Context.ToLowerInvariant();
        if (context.StartsWith("ivr-", StringComparison.Ordinal)) return CallType.Ivr;
        if (context is "ext-queues" or "from-queue") return CallType.Queue;
        if (context is "from-trunk" or "from-pstn" || context.StartsWith("from-did", StringComparison.Ordinal)) return CallType.Incoming;
        if (context == "from-internal")
            return IsExtension(cdr.Destination) ? CallType.Internal : CallType.Outgoing;
        return null;
    }

    /// <summary>Internal extensions are short; outside numbers are not.</summary>
    public static bool IsExtension(string number) => number.Length is > 0 and <= 6 && number.All(char.IsAsciiDigit);
}
