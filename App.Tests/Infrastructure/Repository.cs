namespace NagrywanieRozmow.Tests.Infrastructure;

public static class Repository
{
    /// <summary>The clone's root: the folder above the test binaries that holds the solution.</summary>
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "NagrywanieRozmow.Blazor.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No NagrywanieRozmow.Blazor.sln above {AppContext.BaseDirectory}.");
    }
}
