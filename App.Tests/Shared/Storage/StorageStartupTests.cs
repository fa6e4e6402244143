namespace NagrywanieRozmow.Tests.Shared.Storage;

/// <summary>A storage setting that cannot work stops the app at start, with a message naming the key.</summary>
public sealed class StorageStartupTests
{
    private sealed class ConfiguredApp(Dictionary<string, string?> settings) : AppFactory
    {
        protected override IDictionary<string, string?> Settings => settings;
    }

    private static async Task<string> StartFailureAsync(Dictionary<string, string?> settings)
    {
        await using var app = new ConfiguredApp(settings);
        var e = Assert.ThrowsAny<Exception>(() => app.Server);
        var messages = new List<string>();
        for (Exception? x = e; x is not null; x = x.InnerException) messages.Add(x.Message);
        return string.Join(" | ", messages);
    }

    [Fact]
    public async Task AzureBlob_without_a_connection_string_names_the_missing_key()
    {
        var message = await StartFailureAsync(new() { ["Storage:Provider"] = "AzureBlob" });
        Assert.Contains("Storage:AzureBlob:ConnectionString is required", message);
    }

    [Fact]
    public async Task A_container_name_Azure_would_refuse_is_named()
    {
        var message = await StartFailureAsync(new()
        {
            ["Storage:Provider"] = "AzureBlob", ["Storage:AzureBlob:ConnectionString"] = "UseDevelopmentStorage=true", ["Storage:AzureBlob:Container"] = "Recordings_2026",
        });
        Assert.Contains("Storage:AzureBlob:Container must be 3-63 lower-case letters", message);
    }

    [Fact]
    public async Task A_connection_string_that_is_not_one_is_refused_without_echoing_it()
    {
        var message = await StartFailureAsync(new() { ["Storage:Provider"] = "AzureBlob", ["Storage:AzureBlob:ConnectionString"] = "password=hunter2" });
        Assert.Contains("Storage:AzureBlob:ConnectionString is not a usable Azure Storage connection string", message);
        Assert.DoesNotContain("hunter2", message);
    }

    [Fact]
    public async Task An_unknown_provider_lists_the_known_ones()
    {
        var message = await StartFailureAsync(new() { ["Storage:Provider"] = "S3" });
        Assert.Contains("Storage:Provider 'S3' is not known; use FileSystem or AzureBlob", message);
    }
}
