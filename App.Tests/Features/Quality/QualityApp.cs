using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NagrywanieRozmow.Features.Access;
using NagrywanieRozmow.Features.Quality;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Tests.Features.Quality;

/// <summary>An app with a fixed clock, the demo scorecard and two evaluators; helpers for the quality tests.</summary>
public sealed class QualityApp : AppFactory
{
    public static readonly DateTime Now = new(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc);
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(Now));
    public const string Manager = "jakosc@example.com", SecondManager = "jakosc2@example.com", TeamManager = "kierownik-reklamacji@example.com";
    public static readonly AuditActor ManagerActor = new(Manager, "10.0.0.5");
    public int ScorecardVersionId { get; private set; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var scope = Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
        foreach (var (email, team) in new[] { (Manager, (string?)null), (SecondManager, null), (TeamManager, "Reklamacje") })
            Assert.Empty(await accounts.CreateAsync(email, "Quality-Test-1!", Roles.QualityManager, team: team, extension: null));
        Assert.Empty(await accounts.CreateAsync("agent201@example.com", "Quality-Test-1!", Roles.Agent, team: "Reklamacje", extension: "201"));
        await Scorecards.EnsureDemoAsync(ManagerActor);
        ScorecardVersionId = (await Scorecards.ListAsync()).Single().LatestVersionId;
    }

    public Scorecards Scorecards => Services.GetRequiredService<Scorecards>();
    public Sampler Sampler => Services.GetRequiredService<Sampler>();
    public Samples Samples => Services.GetRequiredService<Samples>();
    public Evaluations Evaluations => Services.GetRequiredService<Evaluations>();

    public static System.Security.Claims.ClaimsPrincipal Qm(string email = Manager, string? team = null) => TestAuth.Principal(email, Roles.QualityManager, team);

    /// <summary>Calls of each extension, one a day back from yesterday, all in the team "Reklamacje" unless told.</summary>
    public async Task<List<Recording>> AddCallsAsync(string extension, int count, string team = "Reklamacje", int seconds = 60, CallType type = CallType.Incoming)
    {
        var rows = Enumerable.Range(1, count).Select(i => TestData.Recording(startedAt: Now.AddDays(-i).AddHours(-extension.Length), extension: extension,
            userName: "Agent " + extension, team: team, durationSeconds: seconds, type: type)).ToList();
        await WithDbAsync(async db => { db.Recordings.AddRange(rows); await db.SaveChangesAsync(); });
        return rows;
    }

    public Task<List<AuditEntry>> AuditAsync(string action) => WithDbAsync(db => db.AuditLog.Where(a => a.Action == action).OrderBy(a => a.Id).ToListAsync());

    public static SampleCriteria Week(int? perAgent = null, int? total = null, IReadOnlyList<string>? teams = null, IReadOnlyList<string>? agents = null,
        IReadOnlyList<CallType>? types = null, int minDuration = 0, bool excludeEvaluated = true) =>
        new(new DateOnly(2026, 11, 20), new DateOnly(2026, 11, 30), teams ?? [], agents ?? [], types ?? [], minDuration, perAgent, total, excludeEvaluated);

    /// <summary>Every question of the demo scorecard answered well, with the identity check as given.</summary>
    public static Dictionary<string, AnswerDraft> GoodAnswers(decimal verify = 1) => new()
    {
        ["przedstawienie"] = new(1), ["weryfikacja"] = new(verify), ["potrzeba"] = new(4, StartMs: 12_000, Note: "dobre pytania otwarte"),
        ["uprzejmosc"] = new(5), ["kolejny-krok"] = new(3), ["pozegnanie"] = new(null, NotApplicable: true),
    };
}
