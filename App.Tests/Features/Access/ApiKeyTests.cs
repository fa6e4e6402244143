using System.Net;
using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Features.Access;
using NagrywanieRozmow.Shared.Cli;

namespace NagrywanieRozmow.Tests.Features.Access;

public sealed class ApiKeyTests(AppFactory app) : IClassFixture<AppFactory>
{
    private Task<(int Exit, string Output)> CreateKeyAsync(params string[] args) => app.RunCliAsync(ApiKeysCli.CreateAsync, args);

    private HttpClient ClientWithKey(string key)
    {
        var client = app.AnonymousClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    [Fact]
    public async Task A_created_key_is_printed_once_on_the_last_line_stored_only_as_a_hash_and_signs_requests_in()
    {
        var (exit, output) = await CreateKeyAsync("--name", "crm", "--scope", "read");
        Assert.Equal(0, exit);
        var key = output.TrimEnd().Split('\n')[^1].Trim();
        Assert.StartsWith("nr_", key);

        var stored = await app.WithDbAsync(db => db.ApiKeys.SingleAsync(k => k.Name == "crm"));
        Assert.NotEqual(key, stored.Hash);
        Assert.DoesNotContain(key, stored.Hash + stored.Prefix + stored.Name);
        Assert.Null(stored.LastUsedAt);

        Assert.Equal(HttpStatusCode.OK, (await ClientWithKey(key).GetAsync("/api/v1/recordings?pageSize=1")).StatusCode);
        Assert.NotNull((await app.WithDbAsync(db => db.ApiKeys.SingleAsync(k => k.Name == "crm"))).LastUsedAt);
    }

    [Fact]
    public async Task An_unknown_or_revoked_key_gets_401()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await ClientWithKey("nr_not-a-real-key").GetAsync("/api/v1/recordings?pageSize=1")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ClientWithKey("").GetAsync("/api/v1/recordings?pageSize=1")).StatusCode);

        var (_, output) = await CreateKeyAsync("--name", "old", "--scope", "ingest");
        var key = output.TrimEnd().Split('\n')[^1].Trim();
        await app.WithDbAsync(db => db.ApiKeys.Where(k => k.Name == "old").ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, DateTime.UtcNow)));
        Assert.Equal(HttpStatusCode.Unauthorized, (await ClientWithKey(key).GetAsync("/api/v1/recordings?pageSize=1")).StatusCode);
    }

    [Theory]
    [InlineData(new[] { "--name", "x", "--scope", "admin" }, "Unknown scope 'admin'")]
    [InlineData(new[] { "--scope", "read" }, "--name is required")]
    [InlineData(new[] { "--name", "x", "--scope", "read", "--colour", "red" }, "unknown option(s): --colour")]
    public async Task Bad_arguments_are_refused_and_create_nothing(string[] args, string message)
    {
        var before = await app.WithDbAsync(db => db.ApiKeys.CountAsync());
        var error = await Assert.ThrowsAsync<CliException>(() => CreateKeyAsync(args));
        Assert.Contains(message, error.Message);
        Assert.Equal(before, await app.WithDbAsync(db => db.ApiKeys.CountAsync()));
    }
}
