using NagrywanieRozmow.Shared.Csv;
using System.Linq.Expressions;
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

/// <summary>
/// Data-subject requests (RODO art. 15 and 17) for Compliance: every recording where the number is the caller or the callee
/// (matched on the normalised number, so "+48 601 234 567" and "601234567" are the same person), exported as a ZIP or erased.
/// Held recordings are never erased; the receipt says which were kept and for which case. The number itself is not stored.
/// </summary>
public sealed class SubjectRequests(
    IDbContextFactory<AppDbContext> dbs, IRecordingStore store, RecordingEraser eraser, LegalHolds holds, AuditLog audit, TimeProvider time, DisplayTime display,
    NumberNormalizer numbers, IEnumerable<ISubjectErasureStep> steps)
{
    public const int MinDigits = 6;

    public static Problem? CheckNumber(string? number)
    {
        if (string.IsNullOrWhiteSpace(number) || !PhoneNumber.LooksLikeNumber(number.Trim()) || PhoneNumber.NormalizeFragment(number).Length < MinDigits)
            return new Problem("Problem_Number", $"Give the person's whole phone number (at least {MinDigits} digits), e.g. +48 601 234 567.", MinDigits);
        return null;
    }

    public static Problem? CheckReference(string? reference) =>
        reference is { Length: > 200 } ? new Problem("Problem_Reference", "The reference may be at most 200 characters.", 200) : null;

    /// <summary>"48601****67": enough to recognise the request, not enough to be the number.</summary>
    public static string Mask(string digits) =>
        digits.Length <= 4 ? new string('*', digits.Length) : digits[..Math.Min(5, digits.Length - 4)] + new string('*', digits.Length - Math.Min(5, digits.Length - 4) - 2) + digits[^2..];

    public async Task<SubjectSearch> FindAsync(string number, CancellationToken ct = default)
    {
        var digits = numbers.Normalize(number);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var recordings = await db.Recordings.AsNoTracking()
            .Where(r => r.CallerDigits == digits || r.CalleeDigits == digits).OrderByDescending(r => r.StartedAt).ToListAsync(ct);
        var heldIds = recordings.Where(r => r.LegalHold).Select(r => r.Id).ToList();
        var cases = (await LegalHolds.ActiveItems(db).AsNoTracking().Where(i => heldIds.Contains(i.RecordingId))
                .Join(db.Set<LegalHold>(), i => i.HoldId, h => h.Id, (i, h) => new { i.RecordingId, h.CaseNumber })
                .ToListAsync(ct))
            .ToLookup(x => x.RecordingId, x => x.CaseNumber);
        // The CDR keeps numbers as the PBX wrote them: the database finds the forms a PBX writes (separators aside), and the
        // normaliser confirms each, so a "+" the search ignored cannot make a foreign number this person's.
        var cdr = (await db.CdrRecords.AsNoTracking().Where(NamesAnyOf(numbers.WrittenForms(digits))).OrderBy(c => c.StartedAt).ToListAsync(ct))
            .Where(c => numbers.Normalize(c.Source) == digits || numbers.Normalize(c.Destination) == digits).ToList();
        return new SubjectSearch(digits, Mask(digits),
            recordings.Select(r => new SubjectMatch(r, r.CallerDigits == digits, r.CalleeDigits == digits, cases[r.Id].Distinct().ToList())).ToList(), cdr);
    }

    /// <summary>
    /// The ZIP of everything held for the number: the audio as stored, manifest.csv and manifest.json, call-records.csv,
    /// access-history.csv and a README. The request is recorded and audited here, before the first byte is sent.
    /// </summary>
    public async Task<SubjectExport> ExportAsync(SubjectSearch found, string? reference, AuditActor by, CancellationToken ct = default)
    {
        var ids = found.Recordings.Select(m => m.Recording.Id).ToList();
        var receipt = new SubjectReceipt(found.Recordings.Select(m => Item(m.Recording)).ToList(), [], found.CallRecords.Count);
        var request = await RecordAsync(SubjectRequestKind.Export, found, reference, by, receipt, ct);
        await audit.AppendAsync(by, AuditActions.SubjectExport, AuditOutcomes.Success, ids.Count == 1 ? ids[0] : null, details: AuditLog.Details(new
        {
            request = request.Id, number = found.Masked, recordings = ids, callRecords = found.CallRecords.Count,
        }), reason: request.Reference);

        List<AuditEntry> history;
        await using (var db = await dbs.CreateDbContextAsync(ct))
            history = await db.AuditLog.AsNoTracking().Where(a => a.RecordingId != null && ids.Contains(a.RecordingId.Value)).OrderBy(a => a.Id).ToListAsync(ct);

        var items = new List<ZipItem>();
        var names = new Dictionary<long, string>();
        var stored = await store.ExistingAsync(found.Recordings.Select(m => m.Recording.StorageKey), ct);
        foreach (var r in found.Recordings.Select(m => m.Recording))
        {
            if (!stored.Contains(r.StorageKey)) continue;
            names[r.Id] = "audio/" + PlaybackEndpoints.DownloadName(r, display, withId: true);
            items.Add(new ZipItem(names[r.Id], r.SizeBytes, display.ToLocal(r.StartedAt), token => store.OpenReadAsync(r.StorageKey, token)));
        }
        var now = display.ToLocal(request.HandledAt);
        items.Add(ZipItem.Text("manifest.csv", ManifestCsv(found, names), now));
        items.Add(ZipItem.Text("manifest.json", ManifestJson(found, names, request), now));
        items.Add(ZipItem.Text("call-records.csv", CallRecordsCsv.Write(found.CallRecords, internals: false), now));
        items.Add(ZipItem.Text("access-history.csv", AccessHistoryCsv.Write(history, internals: false), now));
        items.Add(ZipItem.Text("README.txt", Readme(found, request, names.Count), now));
        return new SubjectExport(request, items);
    }

    /// <summary>
    /// Erases every recording of the number that no legal hold keeps, and the call records that go with them. The tombstones,
    /// the call records' deletion, the request with its receipt and both audit entries are one transaction: a process
    /// stopped at any moment leaves all of it or none of it.
    /// </summary>
    public async Task<(SubjectRequest Request, SubjectReceipt Receipt)> EraseAsync(SubjectSearch found, string? reference, AuditActor by, CancellationToken ct = default)
    {
        var why = $"data-subject request{(string.IsNullOrWhiteSpace(reference) ? "" : " " + reference.Trim())}";
        (SubjectRequest Request, SubjectReceipt Receipt)? done = null;
        await eraser.EraseAsync(found.Recordings.Where(m => !m.Recording.LegalHold).Select(m => new Erasure(m.Recording.Id, why)).ToList(),
            ErasureCause.SubjectRequest, by.Name, ct, audited: async (db, result) =>
            {
                var kept = new List<KeptItem>();
                foreach (var m in found.Recordings.Where(m => m.Recording.LegalHold || result.KeptOnHold.Contains(m.Recording.Id)))
                {
                    var cases = m.HoldCases.Count > 0 ? m.HoldCases : (await holds.ActiveForAsync(m.Recording.Id, ct)).Select(h => h.CaseNumber).ToList();
                    kept.Add(new KeptItem(m.Recording.Id, m.Recording.CallId, m.Recording.StartedAt, cases));
                }
                // Call records naming the number that no kept recording needs (the eraser already took those of erased recordings).
                var keptCalls = found.Recordings.Where(m => kept.Any(k => k.Id == m.Recording.Id)).Select(m => m.Recording.CallId).ToHashSet();
                var cdrIds = found.CallRecords.Where(c => c.UniqueId is null || !keptCalls.Contains(c.UniqueId)).Select(c => c.Id).ToList();
                await db.CdrRecords.Where(c => cdrIds.Contains(c.Id)).ExecuteDeleteAsync(ct);
                foreach (var step in steps) await step.EraseAsync(db, found.Digits, found.Masked, ct);

                var receipt = new SubjectReceipt(result.Erased.Select(t => new ReceiptItem(t.Id, t.CallId, t.StartedAt, t.Sha256)).ToList(), kept, cdrIds.Count);
                var request = NewRequest(SubjectRequestKind.Erase, found, reference, by, receipt);
                db.Add(request);
                await db.SaveChangesAsync(ct);
                done = (request, receipt);

                var erasedIds = result.Erased.Select(t => t.Id).ToList();
                var erase = new AuditDraft(by, AuditActions.SubjectErase, AuditOutcomes.Success, Details: AuditLog.Details(new
                {
                    request = request.Id, number = found.Masked, erased = erasedIds, kept = kept.Select(k => new { id = k.Id, cases = k.Cases }), callRecords = cdrIds.Count,
                }), Reason: request.Reference);
                if (erasedIds.Count == 0) return [erase];
                return [new AuditDraft(by, AuditActions.RecordingDeleted, AuditOutcomes.Success, erasedIds.Count == 1 ? erasedIds[0] : null,
                    AuditLog.Details(new { cause = ErasureCause.SubjectRequest.ToString(), request = request.Id, count = erasedIds.Count, recordings = erasedIds }), why), erase];
            });
        return done!.Value;
    }

    public async Task<IReadOnlyList<SubjectRequest>> HistoryAsync(int count = 50, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Set<SubjectRequest>().AsNoTracking().OrderByDescending(s => s.Id).Take(count).ToListAsync(ct);
    }

    public async Task<SubjectRequest?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Set<SubjectRequest>().AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
    }

    private async Task<SubjectRequest> RecordAsync(
        SubjectRequestKind kind, SubjectSearch found, string? reference, AuditActor by, SubjectReceipt receipt, CancellationToken ct)
    {
        var request = NewRequest(kind, found, reference, by, receipt);
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Add(request);
        await db.SaveChangesAsync(ct);
        return request;
    }

    private SubjectRequest NewRequest(SubjectRequestKind kind, SubjectSearch found, string? reference, AuditActor by, SubjectReceipt receipt) => new()
    {
        Kind = kind, MaskedNumber = found.Masked, Reference = string.IsNullOrWhiteSpace(reference) ? null : reference.Trim(),
        HandledBy = by.Name, HandledAt = time.GetUtcNow().UtcDateTime, Receipt = receipt.ToJson(),
    };

    private static ReceiptItem Item(Recording r) => new(r.Id, r.CallId, r.StartedAt, r.Sha256);

    private static readonly string[] Separators = [" ", "-", "+", ".", "/", "(", ")"];

    /// <summary>Call records whose source or destination, without separators, is one of <paramref name="forms"/>.</summary>
    private static Expression<Func<CallDetailRecord, bool>> NamesAnyOf(IReadOnlyList<string> forms)
    {
        var c = Expression.Parameter(typeof(CallDetailRecord), "c");
        var replace = typeof(string).GetMethod(nameof(string.Replace), [typeof(string), typeof(string)])!;
        var contains = typeof(Enumerable).GetMethods().Single(m => m.Name == nameof(Enumerable.Contains) && m.GetParameters().Length == 2).MakeGenericMethod(typeof(string));
        var list = Expression.Constant(forms.ToList());
        Expression Names(string column) => Expression.Call(contains, list,
            Separators.Aggregate((Expression)Expression.Property(c, column), (e, s) => Expression.Call(e, replace, Expression.Constant(s), Expression.Constant(""))));
        return Expression.Lambda<Func<CallDetailRecord, bool>>(
            Expression.OrElse(Names(nameof(CallDetailRecord.Source)), Names(nameof(CallDetailRecord.Destination))), c);
    }

    private static string ManifestCsv(SubjectSearch found, IReadOnlyDictionary<long, string> names)
    {
        var csv = new CsvText("id", "file", "startedAt", "durationSeconds", "callerNumber", "calleeNumber", "side", "extension", "userName", "team", "type", "callId",
            "sha256", "legalHold", "holdCases");
        foreach (var m in found.Recordings)
        {
            var r = m.Recording;
            csv.Row(CsvText.Number(r.Id), names.GetValueOrDefault(r.Id) ?? "(file missing)", CsvText.Iso(r.StartedAt), CsvText.Seconds(r.DurationMs),
                r.CallerNumber, r.CalleeNumber, Side(m), r.Extension, r.UserName, r.Team, r.Type.ToString(), r.CallId, r.Sha256,
                r.LegalHold ? "yes" : "no", string.Join(", ", m.HoldCases));
        }
        return csv.ToString();
    }

    private static string ManifestJson(SubjectSearch found, IReadOnlyDictionary<long, string> names, SubjectRequest request) =>
        JsonSerializer.Serialize(new
        {
            request = request.Id, number = found.Masked, reference = request.Reference, exportedBy = request.HandledBy, exportedAt = request.HandledAt,
            recordings = found.Recordings.Select(m => new
            {
                id = m.Recording.Id, file = names.GetValueOrDefault(m.Recording.Id), callId = m.Recording.CallId, startedAt = m.Recording.StartedAt,
                durationSeconds = m.Recording.DurationMs / 1000.0, callerNumber = m.Recording.CallerNumber, calleeNumber = m.Recording.CalleeNumber,
                side = Side(m), extension = m.Recording.Extension, userName = m.Recording.UserName, team = m.Recording.Team, type = m.Recording.Type.ToString(),
                sha256 = m.Recording.Sha256, legalHold = m.Recording.LegalHold, holdCases = m.HoldCases,
            }),
            callRecords = found.CallRecords.Count,
        }, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    private static string Readme(SubjectSearch found, SubjectRequest request, int files) => $"""
        Recordings and call data held for the phone number {found.Masked}
        Nagrania i dane połączeń przechowywane dla numeru {found.Masked}

        Request {request.Id}{(request.Reference is null ? "" : $" ({request.Reference})")}, exported {CsvText.Iso(request.HandledAt)} by {request.HandledBy}.

        audio/              {files} recording(s), the files exactly as the phone system stored them
        manifest.csv/.json  one line per recording: time (UTC), numbers, which side the number was on, agent, team, SHA-256 of the file
        call-records.csv    {found.CallRecords.Count} call record(s) from the phone system's CDR naming the number
        access-history.csv  who listened to, downloaded or otherwise used each recording, and when (from the panel's audit log)

        The SHA-256 in the manifest is the hash computed when the recording arrived; `sha256sum audio/*` shows the files are unchanged.
        """;

    private static string Side(SubjectMatch m) => (m.AsCaller, m.AsCallee) switch { (true, true) => "both", (true, _) => "caller", _ => "callee" };

}
