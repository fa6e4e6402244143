using System.Security.Claims;

namespace NagrywanieRozmow.Core;

/// <summary>Role names as integrations and the CLI know them (CONTRACTS.md). Polish labels live in the resources.</summary>
public static class Roles
{
    public const string Administrator = "Administrator";
    public const string QualityManager = "QualityManager";
    public const string ComplaintHandler = "ComplaintHandler";
    public const string Compliance = "Compliance";
    public const string Agent = "Agent";

    public static readonly IReadOnlyList<string> All = [Administrator, QualityManager, ComplaintHandler, Compliance, Agent];

    public static string? Find(string name) => All.FirstOrDefault(r => string.Equals(r, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// What a person or key may do. Each policy is one permission; <see cref="Permissions"/> says who holds it. Pages and
/// endpoints name the policy, never a role, so the matrix below is the only place the rules live.
/// </summary>
public static class Policies
{
    /// <summary>Search the recordings and listen to them (within the caller's scope, <see cref="RecordingScope"/>).</summary>
    public const string ListenRecordings = nameof(ListenRecordings);

    /// <summary>Download original files.</summary>
    public const string DownloadRecordings = nameof(DownloadRecordings);

    /// <summary>Read and export the audit log; see who accessed a recording.</summary>
    public const string ViewAudit = nameof(ViewAudit);

    /// <summary>Users, API keys, settings and the job dashboard.</summary>
    public const string Administration = nameof(Administration);

    /// <summary>Push recordings in (API keys with the ingest scope).</summary>
    public const string Ingest = nameof(Ingest);

    /// <summary>Retention policy and the purge (administrators).</summary>
    public const string ManageRetention = nameof(ManageRetention);

    /// <summary>Place and lift legal holds; see the holds page.</summary>
    public const string ManageHolds = nameof(ManageHolds);

    /// <summary>Answer data subjects' requests: find, export and erase one person's recordings.</summary>
    public const string SubjectRequests = nameof(SubjectRequests);

    /// <summary>Delete recordings by hand (and approve others' deletions under four eyes): granted per person, never by role.</summary>
    public const string DeleteRecordings = nameof(DeleteRecordings);

    /// <summary>Add and remove case numbers and tags on the recordings one may listen to.</summary>
    public const string LabelRecordings = nameof(LabelRecordings);

    /// <summary>Create and edit scorecards (each edit a new version).</summary>
    public const string ManageScorecards = nameof(ManageScorecards);

    /// <summary>Draw audit samples, evaluate calls, resolve disputes, read quality reports and calibration (within team scope).</summary>
    public const string RunQualityAudits = nameof(RunQualityAudits);

    /// <summary>Create training collections and share them; being shared one needs no permission, only the share.</summary>
    public const string ManageCollections = nameof(ManageCollections);

    public static readonly IReadOnlyList<string> All =
        [ManageScorecards, RunQualityAudits, ManageCollections, ListenRecordings, DownloadRecordings, ViewAudit, Administration, Ingest, ManageRetention, ManageHolds,
         SubjectRequests, DeleteRecordings, LabelRecordings];
}

/// <summary>The roles × permissions matrix, and the API key scopes that stand in for a role.</summary>
public static class Permissions
{
    private static readonly Dictionary<string, (string[] Roles, string[] Scopes)> Matrix = new()
    {
        [Policies.ListenRecordings] = ([Roles.Administrator, Roles.QualityManager, Roles.ComplaintHandler, Roles.Compliance], [ApiKeyScopes.Read]),
        [Policies.DownloadRecordings] = ([Roles.Administrator, Roles.QualityManager, Roles.ComplaintHandler], [ApiKeyScopes.Read]),
        [Policies.ViewAudit] = ([Roles.Administrator, Roles.Compliance], []),
        [Policies.Administration] = ([Roles.Administrator], []),
        [Policies.Ingest] = ([], [ApiKeyScopes.Ingest]),
        [Policies.ManageRetention] = ([Roles.Administrator], []),
        [Policies.ManageHolds] = ([Roles.Administrator, Roles.Compliance], [ApiKeyScopes.Holds]),
        [Policies.SubjectRequests] = ([Roles.Compliance], []),
        [Policies.DeleteRecordings] = ([], []),
        [Policies.LabelRecordings] = ([Roles.Administrator, Roles.QualityManager, Roles.ComplaintHandler], [ApiKeyScopes.Label]),
        [Policies.ManageScorecards] = ([Roles.Administrator, Roles.QualityManager], []),
        [Policies.RunQualityAudits] = ([Roles.Administrator, Roles.QualityManager], []),
        [Policies.ManageCollections] = ([Roles.Administrator, Roles.QualityManager], []),
    };

    /// <summary>Present when an administrator granted the person the deletion permission (<c>AppUser.MayDeleteRecordings</c>).</summary>
    public const string MayDeleteClaim = "may_delete";

    public static bool Allows(ClaimsPrincipal user, string policy)
    {
        var (roles, scopes) = Matrix[policy];
        if (roles.Any(user.IsInRole) || scopes.Any(s => user.HasClaim(ApiKeyScopes.Claim, s))) return true;
        if (policy == Policies.DeleteRecordings) return user.HasClaim(MayDeleteClaim, "true") && !user.IsInRole(Roles.Agent);
        // An Agent whose administrator switched on "own recordings only" may listen to calls on their own extension.
        return policy == Policies.ListenRecordings && user.IsInRole(Roles.Agent) && RecordingScope.OwnExtensionOf(user) is not null;
    }
}
