using System.Globalization;
using System.Linq.Expressions;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Ingestion;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Features.Calls;

/// <summary>One row of the call history as the page and the API show it: the call, and its recording or why there is none.</summary>
public sealed record CallRow(
    long Id, string LinkedId, DateTime StartedAt, string CallerNumber, string CallerDigits, string CalleeNumber, string CalleeDigits, string? Did, string? Extension, string? UserName,
    string? Team, string? Queue, CallType Type, CallDisposition Disposition, int RingSeconds, int TalkSeconds, bool Erased)
{
    public long? RecordingId { get; set; }
    public NoRecordingReason? NoRecordingReason { get; set; }

    /// <summary>For a recording deleted by retention (or by hand) or erased: when, and under which rule or for which request.</summary>
    public DateTime? DeletedAt { get; set; }
    public string? DeletedRule { get; set; }

    /// <summary>The quarantined file of the call, for administrators to look at on the Ingestion page.</summary>
    public long? QuarantinedFileId { get; set; }
}

public sealed record CallPage(IReadOnlyList<CallRow> Rows, int Total, bool TotalIsEstimate, string? NextCursor);

public sealed record MissedStats(IReadOnlyList<(DateOnly Day, int Missed, int All)> PerDay, IReadOnlyList<(string Queue, int Missed, int All)> PerQueue, DateOnly From, DateOnly To);

/// <summary>
/// The one search behind the call-history page and <c>GET /api/v1/calls</c>: the caller's scope (the recordings' rules,
/// <see cref="RecordingScope.Of"/>), the audit entry, the capped count, the page by keyset, and each row's recording or the
/// reason it has none.
/// </summary>
public sealed class CallSearch(IDbContextFactory<AppDbContext> dbs, AuditLog audit, TimeProvider time, IOptions<CallRecordOptions> options, Shared.Time.DisplayTime display)
{
    public const int CountCap = RecordingSearch.CountCap;

    /// <summary>
    /// A search. It is audited once when it starts (<paramref name="audited"/> false for paging, sorting or a cursor through the
    /// same filters). <paramref name="skip"/> is the panel's paging; the API follows <paramref name="cursor"/>.
    /// </summary>
    public async Task<CallPage> SearchAsync(CallFilter filter, ClaimsPrincipal user, AuditActor by, bool audited, int skip, int take, string? cursor, CancellationToken ct)
    {
        if (audited) await audit.AppendAsync(by, AuditActions.CallSearch, AuditOutcomes.Success, details: Describe(filter));
        await using var db = await dbs.CreateDbContextAsync(ct);
        var without = WithoutNumber(db, filter, user, await WithholdsAsync(db, user, ct));
        var q = MatchNumber(db, without, filter.Number);
        var (total, estimate) = await RecordingSearch.CountAsync(q, ct);
        var position = cursor is null ? null : CallCursor.TryDecode(cursor, filter.Sort);
        if (position is not null && !KeepsOffset(filter.Sort)) q = After(q, filter.Sort, position.Value, position.Id);
        else if (position is not null) skip = position.Offset;
        var walked = position is null && total >= CommonFrom ? await WalkAsync(without, filter, skip + take + 1, ct) : null;
        var rows = walked is not null
            ? await Sort(without.Where(c => walked.Contains(c.Id)), filter).Skip(skip).Take(take + 1).Select(Row).ToListAsync(ct)
            : await Sort(q, filter).Skip(skip).Take(take + 1).Select(Row).ToListAsync(ct);
        var more = rows.Count > take;
        if (more) rows.RemoveAt(rows.Count - 1);
        await ExplainAsync(db, rows, ct);
        var next = more && rows.Count > 0 ? CallCursor.Encode(filter.Sort, ValueOf(rows[^1], filter.Sort), rows[^1].Id, skip + rows.Count) : null;
        return new CallPage(rows, total, estimate, next);
    }

    /// <summary>One call with its CDR legs, or null when it does not exist or lies outside the caller's scope.</summary>
    public async Task<(CallRow Call, IReadOnlyList<CallDetailRecord> Legs)?> GetAsync(string linkedId, ClaimsPrincipal user, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var row = await Scoped(db, user, await WithholdsAsync(db, user, ct)).Where(c => c.LinkedId == linkedId).Select(Row).FirstOrDefaultAsync(ct);
        if (row is null) return null;
        await ExplainAsync(db, [row], ct);
        var legs = await db.CdrRecords.AsNoTracking().Where(c => c.LinkedId == linkedId || (c.LinkedId == null && c.UniqueId == linkedId))
            .OrderBy(c => c.StartedAt).ThenBy(c => c.Id).ToListAsync(ct);
        return (row, legs);
    }

