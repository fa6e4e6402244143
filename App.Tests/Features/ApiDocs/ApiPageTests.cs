using System.Net;
using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Features.ApiDocs;

namespace NagrywanieRozmow.Tests.Features.ApiDocs;

/// <summary>
/// <c>/admin/api</c>: an administrator reads the same document integrations get, grouped by tag, each operation with its
/// method, path, parameters, responses and who may call it; other roles are refused.
/// </summary>
public sealed class ApiPageTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task An_administrator_sees_every_documented_operation_with_who_may_call_it()
    {
        var html = WebUtility.HtmlDecode(await app.ClientAs(Roles.Administrator).GetStringAsync("/admin/api"));

        await using var scope = app.Services.CreateAsyncScope();
        var tags = await scope.ServiceProvider.GetRequiredService<ApiReference>().ReadAsync();
        var operations = tags.SelectMany(t => t.Operations).ToList();
        Assert.True(operations.Count >= 20, $"only {operations.Count} operations");
        foreach (var op in operations)
            Assert.Contains($"data-testid=\"api-operation\" data-method=\"{op.Method}\" data-path=\"{op.Path}\"", html);
        Assert.Equal(operations.Count, html.Split("data-testid=\"api-operation\"").Length - 1);

        Assert.Contains("href=\"/openapi/v1.json\"", html);
        Assert.Contains("data-testid=\"api-document-link\"", html);
        // Who may search: the policy, the roles by their Polish names, the key scope; an id parameter with its type.
        Assert.Contains("Uprawnienie ListenRecordings · Role: Administrator, Kierownik jakości, Obsługa reklamacji, Inspektor zgodności", html);
        Assert.Contains("Zakresy kluczy API: read", html);
        Assert.Contains("<code>id</code></td><td>path</td><td>tak</td><td>integer/int64</td>", html);
        Assert.Contains("data-status=\"404\"", html);
        Assert.Contains("application/problem+json", html);
    }

    [Theory]
    [InlineData(Roles.ComplaintHandler)]
    [InlineData(Roles.Compliance)]
    public async Task Other_roles_are_refused(string role)
    {
        var response = await app.ClientAs(role).GetAsync("/admin/api");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("api-operation", await response.Content.ReadAsStringAsync());
    }
}
