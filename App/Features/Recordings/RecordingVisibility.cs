using System.Security.Claims;

namespace NagrywanieRozmow.Features.Recordings;

/// <summary>The recordings a caller may see (<see cref="RecordingScope"/>); everything else behaves as if it did not exist.</summary>
public static class RecordingVisibility
{
    public static IQueryable<Recording> VisibleTo(this IQueryable<Recording> recordings, ClaimsPrincipal user) => RecordingScope.Of(user) switch
    {
        { Kind: RecordingScope.ScopeKind.Everything } => recordings,
        { Kind: RecordingScope.ScopeKind.Teams, Teams: var teams } => recordings.Where(r => r.Team != null && teams.Contains(r.Team)),
        { Kind: RecordingScope.ScopeKind.OwnExtension, Extension: var extension } => recordings.Where(r => r.Extension == extension),
        _ => recordings.Where(r => false),
    };
}