    /// <summary>
    /// Missed calls of the filter's period (the last 14 days when it names none; at most 62 days) per day in App:TimeZone and
    /// per queue, beside all calls, in the caller's scope.
    /// </summary>
    public async Task<MissedStats> MissedAsync(CallFilter filter, ClaimsPrincipal user, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var to = filter.To ?? display.ToUtc(display.ToLocal(now).Date.AddDays(1));
        var from = filter.From ?? to.AddDays(-14);
        if ((to - from).TotalDays > 62) from = to.AddDays(-62);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var q = Filter(db, filter with { From = from, To = to, Dispositions = [], Sort = CallSort.Default }, user, await WithholdsAsync(db, user, ct));
        var calls = await q.Select(c => new { c.StartedAt, c.Queue, c.Disposition }).ToListAsync(ct);
        var perDay = calls.GroupBy(c => DateOnly.FromDateTime(display.ToLocal(c.StartedAt)))
            .Select(g => (g.Key, g.Count(c => c.Disposition != CallDisposition.Answered), g.Count())).OrderBy(g => g.Key).ToList();
        var perQueue = calls.Where(c => c.Queue is not null).GroupBy(c => c.Queue!)
            .Select(g => (g.Key, g.Count(c => c.Disposition != CallDisposition.Answered), g.Count())).OrderByDescending(g => g.Item2).ThenBy(g => g.Key).ToList();
        return new MissedStats(perDay, perQueue, DateOnly.FromDateTime(display.ToLocal(from)), DateOnly.FromDateTime(display.ToLocal(to.AddTicks(-1))));
    }

    public static string Describe(CallFilter f) => AuditLog.Details(new
    {
        from = f.From?.ToString("O", CultureInfo.InvariantCulture), to = f.To?.ToString("O", CultureInfo.InvariantCulture),
        number = f.Number, extension = f.Extension, did = f.Did, type = f.Types.Count == 0 ? null : f.Types.Select(t => t.ToString()),
        disposition = f.Dispositions.Count == 0 ? null : f.Dispositions.Select(d => d.ToString()),
        minDuration = f.MinDurationSeconds, maxDuration = f.MaxDurationSeconds, callId = f.CallId, recorded = f.Recorded,
        sort = f.Sort == CallSort.Default ? null : f.Sort.ToString(),
    });

    private static readonly Expression<Func<CallSummary, CallRow>> Row = c => new CallRow(
        c.Id, c.LinkedId, c.StartedAt, c.CallerNumber, c.CallerDigits, c.CalleeNumber, c.CalleeDigits, c.Did, c.Extension, c.UserName, c.Team, c.Queue, c.Type, c.Disposition,
        c.RingSeconds, c.TalkSeconds, c.Erased);

    /// <summary>A number fragment with at least this many matches is common: its page is found by walking the sort's index.</summary>
    public const int CommonFrom = 1_000;

    /// <summary>
    /// A common number fragment's first page, by date or talk time, is found by walking that index (which holds the digits)
    /// in order and stopping at the page: its matches are dense, so the walk is short (1M calls: 25 ms), where the trigram
    /// index would hand over every match to be sorted (200–300 ms). A rare fragment goes to the index, whose few matches are
    /// cheap to sort. Null for other orders and deep pages: the index answers.
    /// </summary>
    private static async Task<List<long>?> WalkAsync(IQueryable<CallSummary> without, CallFilter f, int count, CancellationToken ct)
    {
        if (f.Number is null || PhoneNumber.NormalizeFragment(f.Number) is not { Length: > 0 } digits || count > 500
            || f.Sort.Field is not (CallSortField.StartedAt or CallSortField.Talk)) return null;
        return await Sort(without.Where(c => c.CallerDigits.Contains(digits) || c.CalleeDigits.Contains(digits)), f).Select(c => c.Id).Take(count).ToListAsync(ct);
    }

    /// <summary>The calls matching the filter that the caller may see.</summary>
    public static IQueryable<CallSummary> Filter(AppDbContext db, CallFilter f, ClaimsPrincipal user, bool withholds) =>
        MatchNumber(db, WithoutNumber(db, f, user, withholds), f.Number);

