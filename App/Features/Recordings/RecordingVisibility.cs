using System.Security.Claims;

namespace NagrywanieRozmow.Features.Recordings;

/// <summary>The recordings a caller may see (<see cref="RecordingScope"/>); everything else behaves as if it did not exist.</summary>
public static class RecordingVisibility
{
    public static IQueryable<Recording> VisibleTo(this IQueryable<Recording> recordings, ClaimsPrincipal user)
    {
        if (RecordingScope.SeesEveryCall(user)) return recordings;
        if (RecordingScope.SeesTeams(user))
        {
            var teams = RecordingScope.TeamsOf(user);
            return teams.Count == 0 ? recordings : recordings.Where(r => r.Team != null && teams.Contains(r.Team));
        }
        if (user.IsInRole(Roles.Agent) && RecordingScope.OwnExtensionOf(user) is { } extension) return recordings.Where(r => r.Extension == extension);
        return recordings.Where(r => false);
    }
}
