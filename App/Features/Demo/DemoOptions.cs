namespace NagrywanieRozmow.Features.Demo;

public sealed class DemoOptions
{
    public bool Seed { get; set; }
    public int Recordings { get; set; } = 500;
    public int Days { get; set; } = 60;
    public string AdminEmail { get; set; } = "admin@demo.local";
    public string AdminPassword { get; set; } = "Demo-2026!";
}
