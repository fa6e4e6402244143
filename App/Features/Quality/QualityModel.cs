using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NagrywanieRozmow.Features.Quality;

// The quality module's tables. Evaluations, sample items and collection items name a recording by id without a foreign
// key on purpose: the recording may be purged (retention never waits for quality work), and what remains must say that it
// went (the tombstone has the date). Timeline comments, on the other hand, go with their recording.

/// <summary>A named scorecard. Its questions live in versions: editing makes a new version, old evaluations keep theirs.</summary>
public sealed class Scorecard
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public bool Archived { get; set; }
    public DateTime CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public List<ScorecardVersion> Versions { get; set; } = [];
}

/// <summary>One frozen form of a scorecard. <see cref="Definition"/> is <see cref="ScorecardForm"/> as JSON.</summary>
public sealed class ScorecardVersion
{
    public int Id { get; set; }
    public int ScorecardId { get; set; }
    public Scorecard? Scorecard { get; set; }
    public int Number { get; set; }
    public required string Definition { get; set; }
    public DateTime CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
}

/// <summary>A random but reproducible pick of calls to audit: the criteria and the seed make the same calls again.</summary>
public sealed class AuditSample
{
    public int Id { get; set; }
    public required string Name { get; set; }

    /// <summary><see cref="SampleCriteria"/> as JSON, exactly as chosen.</summary>
    public required string Criteria { get; set; }
    public int Seed { get; set; }

    /// <summary>Evaluators do not see whose call it is until they submit.</summary>
    public bool Blind { get; set; }
    public int ScorecardVersionId { get; set; }
    public DateTime CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public List<SampleItem> Items { get; set; } = [];
}

/// <summary>One call the sample picked, in the order picked.</summary>
public sealed class SampleItem
{
    public int Id { get; set; }
    public int SampleId { get; set; }
    public int Position { get; set; }
    public long RecordingId { get; set; }

    /// <summary>Copied when picked, so the sample still reads after the recording has gone.</summary>
    public string? AgentExtension { get; set; }
    public string? AgentName { get; set; }
    public string? Team { get; set; }
    public DateTime CallStartedAt { get; set; }
}

public enum EvaluationState { Assigned, Draft, Submitted, Disputed, Superseded }

/// <summary>
/// One evaluator's evaluation of one call against one scorecard version. Agent, team and call time are copied in, so reports
/// over time stay right after the recording is purged. A re-evaluation is a new row naming the one it replaces.
/// </summary>
public sealed class Evaluation
{
    public int Id { get; set; }
    public long RecordingId { get; set; }
    public int? SampleId { get; set; }
    public int? SampleItemId { get; set; }
    public int ScorecardVersionId { get; set; }
    public ScorecardVersion? ScorecardVersion { get; set; }
    public required string Evaluator { get; set; }
    public string? AgentExtension { get; set; }
    public string? AgentName { get; set; }
    public string? Team { get; set; }
    public DateTime CallStartedAt { get; set; }
    public bool Blind { get; set; }
    public EvaluationState State { get; set; }

    /// <summary>0–100 after critical questions: a failed critical question makes it 0.</summary>
    public decimal? Score { get; set; }

    /// <summary>0–100 from the weights alone, before critical questions.</summary>
    public decimal? RawScore { get; set; }
    public bool CriticalFailed { get; set; }
    public string? Notes { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? SubmittedAt { get; set; }

    /// <summary>The evaluation this one re-does (after a dispute), which is then <see cref="EvaluationState.Superseded"/>.</summary>
    public int? ReplacesId { get; set; }
    public List<EvaluationAnswer> Answers { get; set; } = [];
    public List<EvaluationDispute> Disputes { get; set; } = [];
}

/// <summary>One answer. <see cref="Value"/>: 1/0 for yes/no, 0–5 on a scale, points; null with <see cref="NotApplicable"/>.</summary>
public sealed class EvaluationAnswer
{
    public int EvaluationId { get; set; }
    public required string QuestionKey { get; set; }
    public decimal? Value { get; set; }
    public bool NotApplicable { get; set; }

    /// <summary>The answer's own score 0–1 (null when not applicable), kept for per-question reports.</summary>
    public decimal? Fraction { get; set; }

