using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NagrywanieRozmow.Features.Quality;

// The quality module's tables. Evaluations, sample items and collection items name a recording by id without a foreign
// key on purpose: the recording may be purged (retention never waits for quality work), and what remains must say that it
// went (the tombstone has the date). Timeline comments, on the other hand, go with their recording.
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
        e.Property(s => s.Evaluators).HasMaxLength(8000);
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
