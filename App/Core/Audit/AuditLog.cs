using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Data;

namespace NagrywanieRozmow.Core;

/// <summary>Who did something, for the audit log: a signed-in person or key (with their address) or the command line.</summary>
public readonly record struct AuditActor(string Name, string? Ip)
{
    public static readonly AuditActor CommandLine = new("system (command line)", null);

    public static AuditActor Of(ClaimsPrincipal user, string? ip) => new(AuditLog.ActorOf(user), ip);
}

/// <summary>An entry still to be appended: who, what, how it ended, which recording, facts and reason.</summary>
public sealed record AuditDraft(AuditActor By, string Action, string Outcome, long? RecordingId = null, string? Details = null, string? Reason = null);

/// <summary>
/// Appends hash-chained entries: each entry's hash covers its own fields and the previous entry's hash, so an edited,
/// deleted or reordered row breaks the chain at that point. Appends are serialised so two requests never chain onto the
/// same predecessor, across instances too (a database lock). Nothing in the app updates or deletes an entry.
/// </summary>
public sealed class AuditLog(IDbContextFactory<AppDbContext> dbs, TimeProvider time)
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";
    private static readonly SemaphoreSlim AppendLock = new(1, 1);
    private TaskCompletionSource appended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when this process next commits an entry: followers of the log (<see cref="AuditFollower"/>) wake on it.</summary>
    public Task NextAppend => Volatile.Read(ref appended).Task;

    public async Task<AuditEntry> AppendAsync(
        string actor, string action, string outcome, long? recordingId = null, string? details = null, string? reason = null,
        string? ip = null, CancellationToken ct = default)
    {
        var draft = new AuditDraft(new AuditActor(actor, ip), action, outcome, recordingId, details, reason);
        return (await InTransactionAsync(_ => Task.FromResult((0, (IReadOnlyList<AuditDraft>)[draft])), ct)).Entries[0];
    }

    /// <summary>
    /// Runs <paramref name="work"/> and appends the entries it returns (in order) in one transaction: the change and its
    /// audit entries are committed together or not at all (a process killed in between leaves neither). The chain's locks
    /// are taken before the transaction begins, in the order every append takes them, so nothing waits on a lock the other holds.
    /// </summary>
    public async Task<(T Result, IReadOnlyList<AuditEntry> Entries)> InTransactionAsync<T>(
        Func<AppDbContext, Task<(T Result, IReadOnlyList<AuditDraft> Entries)>> work, CancellationToken ct)
    {
        await AppendLock.WaitAsync(ct);
        try
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var (result, drafts) = await work(db);
            var entries = new List<AuditEntry>(drafts.Count);
            if (drafts.Count > 0)
            {
                await TakeChainLockAsync(db, ct);
                var previous = await db.Set<AuditEntry>().OrderByDescending(a => a.Id).Select(a => a.Hash).FirstOrDefaultAsync(ct) ?? Genesis;
                var at = TruncateToMilliseconds(time.GetUtcNow().UtcDateTime);
                foreach (var draft in drafts)
                {
                    var entry = new AuditEntry
                    {
                        At = at, Actor = draft.By.Name, ActorIp = draft.By.Ip, Action = draft.Action, Outcome = draft.Outcome,
                        RecordingId = draft.RecordingId, Details = draft.Details, Reason = draft.Reason,
                        PreviousHash = previous, Hash = "",
                    };
                    entry.Hash = ComputeHash(entry);
                    previous = entry.Hash;
                    entries.Add(entry);
                }
                // Added one by one, saved in order: ids follow the chain.
                foreach (var entry in entries)
                {
                    db.Add(entry);
                    await db.SaveChangesAsync(CancellationToken.None);
                }
            }
            // CancellationToken.None: once the chain position is taken, the entries must be written.
            await db.SaveChangesAsync(CancellationToken.None);
            await tx.CommitAsync(CancellationToken.None);
            if (entries.Count > 0)
                Interlocked.Exchange(ref appended, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            return (result, entries);
        }
        finally
        {
            AppendLock.Release();
        }
    }

    /// <summary>
    /// The process lock orders this process's appends; this orders those of every process on the database (other
    /// instances, a CLI command beside the app) until the transaction ends. SQLite needs nothing more: its transactions
    /// begin IMMEDIATE, holding the file's write lock from the start.
    /// </summary>
    private static Task TakeChainLockAsync(AppDbContext db, CancellationToken ct) => db.Database.ProviderName switch
    {
        "Npgsql.EntityFrameworkCore.PostgreSQL" => db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(7226351447)", ct),
        "Microsoft.EntityFrameworkCore.SqlServer" => db.Database.ExecuteSqlRawAsync(
            "EXEC sp_getapplock @Resource = N'audit-chain', @LockMode = N'Exclusive', @LockOwner = N'Transaction'", ct),
        _ => Task.CompletedTask,
    };

    /// <summary>Appends on behalf of the person or API key making the request.</summary>
    public Task<AuditEntry> AppendAsync(
        HttpContext http, string action, string outcome, long? recordingId = null, string? details = null, string? reason = null) =>
        AppendAsync(ActorOf(http.User), action, outcome, recordingId, details, reason, http.Connection.RemoteIpAddress?.ToString(), http.RequestAborted);

    /// <summary>
    /// A recording was asked for that does not exist or lies outside the caller's scope: answered 404 (nothing leaks), and
    /// written down as a denied access attempt.
    /// </summary>
    public Task<AuditEntry> RecordingNotFoundAsync(HttpContext http, long id) =>
        RecordingNotFoundAsync(http.User, new AuditActor(ActorOf(http.User), http.Connection.RemoteIpAddress?.ToString()), id, http.Request.Path.Value, http.RequestAborted);

    /// <summary>
    /// The same, from a page or an endpoint. The entry says when the recording was withheld from the caller (their blind
    /// evaluation of it is open), so a compliance officer reads a blind evaluator's attempt for what it was; the caller
    /// got the same 404 either way.
    /// </summary>
    public async Task<AuditEntry> RecordingNotFoundAsync(ClaimsPrincipal user, AuditActor by, long id, string? path, CancellationToken ct = default)
    {
        bool withheld;
        await using (var db = await dbs.CreateDbContextAsync(ct))
            withheld = AppDbContext.MayBeWithheldFrom(user) && await db.WithheldFrom(user).ContainsAsync(id, ct);
        return await AppendAsync(by.Name, AuditActions.RecordingAccess, AuditOutcomes.Denied, id, Details(new { path }),
            withheld ? WithheldReason : NotFoundReason, by.Ip, ct);
    }

    public const string NotFoundReason = "no such recording, or outside the caller's scope";

    public const string WithheldReason = "withheld: the caller's blind evaluation of this call is open";

    /// <summary>
    /// Appends on behalf of someone without an HttpContext: a person on an interactive page (the IP comes from the circuit)
    /// or the command line.
    /// </summary>
    public Task<AuditEntry> AppendAsync(
        AuditActor by, string action, string outcome, long? recordingId = null, string? details = null, string? reason = null) =>
        AppendAsync(by.Name, action, outcome, recordingId, details, reason, by.Ip);

    /// <summary>Facts of an entry as compact JSON (nulls left out), e.g. the filters of a search or a change's old and new values.</summary>
    public static string Details(object facts) => System.Text.Json.JsonSerializer.Serialize(facts, DetailsJson);

    private static readonly System.Text.Json.JsonSerializerOptions DetailsJson = new(System.Text.Json.JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string ActorOf(ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.Email) ?? user.Identity?.Name ?? "anonymous";

    /// <summary>Walks the chain in order; returns the first entry that does not fit, or null when intact.</summary>
    public async Task<(AuditEntry Entry, string Problem)?> VerifyAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var previous = Genesis;
        await foreach (var entry in db.Set<AuditEntry>().AsNoTracking().OrderBy(a => a.Id).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (entry.PreviousHash != previous)
                return (entry, "its link to the previous entry does not match: an entry before it was deleted, inserted or reordered");
            if (ComputeHash(entry) != entry.Hash)
                return (entry, "its content does not match its hash: the entry was edited");
            previous = entry.Hash;
        }
        return null;
    }

    public async Task<long> CountAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Set<AuditEntry>().LongCountAsync(ct);
    }

    internal static string ComputeHash(AuditEntry e)
    {
        var canonical = string.Join('\u001f',
            e.PreviousHash, e.At.Ticks.ToString(CultureInfo.InvariantCulture), e.Actor, e.ActorIp ?? "", e.Action,
            e.RecordingId?.ToString(CultureInfo.InvariantCulture) ?? "", e.Details ?? "", e.Outcome, e.Reason ?? "");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    // Every provider stores at least millisecond precision; the hash must survive the round trip.
    private static DateTime TruncateToMilliseconds(DateTime utc) => new(utc.Ticks - utc.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
}
