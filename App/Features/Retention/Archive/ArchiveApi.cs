using Microsoft.AspNetCore.Http.HttpResults;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Shared.Storage;

namespace NagrywanieRozmow.Features.Retention;

/// <summary>
/// Where a recording's file lies and whether it can be played: <c>tier</c> (<c>Hot</c>, <c>Archive</c>), <c>archive</c> (the
/// archive store: <c>Folder</c>, <c>Cool</c>, <c>Cold</c>, <c>Archive</c>), <c>state</c> (<c>hot</c>, <c>direct</c>,
/// <c>offline</c>, <c>restoring</c>, <c>restored</c>), and for a restore when it was ready and when it goes back.
/// </summary>
public sealed record ArchiveJson(string Tier, string Archive, string State, bool Playable, DateTime? RequestedAt, DateTime? ReadyAt, DateTime? ReturnAt)
{
    public static ArchiveJson Of(ArchiveStatus s) => new(s.Tier.ToString(), s.Kind.ToString(), StateOf(s), s.Playable, s.Restore?.RequestedAt,
        s.Restore?.ReadyAt, s.Restore?.State == RestoreState.Ready ? s.Restore.ReturnAt : null);

    public static string StateOf(ArchiveStatus s) => s switch
    {
        { Tier: StorageTier.Hot } => "hot",
        { Playable: true, NeedsRestore: true } => "restored",
        { Playable: true } => "direct",
        { File: ArchivedFileState.Rehydrating } or { Restore.State: RestoreState.Rehydrating } => "restoring",
        _ => "offline",
    };
}

/// <summary>The archive state of a recording, and a restore request from Azure's Archive tier, for integrations (the page does the same).</summary>
public static class ArchiveApi
{
    public static IEndpointRouteBuilder MapArchiveApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/recordings/{id:long}").RequireAuthorization(Policies.ListenRecordings).WithTags("Archive");
        group.MapGet("/archive", StatusAsync).WithSummary("Where a recording's file lies (hot store or archive) and whether it can be played now");
        group.MapPost("/restore", RequestAsync)
            .WithSummary("Ask for a recording in Azure's Archive tier to be restored (rehydrated); the requester is notified when it can be played");
        return app;
    }

    private static async Task<Results<Ok<ArchiveJson>, ProblemHttpResult>> StatusAsync(
        long id, HttpContext http, ArchiveRestores restores, AuditLog audit, CancellationToken ct) =>
        await restores.StatusAsync(id, http.User, ct) is { } status ? TypedResults.Ok(ArchiveJson.Of(status)) : await RecordingsApi.NotFoundAsync(id, http, audit);

    /// <returns>202 with the state when a restore was started or joined; 200 when the recording can be played already.</returns>
    private static async Task<Results<Accepted<ArchiveJson>, Ok<ArchiveJson>, ProblemHttpResult>> RequestAsync(
        long id, HttpContext http, ArchiveRestores restores, AuditLog audit, CancellationToken ct)
    {
        var outcome = await restores.RequestAsync(id, http.User, AuditActor.Of(http.User, http.Connection.RemoteIpAddress?.ToString()), ct);
        if (outcome == RestoreRequestOutcome.NotFound || await restores.StatusAsync(id, http.User, ct) is not { } status)
            return await RecordingsApi.NotFoundAsync(id, http, audit);
        return outcome == RestoreRequestOutcome.NotNeeded
            ? TypedResults.Ok(ArchiveJson.Of(status))
            : TypedResults.Accepted($"/api/v1/recordings/{id}/archive", ArchiveJson.Of(status));
    }
}
