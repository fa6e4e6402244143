using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Playback;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Shared.Media;
using NagrywanieRozmow.Shared.Storage;

namespace NagrywanieRozmow.Features.Quality;

/// <summary>An item as a reader sees it: the call if it is still there (and what they may know of it), or when it went.</summary>
public sealed record CollectionEntry(CollectionItem Item, Recording? Recording, RecordingTombstone? Removed, bool ReaderSeesCall)
{
    public int LengthMs => Item.EndMs is { } end ? end - (Item.StartMs ?? 0) : Recording?.DurationMs ?? 0;
}

public sealed record CollectionView(TrainingCollection Collection, IReadOnlyList<CollectionEntry> Entries, bool MayManage);

public sealed record CollectionSummary(int Id, string Name, string Owner, int Items, int Shares, DateTime CreatedAt);

/// <summary>
/// Training collections: calls or clips with a note, shared with chosen people (often new agents). The share is the
/// permission to hear exactly those items, nothing more. A collection never keeps a recording: retention deletes it as
/// usual, its items then show when it went and play no more.
/// </summary>
public sealed class Collections(IDbContextFactory<AppDbContext> dbs, AuditLog audit, TimeProvider time)
{
    public const int MaxClipMs = 15 * 60 * 1000;

    private static string Me(ClaimsPrincipal user) => AuditLog.ActorOf(user);

    private static bool MayManage(TrainingCollection c, ClaimsPrincipal user) =>
        user.IsInRole(Roles.Administrator) || Permissions.Allows(user, Policies.ManageCollections) && string.Equals(c.Owner, Me(user), StringComparison.OrdinalIgnoreCase);

    private static bool MayRead(TrainingCollection c, ClaimsPrincipal user) =>
        MayManage(c, user) || c.Shares.Any(s => string.Equals(s.Email, Me(user), StringComparison.OrdinalIgnoreCase));

    public async Task<IReadOnlyList<CollectionSummary>> ListAsync(ClaimsPrincipal user, CancellationToken ct = default)
    {
        var me = Me(user);
        var all = user.IsInRole(Roles.Administrator);
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.TrainingCollections.AsNoTracking()
            .Where(c => all || c.Owner == me || c.Shares.Any(s => s.Email == me))
            .OrderBy(c => c.Name)
            .Select(c => new CollectionSummary(c.Id, c.Name, c.Owner, c.Items.Count, c.Shares.Count, c.CreatedAt)).ToListAsync(ct);
    }

    /// <summary>Collections the caller may add to (their own; every one for an administrator).</summary>
    public async Task<IReadOnlyList<CollectionSummary>> MineAsync(ClaimsPrincipal user, CancellationToken ct = default) =>
        (await ListAsync(user, ct)).Where(c => user.IsInRole(Roles.Administrator) || string.Equals(c.Owner, Me(user), StringComparison.OrdinalIgnoreCase)).ToList();

    public async Task<CollectionView?> OpenAsync(int id, ClaimsPrincipal user, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var c = await db.TrainingCollections.AsNoTracking().Include(x => x.Items).Include(x => x.Shares).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (c is null || !MayRead(c, user)) return null;
        var ids = c.Items.Select(i => i.RecordingId).Distinct().ToList();
        // A call the reader is evaluating blind reads as unavailable here: the entry names its agent and time.
        var withheld = AppDbContext.MayBeWithheldFrom(user) ? await db.WithheldFrom(user).Where(x => ids.Contains(x)).ToListAsync(ct) : [];
        var recordings = await db.Recordings.AsNoTracking().Where(r => ids.Contains(r.Id) && !withheld.Contains(r.Id)).ToDictionaryAsync(r => r.Id, ct);
        var visible = (await db.Recordings.VisibleTo(db, user).Where(r => ids.Contains(r.Id)).Select(r => r.Id).ToListAsync(ct)).ToHashSet();
        var gone = await db.Set<RecordingTombstone>().AsNoTracking().Where(t => ids.Contains(t.Id)).ToDictionaryAsync(t => t.Id, ct);
        var entries = c.Items.OrderBy(i => i.Position).Select(i => new CollectionEntry(i, recordings.GetValueOrDefault(i.RecordingId),
            gone.GetValueOrDefault(i.RecordingId), visible.Contains(i.RecordingId))).ToList();
        return new CollectionView(c, entries, MayManage(c, user));
    }