    /// <summary>
    /// Calls whose caller or callee digits hold the fragment: on SQLite 3+ digits through the CallNumbers trigram index (a
    /// phrase of the fragment's trigrams is an exact substring match), on PostgreSQL through LIKE and its GIN trigram indexes.
    /// </summary>
    public static IQueryable<CallSummary> MatchNumber(AppDbContext db, IQueryable<CallSummary> q, string? number)
    {
        if (number is null || PhoneNumber.NormalizeFragment(number) is not { Length: > 0 } digits) return q;
        if (db.Provider == DatabaseProvider.Sqlite && digits.Length >= 3)
        {
            // Digits only, so the phrase cannot carry FTS syntax.
            var phrase = "\"" + digits + "\"";
            var hits = db.Database.SqlQuery<long>($"SELECT rowid AS Value FROM CallNumbers WHERE CallNumbers MATCH {phrase}");
            return q.Join(hits, c => c.Id, hit => hit, (c, _) => c);
        }
        if (db.Provider == DatabaseProvider.PostgreSql)
        {
            var pattern = "%" + digits + "%";
            return q.Where(c => EF.Functions.Like(c.CallerDigits, pattern) || EF.Functions.Like(c.CalleeDigits, pattern));
        }
        return q.Where(c => c.CallerDigits.Contains(digits) || c.CalleeDigits.Contains(digits));
    }

    /// <summary>Every filter but the number fragment, in the caller's scope.</summary>
    public static IQueryable<CallSummary> WithoutNumber(AppDbContext db, CallFilter f, ClaimsPrincipal user, bool withholds)
    {
        var q = Scoped(db, user, withholds);
        if (f.From is { } from) q = q.Where(c => c.StartedAt >= from);
        if (f.To is { } to) q = q.Where(c => c.StartedAt < to);
        if (f.Extension is { } extension) q = q.Where(c => c.Extension == extension);
        if (f.Did is { } did) q = q.Where(c => c.Did == did);
        if (f.Types.Count > 0)
        {
            var types = f.Types.ToList();
            q = q.Where(c => types.Contains(c.Type));
        }
        if (f.Dispositions.Count > 0)
        {
            var dispositions = f.Dispositions.ToList();
            q = q.Where(c => dispositions.Contains(c.Disposition));
        }
        if (f.MinDurationSeconds is { } min) q = q.Where(c => c.TalkSeconds >= min);
        if (f.MaxDurationSeconds is { } max) q = q.Where(c => c.TalkSeconds <= max);
        if (f.CallId is { } callId) q = q.Where(c => c.LinkedId == callId);
        if (f.Recorded is { } recorded) q = q.Where(c => c.HasRecording == recorded);
        return q;
    }

    /// <summary>
    /// Whether anything is withheld from the person now (an open blind evaluation): one look-up on the (Evaluator, State)
    /// index, so the searches of everyone else carry no subquery at all.
    /// </summary>
    private static async Task<bool> WithholdsAsync(AppDbContext db, ClaimsPrincipal user, CancellationToken ct) =>
        AppDbContext.MayBeWithheldFrom(user) && await db.WithheldFrom(user).AnyAsync(ct);

    /// <summary>
    /// The recordings' scope rules on calls: by the team and the phone that took (or made) the call; and a call whose
    /// recording is withheld from the caller (their blind evaluation of it is open) is not theirs to find either.
    /// </summary>
    public static IQueryable<CallSummary> Scoped(AppDbContext db, ClaimsPrincipal user, bool withholds)
    {
        var calls = db.Set<CallSummary>().AsNoTracking();
        var scoped = RecordingScope.Of(user) switch
        {
            { Kind: RecordingScope.ScopeKind.Everything } => calls,
            { Kind: RecordingScope.ScopeKind.Teams, Teams: var teams } => calls.Where(c => c.Team != null && teams.Contains(c.Team)),
            { Kind: RecordingScope.ScopeKind.OwnExtension, Extension: var extension } => calls.Where(c => c.Extension == extension),
            _ => calls.Where(c => false),
        };
        if (!withholds) return scoped;
        // The withheld calls by their Id, which every index of the table carries: a test on LinkedId would make each index
        // walk read the row too (1M calls, missed calls by date: 7 → 101 ms p50).
        var withheld = db.Recordings.Where(r => db.WithheldFrom(user).Contains(r.Id));
        var withheldCalls = db.Set<CallSummary>()
            .Where(c => withheld.Select(r => r.LinkedId ?? r.CallId).Contains(c.LinkedId) || withheld.Select(r => r.CallId).Contains(c.LinkedId)).Select(c => c.Id);
        return scoped.Where(c => !withheldCalls.Contains(c.Id));
    }