    /// <summary>Pinned to a moment (start only) or a span of the call.</summary>
    public int? StartMs { get; set; }
    public int? EndMs { get; set; }
    public string? Note { get; set; }
}

public enum DisputeOutcome { Upheld, Reevaluated }

/// <summary>An agent or their manager disagrees with a submitted evaluation; a quality manager upholds it or re-evaluates.</summary>
public sealed class EvaluationDispute
{
    public int Id { get; set; }
    public int EvaluationId { get; set; }
    public required string RaisedBy { get; set; }
    public DateTime RaisedAt { get; set; }
    public required string Reason { get; set; }
    public string? ResolvedBy { get; set; }
    public DateTime? ResolvedAt { get; set; }
    public DisputeOutcome? Outcome { get; set; }
    public string? ResolutionNote { get; set; }
}

/// <summary>A comment on a moment or a span of a call, by anyone allowed to listen to it.</summary>
public sealed class TimelineComment
{
    public int Id { get; set; }
    public long RecordingId { get; set; }
    public int StartMs { get; set; }
    public int? EndMs { get; set; }
    public required string Text { get; set; }
    public required string Author { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>A named list of calls or clips for training, shared with chosen people. It never keeps a recording alive.</summary>
public sealed class TrainingCollection
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public required string Owner { get; set; }
    public DateTime CreatedAt { get; set; }
    public List<CollectionItem> Items { get; set; } = [];
    public List<CollectionShare> Shares { get; set; } = [];
}

/// <summary>A whole call (no span) or a clip of it, with a note. The recording may have gone since: see the tombstone.</summary>
public sealed class CollectionItem
{
    public int Id { get; set; }
    public int CollectionId { get; set; }
    public int Position { get; set; }
    public long RecordingId { get; set; }
    public int? StartMs { get; set; }
    public int? EndMs { get; set; }
    public string? Note { get; set; }
    public required string AddedBy { get; set; }
    public DateTime AddedAt { get; set; }
}

/// <summary>Someone (by e-mail) the collection is shared with.</summary>
public sealed class CollectionShare
{
    public int CollectionId { get; set; }
    public required string Email { get; set; }
}

internal sealed class QualityConfiguration :
    IEntityTypeConfiguration<Scorecard>, IEntityTypeConfiguration<ScorecardVersion>, IEntityTypeConfiguration<AuditSample>,
    IEntityTypeConfiguration<SampleItem>, IEntityTypeConfiguration<Evaluation>, IEntityTypeConfiguration<EvaluationAnswer>,
    IEntityTypeConfiguration<EvaluationDispute>, IEntityTypeConfiguration<TimelineComment>, IEntityTypeConfiguration<TrainingCollection>,
    IEntityTypeConfiguration<CollectionItem>, IEntityTypeConfiguration<CollectionShare>
{
    private const int Email = 256;

    public void Configure(EntityTypeBuilder<Scorecard> e)
    {
        e.ToTable("Scorecards");
        e.Property(s => s.Name).HasMaxLength(200);
        e.Property(s => s.Description).HasMaxLength(2000);
        e.Property(s => s.CreatedBy).HasMaxLength(Email);
        e.HasIndex(s => s.Name).IsUnique();
        e.HasMany(s => s.Versions).WithOne(v => v.Scorecard).HasForeignKey(v => v.ScorecardId).OnDelete(DeleteBehavior.Restrict);
    }

    public void Configure(EntityTypeBuilder<ScorecardVersion> e)
    {
        e.ToTable("ScorecardVersions");
        e.Property(v => v.CreatedBy).HasMaxLength(Email);
        e.HasIndex(v => new { v.ScorecardId, v.Number }).IsUnique();
    }

    public void Configure(EntityTypeBuilder<AuditSample> e)
    {
        e.ToTable("AuditSamples");
        e.Property(s => s.Name).HasMaxLength(200);
        e.Property(s => s.Criteria).HasMaxLength(8000);
        e.Property(s => s.CreatedBy).HasMaxLength(Email);
        e.HasOne<ScorecardVersion>().WithMany().HasForeignKey(s => s.ScorecardVersionId).OnDelete(DeleteBehavior.Restrict);
        e.HasMany(s => s.Items).WithOne().HasForeignKey(i => i.SampleId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(s => s.CreatedAt);
    }

    public void Configure(EntityTypeBuilder<SampleItem> e)
    {
        e.ToTable("SampleItems");
        e.Property(i => i.AgentExtension).HasMaxLength(40);
        e.Property(i => i.AgentName).HasMaxLength(200);
        e.Property(i => i.Team).HasMaxLength(100);
        e.HasIndex(i => new { i.SampleId, i.Position }).IsUnique();
        e.HasIndex(i => i.RecordingId);
    }

    public void Configure(EntityTypeBuilder<Evaluation> e)
    {
        e.ToTable("Evaluations");
        e.Property(v => v.Evaluator).HasMaxLength(Email);
        e.Property(v => v.AgentExtension).HasMaxLength(40);
        e.Property(v => v.AgentName).HasMaxLength(200);
        e.Property(v => v.Team).HasMaxLength(100);
        // Saving checks the state it read: a second tab cannot submit an evaluation twice.
        e.Property(v => v.State).HasConversion<string>().HasMaxLength(16).IsConcurrencyToken();
        e.Property(v => v.Score).HasPrecision(5, 1);
        e.Property(v => v.RawScore).HasPrecision(5, 1);
        e.Property(v => v.Notes).HasMaxLength(4000);
        e.HasOne(v => v.ScorecardVersion).WithMany().HasForeignKey(v => v.ScorecardVersionId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<AuditSample>().WithMany().HasForeignKey(v => v.SampleId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Evaluation>().WithMany().HasForeignKey(v => v.ReplacesId).OnDelete(DeleteBehavior.Restrict);
        e.HasMany(v => v.Answers).WithOne().HasForeignKey(a => a.EvaluationId).OnDelete(DeleteBehavior.Cascade);
        e.HasMany(v => v.Disputes).WithOne().HasForeignKey(d => d.EvaluationId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(v => new { v.Evaluator, v.State });
        e.HasIndex(v => v.RecordingId);
        e.HasIndex(v => new { v.SampleId, v.SampleItemId });
        e.HasIndex(v => new { v.State, v.CallStartedAt });
        e.HasIndex(v => v.AgentExtension);
    }

    public void Configure(EntityTypeBuilder<EvaluationAnswer> e)
    {
        e.ToTable("EvaluationAnswers");
        e.HasKey(a => new { a.EvaluationId, a.QuestionKey });
        e.Property(a => a.QuestionKey).HasMaxLength(40);
        e.Property(a => a.Value).HasPrecision(7, 2);
        e.Property(a => a.Fraction).HasPrecision(5, 4);
        e.Property(a => a.Note).HasMaxLength(2000);
    }

    public void Configure(EntityTypeBuilder<EvaluationDispute> e)
    {
        e.ToTable("EvaluationDisputes");
        e.Property(d => d.RaisedBy).HasMaxLength(Email);
        e.Property(d => d.Reason).HasMaxLength(2000);
        e.Property(d => d.ResolvedBy).HasMaxLength(Email);
        e.Property(d => d.Outcome).HasConversion<string>().HasMaxLength(16);
        e.Property(d => d.ResolutionNote).HasMaxLength(2000);
    }

    public void Configure(EntityTypeBuilder<TimelineComment> e)
    {
        e.ToTable("TimelineComments");
        e.Property(c => c.Text).HasMaxLength(2000);
        e.Property(c => c.Author).HasMaxLength(Email);
        e.HasOne<Recordings.Recording>().WithMany().HasForeignKey(c => c.RecordingId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(c => new { c.RecordingId, c.StartMs });
    }

    public void Configure(EntityTypeBuilder<TrainingCollection> e)
    {
        e.ToTable("TrainingCollections");
        e.Property(c => c.Name).HasMaxLength(200);
        e.Property(c => c.Description).HasMaxLength(2000);
        e.Property(c => c.Owner).HasMaxLength(Email);
        e.HasMany(c => c.Items).WithOne().HasForeignKey(i => i.CollectionId).OnDelete(DeleteBehavior.Cascade);
        e.HasMany(c => c.Shares).WithOne().HasForeignKey(s => s.CollectionId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<CollectionItem> e)
    {
        e.ToTable("CollectionItems");
        e.Property(i => i.Note).HasMaxLength(2000);
        e.Property(i => i.AddedBy).HasMaxLength(Email);
        e.HasIndex(i => new { i.CollectionId, i.Position });
        e.HasIndex(i => i.RecordingId);
    }

    public void Configure(EntityTypeBuilder<CollectionShare> e)
    {
        e.ToTable("CollectionShares");
        e.HasKey(s => new { s.CollectionId, s.Email });
        e.Property(s => s.Email).HasMaxLength(Email);
        e.HasIndex(s => s.Email);
    }
}
