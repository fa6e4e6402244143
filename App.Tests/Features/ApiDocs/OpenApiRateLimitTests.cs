using System.Text.Json.Nodes;

namespace NagrywanieRozmow.Tests.Features.ApiDocs;

/// <summary>While API rate limits are on (the default outside tests), every operation documents the 429 problem.</summary>
public sealed class OpenApiRateLimitTests(OpenApiRateLimitTests.Limited app) : IClassFixture<OpenApiRateLimitTests.Limited>
{
    public sealed class Limited : AppFactory
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["RateLimits:ApiPermitLimit"] = "1000" };
    }

    [Fact]
    public async Task Every_operation_documents_429_as_a_problem()
    {
        var document = JsonNode.Parse(await app.ClientAs(Roles.Administrator).GetStringAsync("/openapi/v1.json"))!;

        var operations = document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(o => (Key: $"{o.Key} {p.Key}", Op: o.Value!))).ToList();

        Assert.NotEmpty(operations);
        Assert.All(operations, o => Assert.True(o.Op["responses"]?["429"]?["content"]?["application/problem+json"] is not null, o.Key));
    }
}