    public async Task<(TrainingCollection? Collection, Problem? Problem)> CreateAsync(string? name, string? description, ClaimsPrincipal user, AuditActor by, CancellationToken ct = default)
    {
        if (!Permissions.Allows(user, Policies.ManageCollections)) return (null, new("Collection_NotAllowed", "Only quality managers and administrators create collections."));
        name = name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200) return (null, new("Collection_NameRequired", "A collection needs a name of 1–200 characters."));
        if (description is { Length: > 2000 }) return (null, new("Collection_DescriptionLong", "The description is longer than 2000 characters."));
        await using var db = await dbs.CreateDbContextAsync(ct);
        var c = db.TrainingCollections.Add(new TrainingCollection
        {
            Name = name, Description = string.IsNullOrWhiteSpace(description) ? null : description.Trim(), Owner = by.Name, CreatedAt = time.GetUtcNow().UtcDateTime,
        }).Entity;
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(by, AuditActions.CollectionCreated, AuditOutcomes.Success, details: AuditLog.Details(new { collection = c.Id, name }));
        return (c, null);
    }

    public async Task<bool> DeleteAsync(int id, ClaimsPrincipal user, AuditActor by, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var c = await db.TrainingCollections.Include(x => x.Shares).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (c is null || !MayManage(c, user)) return false;
        db.TrainingCollections.Remove(c);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(by, AuditActions.CollectionDeleted, AuditOutcomes.Success, details: AuditLog.Details(new { collection = id, c.Name, sharedWith = c.Shares.Select(s => s.Email) }));
        return true;
    }

    /// <summary>Adds a whole call (no start and end) or a clip of it to a collection the caller manages.</summary>
    public async Task<Problem?> AddAsync(int id, long recordingId, int? startMs, int? endMs, string? note, ClaimsPrincipal user, AuditActor by, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var c = await db.TrainingCollections.Include(x => x.Shares).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (c is null || !MayManage(c, user)) return new("Collection_NotFound", "No such collection, or it is not yours.");
        var length = await db.Recordings.VisibleTo(db, user).Where(r => r.Id == recordingId).Select(r => (int?)r.DurationMs).FirstOrDefaultAsync(ct);
        if (length is not { } duration) return new("Collection_NoRecording", "No such recording.");
        if (startMs is null != endMs is null) return new("Clip_Both", "A clip needs both its start and its end (or neither, for the whole call).");
        if (startMs is { } s && endMs is { } e)
        {
            if (s < 0 || e <= s || e > duration) return new("Clip_Range", "A clip must end after it starts and within the call.");
            if (e - s > MaxClipMs) return new("Clip_Long", "A clip may be at most 15 minutes long.");
        }
        if (note is { Length: > 2000 }) return new("Clip_NoteLong", "The note is longer than 2000 characters.");
        var position = await db.CollectionItems.Where(i => i.CollectionId == id).MaxAsync(i => (int?)i.Position, ct) ?? 0;
        var item = db.CollectionItems.Add(new CollectionItem
        {
            CollectionId = id, Position = position + 1, RecordingId = recordingId, StartMs = startMs, EndMs = endMs,
            Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim(), AddedBy = by.Name, AddedAt = time.GetUtcNow().UtcDateTime,
        }).Entity;
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(by, AuditActions.CollectionItemAdded, AuditOutcomes.Success, recordingId,
            AuditLog.Details(new { collection = id, item = item.Id, startMs, endMs, sharedWith = c.Shares.Select(x => x.Email) }));
        return null;
    }

    public async Task<bool> RemoveItemAsync(int id, int itemId, ClaimsPrincipal user, AuditActor by, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var c = await db.TrainingCollections.AsNoTracking().Include(x => x.Shares).FirstOrDefaultAsync(x => x.Id == id, ct);
        var item = await db.CollectionItems.FirstOrDefaultAsync(i => i.Id == itemId && i.CollectionId == id, ct);
        if (c is null || item is null || !MayManage(c, user)) return false;
        db.CollectionItems.Remove(item);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(by, AuditActions.CollectionItemRemoved, AuditOutcomes.Success, item.RecordingId, AuditLog.Details(new { collection = id, item = itemId }));
        return true;
    }

    /// <summary>Shares with an active user (any role), or takes the share back. Both are permission changes, audited as such.</summary>
    public async Task<Problem?> ShareAsync(int id, string? email, bool share, ClaimsPrincipal user, AuditActor by, CancellationToken ct = default)
    {
        email = email?.Trim();
        await using var db = await dbs.CreateDbContextAsync(ct);
        var c = await db.TrainingCollections.Include(x => x.Shares).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (c is null || !MayManage(c, user)) return new("Collection_NotFound", "No such collection, or it is not yours.");
        if (string.IsNullOrEmpty(email)) return new("Share_Email", "Give the e-mail of the person to share with.");
        var existing = c.Shares.FirstOrDefault(s => string.Equals(s.Email, email, StringComparison.OrdinalIgnoreCase));
        if (share)
        {
            var account = await db.Users.AsNoTracking().Where(u => u.NormalizedEmail == email.ToUpperInvariant()).Select(u => new { u.Email, u.IsDisabled }).FirstOrDefaultAsync(ct);
            if (account is null || account.IsDisabled) return new("Share_NoUser", $"There is no active account {email}.", email);
            if (existing is not null) return null;
            c.Shares.Add(new CollectionShare { CollectionId = id, Email = account.Email! });
            email = account.Email!;
        }
        else
        {
            if (existing is null) return null;
            c.Shares.Remove(existing);
            email = existing.Email;
        }
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(by, share ? AuditActions.CollectionShared : AuditActions.CollectionUnshared, AuditOutcomes.Success,
            details: AuditLog.Details(new { collection = id, c.Name, email }));
        return null;
    }

    /// <summary>The item, when the caller may hear it through the collection (owner, share or administrator).</summary>
    public async Task<(CollectionItem? Item, Recording? Recording, RecordingTombstone? Removed)> ItemForListeningAsync(int id, int itemId, ClaimsPrincipal user, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var c = await db.TrainingCollections.AsNoTracking().Include(x => x.Shares).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (c is null || !MayRead(c, user)) return (null, null, null);
        var item = await db.CollectionItems.AsNoTracking().FirstOrDefaultAsync(i => i.Id == itemId && i.CollectionId == id, ct);
        if (item is null || AppDbContext.MayBeWithheldFrom(user) && await db.WithheldFrom(user).ContainsAsync(item.RecordingId, ct)) return (null, null, null);
        var recording = await db.Recordings.AsNoTracking().FirstOrDefaultAsync(r => r.Id == item.RecordingId, ct);
        var removed = recording is null ? await db.Set<RecordingTombstone>().AsNoTracking().FirstOrDefaultAsync(t => t.Id == item.RecordingId, ct) : null;
        return (item, recording, removed);
    }
}

