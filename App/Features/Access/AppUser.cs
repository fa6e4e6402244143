using Microsoft.AspNetCore.Identity;

namespace NagrywanieRozmow.Features.Access;

public sealed class AppUser : IdentityUser
{
    public string? DisplayName { get; set; }
    public string? Team { get; set; }
    public string? Extension { get; set; }
    public bool IsDisabled { get; set; }
    public DateTime CreatedAt { get; set; }
}
