using NagrywanieRozmow.Shared.Csv;
using System.Globalization;
using System.Linq.Expressions;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Audit;
using NagrywanieRozmow.Features.Ingestion;
using NagrywanieRozmow.Features.Playback;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Shared.Storage;
using NagrywanieRozmow.Shared.Time;
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

/// <summary>
/// Data-subject requests (RODO art. 15 and 17) for Compliance: every recording where the number is the caller or the callee
/// (matched on the normalised number, so "+48 601 234 567" and "601234567" are the same person), exported as a ZIP or erased.
/// Held recordings are never erased; the receipt says which were kept and for which case. The number itself is not stored.
/// </summary>