/// <summary>`GET /api/v1/collections/{id}/items/{itemId}/audio`: the clip cut to its span (or the whole call), for the collection's readers.</summary>
public static class CollectionsApi
{
    public static IEndpointRouteBuilder MapCollectionsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/collections/{id:int}/items/{itemId:int}/audio", ClipAsync).RequireAuthorization().WithTags("Training collections")
            .WithSummary("Listen to a training collection item (the clip cut to its span)")
            .Produces<Stream>(StatusCodes.Status200OK, "audio/wav", "audio/mpeg", "audio/ogg");
        return app;
    }

    private static async Task<IResult> ClipAsync(int id, int itemId, string? session, HttpContext http, Collections collections, Renditions renditions,
        IRecordingStore store, AuditLog audit, IMemoryCache listens, CancellationToken ct)
    {
        var (item, recording, removed) = await collections.ItemForListeningAsync(id, itemId, http.User, ct);
        if (item is null) return TypedResults.Problem("No such item in a collection you may read.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
        if (recording is null)
            return TypedResults.Problem(removed is null ? "The recording is gone." : $"The recording was deleted on {removed.DeletedAt:yyyy-MM-dd} ({removed.Cause}).",
                statusCode: StatusCodes.Status404NotFound, title: "Recording deleted");
        string key;
        try { key = await renditions.PlayableKeyAsync(recording, ct); }
        catch (FileNotFoundException) { return TypedResults.Problem("The recording's file is missing from the store.", statusCode: StatusCodes.Status404NotFound, title: "File missing"); }
        catch (Exception e) when (e is FfmpegUnavailableException or FfmpegFailedException)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Audio conversion unavailable");
        }
        if (PlaybackEndpoints.IsNewListening(http, recording.Id, session is null ? null : $"clip{itemId}:{session}", listens))
            await audit.AppendAsync(http, AuditActions.Listen, AuditOutcomes.Success, recording.Id,
                AuditLog.Details(new { collection = id, item = itemId, startMs = item.StartMs, endMs = item.EndMs }));
        var stream = await store.OpenReadAsync(key, ct);
        if (stream is null) return TypedResults.Problem("The recording's file is missing from the store.", statusCode: StatusCodes.Status404NotFound, title: "File missing");
        if (item.StartMs is not { } start || item.EndMs is not { } end)
            return TypedResults.File(stream, key.EndsWith(".mp3", StringComparison.OrdinalIgnoreCase) ? "audio/mpeg" : "audio/wav", enableRangeProcessing: true);

        // Cut on the server: the person it is shared with gets the span and nothing around it.
        var temp = Path.Combine(Path.GetTempPath(), $"clip-{Guid.NewGuid():N}.wav");
        try
        {
            await using (stream)
                await ClipCutter.CutAsync(recording, key, stream, start, end, temp, ct);
            return TypedResults.File(await File.ReadAllBytesAsync(temp, ct), "audio/wav", enableRangeProcessing: true);
        }
        catch (FfmpegFailedException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status422UnprocessableEntity, title: "The clip cannot be cut");
        }
        catch (FfmpegUnavailableException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Audio conversion unavailable");
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
