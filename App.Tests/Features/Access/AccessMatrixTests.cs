using System.Net;
using System.Text.RegularExpressions;
using NagrywanieRozmow.Features.Access;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Tests.Features.Access;

/// <summary>
/// Who reaches what, as built: every route the app maps is called by every kind of caller (each role, a team-scoped manager,
/// an Agent with and without "own recordings", read, ingest, label and holds keys, nobody), and for recording routes with a call inside
/// and a call outside the caller's scope. The expectations are written out here independently of the app's own matrix, and
/// a route without a rule fails the test, so a new route cannot ship without a decision about who may use it.
/// </summary>
public sealed partial class AccessMatrixTests(AccessMatrixTests.Calls app) : IClassFixture<AccessMatrixTests.Calls>
{
    public sealed class Calls : AppFactory
    {
        /// <summary>Team Reklamacje, extension 201 (the Agent's own extension).</summary>
        public Recording Mine { get; private set; } = default!;

        /// <summary>Team Sprzedaż, extension 209: outside every team-scoped caller.</summary>
        public Recording Other { get; private set; } = default!;

        public Dictionary<Caller, HttpClient> Clients { get; } = [];

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            Mine = await TestData.AddWithAudioAsync(this, TestData.Recording(team: "Reklamacje", extension: "201", durationSeconds: 1));
            Other = await TestData.AddWithAudioAsync(this, TestData.Recording(team: "Sprzedaż", extension: "209", durationSeconds: 1));
            Clients[Caller.Anonymous] = AnonymousClient();
            Clients[Caller.Administrator] = ClientAs(Roles.Administrator);
            Clients[Caller.QualityManager] = ClientAs(Roles.QualityManager);
            Clients[Caller.TeamQualityManager] = ClientAs(Roles.QualityManager, team: "Reklamacje");
            Clients[Caller.ComplaintHandler] = ClientAs(Roles.ComplaintHandler);
            Clients[Caller.Deleter] = ClientAs(Roles.ComplaintHandler, email: "deleter@example.com", mayDelete: true);
            Clients[Caller.Compliance] = ClientAs(Roles.Compliance);
            Clients[Caller.Agent] = ClientAs(Roles.Agent, team: "Reklamacje");
            Clients[Caller.AgentOwnRecordings] = ClientAs(Roles.Agent, team: "Reklamacje", ownExtension: "201");
            Clients[Caller.ReadKey] = await KeyClientAsync(ApiKeyScopes.Read);
            Clients[Caller.TeamReadKey] = await KeyClientAsync(ApiKeyScopes.Read, team: "Reklamacje");
            Clients[Caller.IngestKey] = await KeyClientAsync(ApiKeyScopes.Ingest);
            Clients[Caller.LabelKey] = await KeyClientAsync(ApiKeyScopes.Label);
            Clients[Caller.TeamLabelKey] = await KeyClientAsync(ApiKeyScopes.Label, team: "Reklamacje");
            Clients[Caller.HoldsKey] = await KeyClientAsync(ApiKeyScopes.Holds);
        }
    }

    public enum Caller
    {
        Anonymous, Administrator, QualityManager, TeamQualityManager, ComplaintHandler, Deleter, Compliance, Agent, AgentOwnRecordings, ReadKey, TeamReadKey, IngestKey,
        LabelKey, TeamLabelKey, HoldsKey,
    }

    private static readonly Caller[] Everyone = Enum.GetValues<Caller>();
    private static readonly Caller[] SignedIn = Everyone.Where(c => c != Caller.Anonymous).ToArray();
    private static readonly Caller[] People =
        [Caller.Administrator, Caller.QualityManager, Caller.TeamQualityManager, Caller.ComplaintHandler, Caller.Deleter, Caller.Compliance, Caller.Agent, Caller.AgentOwnRecordings];

    private static readonly Caller[] Listen =
        [Caller.Administrator, Caller.QualityManager, Caller.TeamQualityManager, Caller.ComplaintHandler, Caller.Deleter, Caller.Compliance, Caller.AgentOwnRecordings,
         Caller.ReadKey, Caller.TeamReadKey];
    private static readonly Caller[] Download =
        [Caller.Administrator, Caller.QualityManager, Caller.TeamQualityManager, Caller.ComplaintHandler, Caller.Deleter, Caller.ReadKey, Caller.TeamReadKey];
    private static readonly Caller[] AuditReaders = [Caller.Administrator, Caller.Compliance];
    private static readonly Caller[] Administrators = [Caller.Administrator];
    private static readonly Caller[] Ingesters = [Caller.IngestKey];
    /// <summary>Legal holds: Compliance and administrators, and keys with the holds scope (a legal system).</summary>
    private static readonly Caller[] HoldManagers = [Caller.Administrator, Caller.Compliance, Caller.HoldsKey];
    /// <summary>Only a person an administrator gave the deletion permission, whatever the role.</summary>
    private static readonly Caller[] Deleters = [Caller.Deleter];
    /// <summary>Case numbers and tags: the people who work with the calls (not Compliance, not agents), and keys with the label scope (a CRM).</summary>
    private static readonly Caller[] Labelers =
        [Caller.Administrator, Caller.QualityManager, Caller.TeamQualityManager, Caller.ComplaintHandler, Caller.Deleter, Caller.LabelKey, Caller.TeamLabelKey];
    /// <summary>Data-subject requests: Compliance only (not even administrators see a person's whole history at once).</summary>
    private static readonly Caller[] ComplianceOfficers = [Caller.Compliance];
    private static readonly Caller[] QualityManagers = [Caller.Administrator, Caller.QualityManager, Caller.TeamQualityManager];

    /// <summary>Who sees the call outside the teams (team Sprzedaż, extension 209): nobody limited by team or extension.</summary>
    private static readonly Caller[] SeeOther =
        [Caller.Administrator, Caller.QualityManager, Caller.ComplaintHandler, Caller.Deleter, Caller.Compliance, Caller.ReadKey, Caller.LabelKey, Caller.HoldsKey];

    private enum Kind
    {
        /// <summary>Answers everyone, signed in or not.</summary>
        Open,
        /// <summary>Anyone signed in; the answer itself varies (framework plumbing, sign-out).</summary>
        AnySignedIn,
        /// <summary>Allowed callers get 200; other signed-in callers 403.</summary>
        Policy,
        /// <summary>A page's form post: allowed callers are not refused (the page answers the form); others get 403.</summary>
        Form,
        /// <summary>As <see cref="Policy"/>, per recording: allowed callers get 200 inside their scope and 404 outside.</summary>
        RecordingApi,
        /// <summary>The recording's page: allowed callers get the page; outside their scope it says "not found".</summary>
        RecordingPage,
    }

    private sealed record Rule(Kind Kind, Caller[] Allowed);

    private static readonly Dictionary<string, Rule> Rules = new()
    {
        ["GET /account/login"] = new(Kind.Open, Everyone),
        ["POST /account/login"] = new(Kind.Open, Everyone),
        ["GET /health/live"] = new(Kind.Open, Everyone),
        ["GET /culture/set"] = new(Kind.Open, Everyone),
        ["GET /error"] = new(Kind.Open, Everyone),
        ["POST /error"] = new(Kind.Open, Everyone),
        ["GET /health/ready"] = new(Kind.Open, Everyone),   // a load balancer asks it without signing in
        ["GET /{**path:file}"] = new(Kind.AnySignedIn, SignedIn),
        ["HEAD /{**path:file}"] = new(Kind.AnySignedIn, SignedIn),
        ["POST /account/logout"] = new(Kind.AnySignedIn, SignedIn),
        ["GET /forbidden"] = new(Kind.AnySignedIn, SignedIn),
        ["POST /forbidden"] = new(Kind.AnySignedIn, SignedIn),
        ["GET /not-found"] = new(Kind.AnySignedIn, SignedIn),
        ["POST /not-found"] = new(Kind.AnySignedIn, SignedIn),
        ["GET /"] = new(Kind.Policy, Listen),
        ["POST /"] = new(Kind.Form, Listen),
        ["GET /recordings"] = new(Kind.Policy, Listen),
        ["POST /recordings"] = new(Kind.Form, Listen),
        ["GET /recordings/{Id:long}"] = new(Kind.RecordingPage, Listen),
        ["POST /recordings/{Id:long}"] = new(Kind.Form, Listen),
        ["GET /api/v1/recordings/"] = new(Kind.Policy, Listen),
        ["GET /api/v1/recordings/{id:long}"] = new(Kind.RecordingApi, Listen),
        ["GET /api/v1/recordings/{id:long}/audio"] = new(Kind.RecordingApi, Listen),
        ["GET /api/v1/recordings/{id:long}/waveform"] = new(Kind.RecordingApi, Listen),
        ["GET /api/v1/recordings/{id:long}/download"] = new(Kind.RecordingApi, Download),
        // Where the file lies, and a restore from the archive (a call in the hot store answers 200: nothing to restore).
        ["GET /api/v1/recordings/{id:long}/archive"] = new(Kind.RecordingApi, Listen),
        ["POST /api/v1/recordings/{id:long}/restore"] = new(Kind.RecordingApi, Listen),
        ["GET /calls"] = new(Kind.Policy, Listen),
        ["POST /calls"] = new(Kind.Form, Listen),
        // One's own watches and notifications: offered to whoever may search (a key, having no account, sees an empty list).
        ["GET /notifications"] = new(Kind.Policy, Listen),
        ["POST /notifications"] = new(Kind.Form, Listen),
        ["GET /api/v1/calls/"] = new(Kind.Policy, Listen),
        // The call "1" does not exist: allowed callers get 404 (the same as a call outside their scope), the others 403.
        ["GET /api/v1/calls/{linkedid}"] = new(Kind.Form, Listen),
        ["GET /audit"] = new(Kind.Policy, AuditReaders),
        ["POST /audit"] = new(Kind.Form, AuditReaders),
        ["GET /api/v1/audit/"] = new(Kind.Policy, AuditReaders),
        ["GET /api/v1/audit/export"] = new(Kind.Policy, AuditReaders),
        ["GET /admin/users"] = new(Kind.Policy, Administrators),
        ["POST /admin/users"] = new(Kind.Form, Administrators),
        ["GET /admin/apikeys"] = new(Kind.Policy, Administrators),
        ["POST /admin/apikeys"] = new(Kind.Form, Administrators),
        ["GET /admin/api"] = new(Kind.Policy, Administrators),
        ["POST /admin/api"] = new(Kind.Form, Administrators),
        // The document "x" does not exist: anyone signed in gets 404; GET /openapi/v1.json is any signed-in caller's (OpenApiDocumentTests).
        ["GET /openapi/{documentName}.json"] = new(Kind.AnySignedIn, SignedIn),
        ["GET /admin/webhooks"] = new(Kind.Policy, Administrators),
        ["POST /admin/webhooks"] = new(Kind.Form, Administrators),
        ["GET /admin/ingestion"] = new(Kind.Policy, Administrators),
        ["POST /admin/ingestion"] = new(Kind.Form, Administrators),
        ["GET /admin/retention"] = new(Kind.Policy, Administrators),
        ["POST /admin/retention"] = new(Kind.Form, Administrators),
        ["POST /api/v1/recordings"] = new(Kind.Form, Ingesters),
        ["GET /compliance/holds"] = new(Kind.Policy, HoldManagers),
        ["POST /compliance/holds"] = new(Kind.Form, HoldManagers),
        ["PUT /api/v1/recordings/{id:long}/hold/"] = new(Kind.Form, HoldManagers),
        ["DELETE /api/v1/recordings/{id:long}/hold/"] = new(Kind.Form, HoldManagers),
        ["POST /api/v1/holds"] = new(Kind.Form, HoldManagers),
        ["GET /deletions"] = new(Kind.Policy, Deleters),
        ["POST /deletions"] = new(Kind.Form, Deleters),
        ["DELETE /api/v1/recordings/{id:long}"] = new(Kind.Form, Deleters),
        ["POST /api/v1/downloads"] = new(Kind.Form, Download),
        ["GET /api/v1/evidence"] = new(Kind.Form, Download),
        // A public key is public: a court or the other side of a dispute checks a package without an account.
        ["GET /api/v1/evidence/public-key"] = new(Kind.Open, Everyone),
        // The same keys on a page, for anyone signed in; rotating them is checked inside (administrators only).
        ["GET /evidence"] = new(Kind.AnySignedIn, SignedIn),
        ["POST /evidence"] = new(Kind.AnySignedIn, SignedIn),
        ["POST /api/v1/recordings/{id:long}/cases"] = new(Kind.Form, Labelers),
        ["POST /api/v1/recordings/{id:long}/tags"] = new(Kind.Form, Labelers),
        ["DELETE /api/v1/recordings/{id:long}/cases/{**value}"] = new(Kind.Form, Labelers),
        ["DELETE /api/v1/recordings/{id:long}/tags/{**value}"] = new(Kind.Form, Labelers),
        ["GET /compliance/subject-requests"] = new(Kind.Policy, ComplianceOfficers),
        ["GET /api/v1/recordings/{id:long}/comments/"] = new(Kind.Form, Listen),
        ["POST /api/v1/recordings/{id:long}/comments/"] = new(Kind.Form, Listen),
        ["DELETE /api/v1/recordings/{id:long}/comments/{commentId:int}"] = new(Kind.Form, Listen),
        // Shares decide inside: anyone signed in may ask, and gets 404 unless the collection is theirs or shared with them.
        ["GET /api/v1/collections/{id:int}/items/{itemId:int}/audio"] = new(Kind.AnySignedIn, SignedIn),
        // The evaluation "1" does not exist: allowed callers get 404 (as for an evaluation they may not read), the others 403.
        ["GET /api/v1/evaluations/{id:int}/audio"] = new(Kind.Form, Listen),
        ["GET /api/v1/evaluations/{id:int}/waveform"] = new(Kind.Form, Listen),
        ["GET /quality/collections"] = new(Kind.AnySignedIn, SignedIn),
        ["POST /quality/collections"] = new(Kind.AnySignedIn, SignedIn),
        ["GET /quality/collections/{Id:int}"] = new(Kind.AnySignedIn, SignedIn),
        ["POST /quality/collections/{Id:int}"] = new(Kind.AnySignedIn, SignedIn),
        ["GET /quality/evaluations"] = new(Kind.AnySignedIn, SignedIn),
        ["POST /quality/evaluations"] = new(Kind.AnySignedIn, SignedIn),
        ["GET /quality/evaluations/{Id:int}"] = new(Kind.AnySignedIn, SignedIn),
        ["POST /quality/evaluations/{Id:int}"] = new(Kind.AnySignedIn, SignedIn),
        ["GET /quality/reports"] = new(Kind.Policy, QualityManagers),
        ["POST /quality/reports"] = new(Kind.Form, QualityManagers),
        ["GET /quality/calibration"] = new(Kind.Policy, QualityManagers),
        ["POST /quality/calibration"] = new(Kind.Form, QualityManagers),
        // The view "x" does not exist: allowed callers get 404 naming the reports, the others 403.
        ["GET /api/v1/quality/reports/{view}.csv"] = new(Kind.Form, QualityManagers),
        ["GET /quality/samples"] = new(Kind.Policy, QualityManagers),
        ["POST /quality/samples"] = new(Kind.Form, QualityManagers),
        ["GET /quality/samples/{Id:int}"] = new(Kind.Form, QualityManagers),
        ["POST /quality/samples/{Id:int}"] = new(Kind.Form, QualityManagers),
        ["GET /quality/scorecards"] = new(Kind.Policy, QualityManagers),
        ["POST /quality/scorecards"] = new(Kind.Form, QualityManagers),
        ["GET /quality/scorecards/new"] = new(Kind.Policy, QualityManagers),
        ["POST /quality/scorecards/new"] = new(Kind.Form, QualityManagers),
        ["GET /quality/scorecards/{Id:int}"] = new(Kind.Form, QualityManagers),
        ["POST /quality/scorecards/{Id:int}"] = new(Kind.Form, QualityManagers),
        ["POST /compliance/subject-requests"] = new(Kind.Form, ComplianceOfficers),
        ["POST /api/v1/subject-requests/export"] = new(Kind.Form, ComplianceOfficers),
        ["GET /api/v1/subject-requests/{id:long}/receipt"] = new(Kind.Form, ComplianceOfficers),
        ["GET /api/v1/subject-requests/{id:long}/receipt.zip"] = new(Kind.Form, ComplianceOfficers),
        ["GET /hangfire/{**path}"] = new(Kind.Policy, Administrators),
        ["POST /hangfire/{**path}"] = new(Kind.Policy, Administrators),
    };

    /// <summary>Blazor's own plumbing (the circuit hub, its script): signed-in people only, whatever it answers then.</summary>
    private static bool IsFramework(string pattern) => pattern.StartsWith("/_blazor", StringComparison.Ordinal) || pattern.StartsWith("/_framework", StringComparison.Ordinal);

    [Fact]
    public async Task Every_route_answers_each_kind_of_caller_as_the_matrix_says()
    {
        var failures = new List<string>();
        var routes = EveryRouteTests.Routes(app).ToList();
        foreach (var (method, pattern) in routes)
        {
            var key = $"{method} {pattern}";
            var rule = Rules.GetValueOrDefault(key) ?? (IsFramework(pattern) ? new Rule(Kind.AnySignedIn, SignedIn) : null);
            if (rule is null)
            {
                failures.Add($"{key}: no rule. Add it to {nameof(AccessMatrixTests)}.{nameof(Rules)} with who may use it.");
                continue;
            }
            foreach (var caller in Everyone)
            {
                if (rule.Kind is Kind.RecordingApi or Kind.RecordingPage)
                {
                    // Every team-scoped caller belongs to team Reklamacje and the Agent sits on extension 201: the first call is in everyone's scope.
                    await CheckAsync(failures, key, caller, rule, Path(pattern, app.Mine.Id), visible: true);
                    await CheckAsync(failures, key, caller, rule, Path(pattern, app.Other.Id), visible: SeeOther.Contains(caller));
                }
                else
                {
                    await CheckAsync(failures, key, caller, rule, Path(pattern, 1), visible: true);
                }
            }
        }
        Assert.True(routes.Count >= 15, $"only {routes.Count} routes found");
        Assert.True(failures.Count == 0, $"{failures.Count} answers differ from the matrix:\n" + string.Join("\n", failures));
    }

    private async Task CheckAsync(List<string> failures, string key, Caller caller, Rule rule, string path, bool visible)
    {
        var method = key[..key.IndexOf(' ')];
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT") request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        var response = await app.Clients[caller].SendAsync(request);
        var status = (int)response.StatusCode;
        var refusedAnonymous = response.StatusCode == HttpStatusCode.Unauthorized
            || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains(AccessFeature.LoginPath));
        var allowed = rule.Allowed.Contains(caller);
        string? problem = rule.Kind switch
        {
            Kind.Open => status is 401 or 403 ? $"refused with {status}" : null,
            _ when caller == Caller.Anonymous => refusedAnonymous ? null : $"answered {status} without sign-in",
            Kind.AnySignedIn => status is 401 or 403 ? $"refused a signed-in caller with {status}" : null,
            Kind.Form when allowed => status is 401 or 403 ? $"refused an allowed caller with {status}" : null,
            _ when !allowed => status == 403 ? null : $"answered {status}, expected 403",
            Kind.Policy => status == 200 ? null : $"answered {status}, expected 200",
            Kind.RecordingApi => status == (visible ? 200 : 404) ? null : $"answered {status}, expected {(visible ? 200 : 404)}",
            Kind.RecordingPage => status != 200 ? $"answered {status}, expected 200"
                : (await response.Content.ReadAsStringAsync()).Contains("recording-not-found") == visible
                    ? $"showed {(visible ? "'not found' for a call in scope" : "a call outside the caller's scope")}" : null,
            _ => "unknown rule",
        };
        if (problem is not null) failures.Add($"{key} as {caller} ({path}): {problem}");
    }

    private static string Path(string pattern, long id) =>
        Parameter().Replace(pattern, m => m.Value == "{**path:file}" ? "no-such-file.txt" : m.Value.StartsWith("{**") ? "" :
            m.Value.Contains("long") || m.Value.Contains("int") || m.Value.Contains("id", StringComparison.OrdinalIgnoreCase) ? id.ToString() : "x");

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();
}
