using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Features.Access;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Data;

/// <summary>The one database context. Provider-specific subclasses exist only so each provider keeps its own migrations.</summary>
public abstract class AppDbContext(DbContextOptions options) : IdentityDbContext<AppUser>(options), IDataProtectionKeyContext
{
    /// <summary>The keys that protect sign-in cookies and antiforgery tokens, shared by every instance on this database.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Recording> Recordings => Set<Recording>();
    public DbSet<RecordingCase> RecordingCases => Set<RecordingCase>();
    public DbSet<RecordingTag> RecordingTags => Set<RecordingTag>();
    public DbSet<RecordingTranscript> Transcripts => Set<RecordingTranscript>();
    public DbSet<DirectoryEntry> Directory => Set<DirectoryEntry>();
    public DbSet<RecordingWaveform> Waveforms => Set<RecordingWaveform>();
    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<TeamSetting> TeamSettings => Set<TeamSetting>();
    public DbSet<Features.Ingestion.IngestedFile> IngestedFiles => Set<Features.Ingestion.IngestedFile>();
    public DbSet<Features.Ingestion.CallDetailRecord> CdrRecords => Set<Features.Ingestion.CallDetailRecord>();
    public DbSet<Features.Calls.CallSummary> Calls => Set<Features.Calls.CallSummary>();
    public DbSet<Features.Quality.Scorecard> Scorecards => Set<Features.Quality.Scorecard>();
    public DbSet<Features.Quality.ScorecardVersion> ScorecardVersions => Set<Features.Quality.ScorecardVersion>();
    public DbSet<Features.Quality.AuditSample> AuditSamples => Set<Features.Quality.AuditSample>();
    public DbSet<Features.Quality.SampleItem> SampleItems => Set<Features.Quality.SampleItem>();
    public DbSet<Features.Quality.Evaluation> Evaluations => Set<Features.Quality.Evaluation>();
    public DbSet<Features.Quality.EvaluationAnswer> EvaluationAnswers => Set<Features.Quality.EvaluationAnswer>();
    public DbSet<Features.Quality.EvaluationDispute> EvaluationDisputes => Set<Features.Quality.EvaluationDispute>();
    public DbSet<Features.Quality.TimelineComment> TimelineComments => Set<Features.Quality.TimelineComment>();
    public DbSet<Features.Quality.TrainingCollection> TrainingCollections => Set<Features.Quality.TrainingCollection>();
    public DbSet<Features.Quality.CollectionItem> CollectionItems => Set<Features.Quality.CollectionItem>();
    public DbSet<Features.Quality.CollectionShare> CollectionShares => Set<Features.Quality.CollectionShare>();

    public abstract DatabaseProvider Provider { get; }

    /// <summary>
    /// The recordings withheld from a person for now: the calls of their open blind evaluations (Quality), whose agent,
    /// extension, team and exact time they must not learn before they submit. Recordings applies it to every list and route
    /// (<see cref="RecordingVisibility.VisibleTo"/>), the call history and the audit log to their rows; the host joins the
    /// features here, as Recordings may not know Quality. API keys are never evaluators.
    /// </summary>
    public IQueryable<long> WithheldFrom(ClaimsPrincipal user)
    {
        var person = Core.AuditLog.ActorOf(user);
        return Evaluations.Where(e => e.Evaluator == person && e.Blind
                && (e.State == Features.Quality.EvaluationState.Assigned || e.State == Features.Quality.EvaluationState.Draft))
            .Select(e => e.RecordingId);
    }

    /// <summary>People may have blind evaluations open; API keys cannot, so their queries skip the subquery.</summary>
    public static bool MayBeWithheldFrom(ClaimsPrincipal user) => !user.HasClaim(c => c.Type == Core.ApiKeyScopes.Claim);

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
    }
}

public enum DatabaseProvider { Sqlite, SqlServer, PostgreSql }
