using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NagrywanieRozmow.Features.Access;

public sealed class AppUser : IdentityUser
{
    public string? DisplayName { get; set; }

    /// <summary>One team, or several separated by commas (a QualityManager may look after more than one).</summary>
    public string? Team { get; set; }
    public string? Extension { get; set; }
    public bool IsDisabled { get; set; }

    /// <summary>An Agent may listen to calls on their own extension (also switched on for a whole team, <see cref="TeamSetting"/>).</summary>
    public bool HearsOwnRecordings { get; set; }

    /// <summary>May delete recordings by hand: a permission of its own, off for every role until an administrator grants it.</summary>
    public bool MayDeleteRecordings { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? LastSignInAt { get; set; }
}

/// <summary>Access settings of one team, by the team's name as recordings and accounts carry it.</summary>
public sealed class TeamSetting
{
    public required string Team { get; set; }
    public bool AgentsHearOwnRecordings { get; set; }
}

internal sealed class TeamSettingConfiguration : IEntityTypeConfiguration<TeamSetting>
{
    public void Configure(EntityTypeBuilder<TeamSetting> e)
    {
        e.ToTable("TeamSettings");
        e.HasKey(t => t.Team);
        e.Property(t => t.Team).HasMaxLength(100);
    }
}