    /// <summary>
    /// The filter's order. Calls nobody answered all talked 0 s, so among them the talk order is the id order: walked on the
    /// primary key instead of past every answered call in the talk index (1M calls, missed by talk time: 1 s → ms).
    /// </summary>
    public static IOrderedQueryable<CallSummary> Sort(IQueryable<CallSummary> q, CallFilter f) =>
        f.Sort.Field == CallSortField.Talk && f.Dispositions.Count > 0 && !f.Dispositions.Contains(CallDisposition.Answered)
            ? f.Sort.Descending ? q.OrderByDescending(c => c.Id) : q.OrderBy(c => c.Id)
            : Sort(q, f.Sort);

    public static IOrderedQueryable<CallSummary> Sort(IQueryable<CallSummary> q, CallSort sort) => sort.Field switch
    {
        CallSortField.StartedAt => By(q, c => c.StartedAt, sort.Descending),
        CallSortField.Caller => By(q, c => c.CallerDigits, sort.Descending),
        CallSortField.Callee => By(q, c => c.CalleeDigits, sort.Descending),
        CallSortField.Did => By(q, c => c.Did, sort.Descending),
        CallSortField.Extension => By(q, c => c.Extension, sort.Descending),
        CallSortField.Type => By(q, c => (int)c.Type, sort.Descending),
        CallSortField.Disposition => By(q, c => (int)c.Disposition, sort.Descending),
        CallSortField.Ring => By(q, c => c.RingSeconds, sort.Descending),
        CallSortField.Talk => By(q, c => c.TalkSeconds, sort.Descending),
        _ => throw new ArgumentOutOfRangeException(nameof(sort)),
    };

    private static IOrderedQueryable<CallSummary> By<T>(IQueryable<CallSummary> q, Expression<Func<CallSummary, T>> key, bool descending) =>
        descending ? q.OrderByDescending(key).ThenByDescending(c => c.Id) : q.OrderBy(key).ThenBy(c => c.Id);

    /// <summary>Orders by a column that may be empty page by offset (NULLs order differently per database); the others seek.</summary>
    private static bool KeepsOffset(CallSort sort) => sort.Field is CallSortField.Did or CallSortField.Extension;

    private static string? ValueOf(CallRow row, CallSort sort) => sort.Field switch
    {
        CallSortField.StartedAt => row.StartedAt.Ticks.ToString(CultureInfo.InvariantCulture),
        CallSortField.Caller => row.CallerDigits,
        CallSortField.Callee => row.CalleeDigits,
        CallSortField.Type => ((int)row.Type).ToString(CultureInfo.InvariantCulture),
        CallSortField.Disposition => ((int)row.Disposition).ToString(CultureInfo.InvariantCulture),
        CallSortField.Ring => row.RingSeconds.ToString(CultureInfo.InvariantCulture),
        CallSortField.Talk => row.TalkSeconds.ToString(CultureInfo.InvariantCulture),
        _ => null,
    };

    private static IQueryable<CallSummary> After(IQueryable<CallSummary> q, CallSort sort, string? value, long id)
    {
        var d = sort.Descending;
        var inv = CultureInfo.InvariantCulture;
        switch (sort.Field)
        {
            case CallSortField.StartedAt:
                var at = new DateTime(long.Parse(value!, inv), DateTimeKind.Utc);
                return d ? q.Where(c => c.StartedAt < at || (c.StartedAt == at && c.Id < id)) : q.Where(c => c.StartedAt > at || (c.StartedAt == at && c.Id > id));
            case CallSortField.Type:
                var type = (CallType)int.Parse(value!, inv);
                return d ? q.Where(c => c.Type < type || (c.Type == type && c.Id < id)) : q.Where(c => c.Type > type || (c.Type == type && c.Id > id));
            case CallSortField.Disposition:
                var disposition = (CallDisposition)int.Parse(value!, inv);
                return d ? q.Where(c => c.Disposition < disposition || (c.Disposition == disposition && c.Id < id))
                    : q.Where(c => c.Disposition > disposition || (c.Disposition == disposition && c.Id > id));
            case CallSortField.Ring:
                var ring = int.Parse(value!, inv);
                return d ? q.Where(c => c.RingSeconds < ring || (c.RingSeconds == ring && c.Id < id)) : q.Where(c => c.RingSeconds > ring || (c.RingSeconds == ring && c.Id > id));
            case CallSortField.Talk:
                var talk = int.Parse(value!, inv);
                return d ? q.Where(c => c.TalkSeconds < talk || (c.TalkSeconds == talk && c.Id < id)) : q.Where(c => c.TalkSeconds > talk || (c.TalkSeconds == talk && c.Id > id));
            case CallSortField.Caller:
                var caller = value!;
                return d ? q.Where(c => string.Compare(c.CallerDigits, caller) < 0 || (c.CallerDigits == caller && c.Id < id))
                    : q.Where(c => string.Compare(c.CallerDigits, caller) > 0 || (c.CallerDigits == caller && c.Id > id));
            case CallSortField.Callee:
                var callee = value!;
                return d ? q.Where(c => string.Compare(c.CalleeDigits, callee) < 0 || (c.CalleeDigits == callee && c.Id < id))
                    : q.Where(c => string.Compare(c.CalleeDigits, callee) > 0 || (c.CalleeDigits == callee && c.Id > id));
            default:
                throw new ArgumentOutOfRangeException(nameof(sort));
        }
    }

