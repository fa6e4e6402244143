using System.Text.Json;
using NagrywanieRozmow.Features.Ingestion;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Shared.Zip;

namespace NagrywanieRozmow.Features.Retention;

/// <summary>A recording of the person: on which side of the call their number was, and the cases holding it.</summary>
public sealed record SubjectMatch(Recording Recording, bool AsCaller, bool AsCallee, IReadOnlyList<string> HoldCases);

/// <summary>Everything the panel holds for one number: its recordings and the call records (CDR rows) naming it.</summary>
public sealed record SubjectSearch(string Digits, string Masked, IReadOnlyList<SubjectMatch> Recordings, IReadOnlyList<CallDetailRecord> CallRecords)
{
    public int AsCaller => Recordings.Count(m => m.AsCaller);
    public int AsCallee => Recordings.Count(m => m.AsCallee);
    public int OnHold => Recordings.Count(m => m.Recording.LegalHold);
}

/// <summary>A data-subject export ready to send: its recorded request, and the files of its ZIP (length known up front).</summary>
public sealed record SubjectExport(SubjectRequest Request, IReadOnlyList<ZipItem> Items);

public sealed record ReceiptItem(long Id, string CallId, DateTime StartedAt, string Sha256);
public sealed record KeptItem(long Id, string CallId, DateTime StartedAt, IReadOnlyList<string> Cases);

/// <summary>What a request did, kept as the <see cref="SubjectRequest.Receipt"/>: recordings exported or erased, those kept and why.</summary>
public sealed record SubjectReceipt(IReadOnlyList<ReceiptItem> Done, IReadOnlyList<KeptItem> Kept, int CallRecords)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    public string ToJson() => JsonSerializer.Serialize(this, Json);
    public static SubjectReceipt Parse(string json) => JsonSerializer.Deserialize<SubjectReceipt>(json, Json)!;
}
