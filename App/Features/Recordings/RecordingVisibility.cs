using System.Security.Claims;
using NagrywanieRozmow.Data;

namespace NagrywanieRozmow.Features.Recordings;

/// <summary>
/// The recordings a caller may see (<see cref="RecordingScope"/>), less those withheld from them for now
/// (<see cref="AppDbContext.WithheldFrom"/>: the calls of their open blind evaluations); everything else behaves as if it
/// did not exist.
/// </summary>
public static class RecordingVisibility
{
    public static IQueryable<Recording> VisibleTo(this IQueryable<Recording> recordings, AppDbContext db, ClaimsPrincipal user)
    {
        var scoped = recordings.InScopeOf(user);
        // One uncorrelated subquery on the (Evaluator, State) index, read once per query whatever the number of rows.
        return AppDbContext.MayBeWithheldFrom(user) ? scoped.Where(r => !db.WithheldFrom(user).Contains(r.Id)) : scoped;
    }

    /// <summary>
    /// The caller's scope alone, with nothing withheld: only for drawing a quality sample, which must draw the same calls
    /// again for the same seed whatever the drawer is evaluating blind at the moment (the sample's page hides those rows).
    /// </summary>
    public static IQueryable<Recording> InScopeOf(this IQueryable<Recording> recordings, ClaimsPrincipal user) => RecordingScope.Of(user) switch
    {
        { Kind: RecordingScope.ScopeKind.Everything } => recordings,
        { Kind: RecordingScope.ScopeKind.Teams, Teams: var teams } => recordings.Where(r => r.Team != null && teams.Contains(r.Team)),
        { Kind: RecordingScope.ScopeKind.OwnExtension, Extension: var extension } => recordings.Where(r => r.Extension == extension),
        _ => recordings.Where(r => false),
    };
}