    /// <summary>
    /// Each row's recording, else why it has none: a recording of the call (by linkedid, or the uniqueid of one of its legs);
    /// a tombstone (deleted by retention or by hand: when and under which rule; erased for a data subject); a quarantined
    /// file; nobody answered; the recording may still arrive (<see cref="CallRecordOptions.RecordingWaitMinutes"/>); not recorded.
    /// </summary>
    private async Task ExplainAsync(AppDbContext db, List<CallRow> rows, CancellationToken ct)
    {
        if (rows.Count == 0) return;
        var keys = rows.Select(r => r.LinkedId).ToList();
        var legs = await db.CdrRecords.AsNoTracking().Where(c => c.LinkedId != null && keys.Contains(c.LinkedId) && c.UniqueId != null)
            .Select(c => new { c.LinkedId, c.UniqueId }).ToListAsync(ct);
        var callOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in keys) callOf[key] = key;
        foreach (var leg in legs) callOf.TryAdd(leg.UniqueId!, leg.LinkedId!);
        var ids = callOf.Keys.ToList();

        var recordings = await db.Recordings.AsNoTracking().Where(r => ids.Contains(r.CallId) || (r.LinkedId != null && keys.Contains(r.LinkedId)))
            .OrderBy(r => r.StartedAt).Select(r => new { r.Id, r.CallId, r.LinkedId }).ToListAsync(ct);
        var recordingOf = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var r in recordings)
        {
            var call = r.LinkedId is { } l && callOf.ContainsKey(l) ? callOf[l] : callOf.GetValueOrDefault(r.CallId);
            if (call is not null) recordingOf.TryAdd(call, r.Id);
        }
        var tombstones = (await db.Set<RecordingTombstone>().AsNoTracking().Where(t => ids.Contains(t.CallId)).ToListAsync(ct))
            .Where(t => callOf.ContainsKey(t.CallId)).GroupBy(t => callOf[t.CallId]).ToDictionary(g => g.Key, g => g.OrderByDescending(t => t.DeletedAt).First());

        // Quarantined files are few: those of the page's period are read and matched by the uniqueid their name ends with.
        var since = rows.Min(r => r.StartedAt).AddDays(-1);
        var quarantined = await db.IngestedFiles.AsNoTracking().Where(f => f.Outcome == IngestOutcome.Rejected && f.ProcessedAt >= since)
            .Select(f => new { f.Id, f.SourcePath }).ToListAsync(ct);
        var quarantineOf = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var f in quarantined)
            foreach (var (uniqueId, call) in callOf)
                if (f.SourcePath.Contains("-" + uniqueId + ".", StringComparison.Ordinal)) quarantineOf.TryAdd(call, f.Id);

        var now = time.GetUtcNow().UtcDateTime;
        var wait = TimeSpan.FromMinutes(options.Value.RecordingWaitMinutes);
        foreach (var row in rows)
        {
            if (recordingOf.TryGetValue(row.LinkedId, out var id))
            {
                row.RecordingId = id;
                continue;
            }
            if (tombstones.TryGetValue(row.LinkedId, out var t))
            {
                row.NoRecordingReason = t.Cause == ErasureCause.SubjectRequest ? NoRecordingReason.Erased : NoRecordingReason.DeletedByRetention;
                row.DeletedAt = t.DeletedAt;
                row.DeletedRule = t.Cause == ErasureCause.SubjectRequest ? null : t.Rule;
            }
            else if (quarantineOf.TryGetValue(row.LinkedId, out var fileId))
            {
                row.NoRecordingReason = NoRecordingReason.Quarantined;
                row.QuarantinedFileId = fileId;
            }
            else if (row.Disposition != CallDisposition.Answered) row.NoRecordingReason = NoRecordingReason.NotAnswered;
            else if (now - row.StartedAt.AddSeconds(row.RingSeconds + row.TalkSeconds) < wait) row.NoRecordingReason = NoRecordingReason.Pending;
            else row.NoRecordingReason = row.Erased ? NoRecordingReason.Erased : NoRecordingReason.NotRecorded;
        }
    }
}
