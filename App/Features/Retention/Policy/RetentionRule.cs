using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Features.Retention;

/// <summary>
/// One line of the retention policy: how many days recordings of a team and/or call type are kept, and after how many they
/// move to the archive store. Team and Type both null is the default. Days null means "keep" (never purged); ArchiveDays
/// null means they stay in the hot store.
/// </summary>
public sealed class RetentionRule
{
    public long Id { get; set; }
    public string? Team { get; set; }
    public CallType? Type { get; set; }
    public int? Days { get; set; }

    /// <summary>Days after the call when the recording moves to the archive store; less than <see cref="Days"/> when both are set.</summary>
    public int? ArchiveDays { get; set; }

    public bool IsDefault => Team is null && Type is null;

    /// <summary>Higher wins: team and type (3), team (2), type (1), the default (0). A team's rule beats a call type's.</summary>
    public int Specificity => (Team is null ? 0 : 2) + (Type is null ? 0 : 1);

    public bool Matches(string? team, CallType type) => (Team is null || Team == team) && (Type is null || Type == type);

    /// <summary>Invariant wording for tombstones, audit details and the CLI (the panel shows its own translated label).</summary>
    public string Describe() =>
        (Team, Type) switch
        {
            (null, null) => "default",
            ({ } t, null) => $"team {t}",
            (null, { } c) => $"type {c}",
            ({ } t, { } c) => $"team {t}, type {c}",
        } + ": " + (Days is { } d ? d.ToString(CultureInfo.InvariantCulture) + " days" : "keep")
        + (ArchiveDays is { } a ? ", archive after " + a.ToString(CultureInfo.InvariantCulture) + " days" : "");
}

internal sealed class RetentionRuleConfiguration : IEntityTypeConfiguration<RetentionRule>
{
    public void Configure(EntityTypeBuilder<RetentionRule> e)
    {
        e.ToTable("RetentionRules");
        e.Property(r => r.Team).HasMaxLength(100);
        e.Property(r => r.Type).HasConversion<string>().HasMaxLength(16);
        e.HasIndex(r => new { r.Team, r.Type }).IsUnique();
        e.Ignore(r => r.IsDefault);
        e.Ignore(r => r.Specificity);
    }
}
