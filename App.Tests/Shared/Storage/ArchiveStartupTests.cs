namespace NagrywanieRozmow.Tests.Shared.Storage;

/// <summary>An archive setting that cannot work stops the app at start, with a message naming the key.</summary>
public sealed class ArchiveStartupTests
{
    private sealed class ConfiguredApp(Func<string, Dictionary<string, string?>> settings) : AppFactory
    {
        protected override IDictionary<string, string?> Settings => settings(Root);
    }

    private static async Task<string> StartFailureAsync(Func<string, Dictionary<string, string?>> settings)
    {
        await using var app = new ConfiguredApp(settings);
        var e = Assert.ThrowsAny<Exception>(() => app.Server);
        var messages = new List<string>();
        for (Exception? x = e; x is not null; x = x.InnerException) messages.Add(x.Message);
        return string.Join(" | ", messages);
    }

    [Fact]
    public async Task An_archive_folder_inside_the_recordings_folder_is_refused()
    {
        var message = await StartFailureAsync(root => new() { ["Storage:ArchivePath"] = Path.Combine(root, "recordings", "archive") });
        Assert.Contains("Storage:ArchivePath", message);
        Assert.Contains("apart from Storage:RootPath", message);
    }

    [Fact]
    public async Task An_archive_folder_that_cannot_be_made_is_named()
    {
        var message = await StartFailureAsync(root =>
        {
            Directory.CreateDirectory(root);
            File.WriteAllText(Path.Combine(root, "a-file"), "not a folder");
            return new() { ["Storage:ArchivePath"] = Path.Combine(root, "a-file", "archive") };
        });
        Assert.Contains("Storage:ArchivePath: the folder", message);
    }

    [Fact]
    public async Task An_access_tier_on_the_folder_store_and_an_unknown_tier_are_refused()
    {
        Assert.Contains("Storage:ArchiveTier applies to Storage:Provider AzureBlob", await StartFailureAsync(_ => new() { ["Storage:ArchiveTier"] = "Cool" }));
        Assert.Contains("Storage:ArchiveTier", await StartFailureAsync(_ => new()
        {
            ["Storage:Provider"] = "AzureBlob", ["Storage:AzureBlob:ConnectionString"] = "UseDevelopmentStorage=true", ["Storage:ArchiveTier"] = "Glacier",
        }));
    }

    [Fact]
    public async Task Archiving_after_deleting_by_default_is_refused()
    {
        var message = await StartFailureAsync(_ => new() { ["Retention:DefaultDays"] = "90", ["Retention:DefaultArchiveDays"] = "90" });
        Assert.Contains("Retention:DefaultArchiveDays must be less than Retention:DefaultDays", message);
    }
}
