using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Features.Access;

namespace NagrywanieRozmow.Tests.Features.ApiDocs;

/// <summary>
/// <c>GET /openapi/v1.json</c> as an integration reads it: every <c>/api/v1</c> route the app maps is in it (a new route
/// cannot be left out), nothing else is, and each operation says how to sign in, who may call it and which problems it answers.
/// </summary>
public sealed partial class OpenApiDocumentTests(AppFactory app) : IClassFixture<AppFactory>
{
    private const string Problem = "application/problem+json";

    /// <summary>The routes anyone may call without signing in: no security requirement, no 401 or 403 to promise.</summary>
    private static readonly HashSet<(string Method, string Path)> Anonymous = [("GET", "/api/v1/evidence/public-key")];

    private async Task<JsonNode> DocumentAsync()
    {
        var response = await app.ClientAs(Roles.ComplaintHandler).GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    /// <summary>The mapped <c>/api/v1</c> routes as (METHOD, path in OpenAPI form: <c>{id:long}</c> → <c>{id}</c>, <c>{**value}</c> → <c>{value}</c>, no trailing slash).</summary>
    private List<(string Method, string Path)> MappedApiRoutes() =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Endpoint: e, Raw: "/" + e.RoutePattern.RawText!.Trim('/')))
            .Where(e => e.Raw.StartsWith("/api/v1/", StringComparison.Ordinal))
            .SelectMany(e => (e.Endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => (m, RouteParameter().Replace(e.Raw, p => "{" + p.Groups[1].Value + "}"))))
            .Distinct()
            .ToList();

    private static IEnumerable<(string Method, string Path, JsonObject Operation)> Operations(JsonNode document) =>
        from path in document["paths"]!.AsObject()
        from op in path.Value!.AsObject()
        where op.Key is "get" or "post" or "put" or "delete" or "patch"
        select (op.Key.ToUpperInvariant(), path.Key, op.Value!.AsObject());

    [Fact]
    public async Task Every_mapped_api_v1_route_and_method_is_in_the_document()
    {
        var document = await DocumentAsync();
        var routes = MappedApiRoutes();
        Assert.True(routes.Count >= 20, $"only {routes.Count} /api/v1 routes found: " + string.Join(", ", routes));

        var missing = routes.Where(r => document["paths"]?[r.Path]?[r.Method.ToLowerInvariant()] is null).Select(r => $"{r.Method} {r.Path}").ToList();

        Assert.True(missing.Count == 0, "Mapped but not in /openapi/v1.json:\n" + string.Join('\n', missing));
        Assert.Contains(("DELETE", "/api/v1/recordings/{id}/cases/{value}"), routes);   // a catch-all, normalised
    }

    [Fact]
    public async Task Only_api_v1_routes_are_documented_and_each_of_them_is_mapped()
    {
        var document = await DocumentAsync();
        var routes = MappedApiRoutes().ToHashSet();

        var documented = Operations(document).Select(o => (o.Method, o.Path)).ToList();

        Assert.NotEmpty(documented);
        Assert.All(documented, o => Assert.StartsWith("/api/v1/", o.Path));
        Assert.All(documented, o => Assert.Contains(o, routes));
        Assert.DoesNotContain(documented, o => o.Path.Contains("/health") || o.Path.Contains("/account") || o.Path.Contains("/hangfire"));
    }

    [Fact]
    public async Task Both_ways_to_sign_in_are_security_schemes()
    {
        var schemes = (await DocumentAsync())["components"]!["securitySchemes"]!;

        Assert.Equal("apiKey", schemes["apiKey"]!["type"]!.GetValue<string>());
        Assert.Equal("header", schemes["apiKey"]!["in"]!.GetValue<string>());
        Assert.Equal(ApiKeyAuthentication.Header, schemes["apiKey"]!["name"]!.GetValue<string>());
        Assert.Equal("apiKey", schemes["cookie"]!["type"]!.GetValue<string>());
        Assert.Equal("cookie", schemes["cookie"]!["in"]!.GetValue<string>());
        // The test host runs without __Host- cookies (AppFactory), so the sign-in cookie has its plain name.
        Assert.Equal("NagrywanieRozmow.Auth", schemes["cookie"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Every_operation_has_a_summary_a_security_requirement_and_401_and_403_problems()
    {
        var document = await DocumentAsync();
        Assert.NotNull(document["components"]!["schemas"]!["ProblemDetails"]!["properties"]!["title"]);

        var failures = new List<string>();
        foreach (var (method, path, op) in Operations(document))
        {
            if (string.IsNullOrWhiteSpace(op["summary"]?.GetValue<string>())) failures.Add($"{method} {path}: no summary");
            if (Anonymous.Contains((method, path)))
            {
                if (op["security"] is JsonArray { Count: > 0 } || op["responses"]?["401"] is not null) failures.Add($"{method} {path}: anonymous, but asks for sign-in");
                continue;
            }
            if (op["security"] is not JsonArray { Count: > 0 }) failures.Add($"{method} {path}: no security requirement");
            foreach (var status in new[] { "401", "403" })
                if (op["responses"]?[status]?["content"]?[Problem]?["schema"]?["$ref"]?.GetValue<string>() != "#/components/schemas/ProblemDetails")
                    failures.Add($"{method} {path}: no {status} problem+json");
            // The test host runs without rate limits (AppFactory), so no 429 is promised (OpenApiRateLimitTests: with them).
            if (op["responses"]?["429"] is not null) failures.Add($"{method} {path}: 429 without rate limits");
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public async Task An_operation_names_its_policy_and_only_the_schemes_that_can_hold_it()
    {
        var document = await DocumentAsync();
        JsonObject Op(string path, string method) => document["paths"]![path]![method]!.AsObject();
        static List<string> Schemes(JsonObject op) => op["security"]!.AsArray().SelectMany(r => r!.AsObject().Select(s => s.Key)).ToList();
        static List<string> Names(JsonNode? array) => array!.AsArray().Select(n => n!.GetValue<string>()).ToList();

        var get = Op("/api/v1/recordings/{id}", "get");
        Assert.Equal(["cookie", "apiKey"], Schemes(get));
        Assert.Equal([Policies.ListenRecordings], Names(get["x-authorization"]!["policies"]));
        Assert.Equal([Roles.Administrator, Roles.QualityManager, Roles.ComplaintHandler, Roles.Compliance], Names(get["x-authorization"]!["roles"]));
        Assert.Contains(ApiKeyScopes.Read, Names(get["x-authorization"]!["scopes"]));
        Assert.True(get["x-authorization"]!["ownExtension"]!.GetValue<bool>());

        // Ingestion only with a key; the audit log only for people; deletion granted per person, never by role.
        Assert.Equal(["apiKey"], Schemes(Op("/api/v1/recordings", "post")));
        Assert.Equal([ApiKeyScopes.Ingest], Names(Op("/api/v1/recordings", "post")["x-authorization"]!["scopes"]));
        Assert.Equal(["cookie"], Schemes(Op("/api/v1/audit", "get")));
        Assert.Equal(["cookie"], Schemes(Op("/api/v1/recordings/{id}", "delete")));
        Assert.True(Op("/api/v1/recordings/{id}", "delete")["x-authorization"]!["perPerson"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_route_with_an_id_documents_it_as_an_integer_path_parameter_and_answers_404_as_a_problem()
    {
        var document = await DocumentAsync();

        foreach (var path in new[] { "/api/v1/recordings/{id}", "/api/v1/recordings/{id}/audio", "/api/v1/recordings/{id}/download" })
        {
            var op = document["paths"]![path]!["get"]!;
            var id = op["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "id")!;
            Assert.Equal("path", id["in"]!.GetValue<string>());
            Assert.True(id["required"]!.GetValue<bool>());
            Assert.Contains("integer", id["schema"]!["type"]!.ToJsonString());
            Assert.NotNull(op["responses"]!["404"]!["content"]![Problem]);
        }
        Assert.NotNull(document["paths"]!["/api/v1/calls/{linkedid}"]!["get"]!["responses"]!["404"]!["content"]![Problem]);
        // Without an id there is nothing to be missing.
        Assert.Null(document["paths"]!["/api/v1/recordings"]!["get"]!["responses"]!["404"]);
    }

    [Fact]
    public async Task The_searches_document_the_query_fields_they_read()
    {
        var document = await DocumentAsync();
        List<string> Query(string path) => document["paths"]![path]!["get"]!["parameters"]!.AsArray()
            .Where(p => p!["in"]!.GetValue<string>() == "query").Select(p => p!["name"]!.GetValue<string>()).ToList();

        var recordings = Query("/api/v1/recordings");
        foreach (var name in new[] { "from", "to", "number", "extension", "type", "minDuration", "maxDuration", "callId", "case", "sort", "did", "pageSize", "cursor" })
            Assert.Contains(name, recordings);
        Assert.Contains("disposition", Query("/api/v1/calls"));
        Assert.Contains("recorded", Query("/api/v1/calls"));
        Assert.Contains("actor", Query("/api/v1/audit"));
        Assert.NotNull(document["paths"]!["/api/v1/recordings"]!["get"]!["responses"]!["400"]);
    }

    [Fact]
    public async Task File_answers_name_their_content_type()
    {
        var document = await DocumentAsync();
        JsonNode? Ok(string path, string method) => document["paths"]![path]![method]!["responses"]!["200"]!["content"];

        Assert.NotNull(Ok("/api/v1/downloads", "post")!["application/zip"]);
        Assert.NotNull(Ok("/api/v1/recordings/{id}/audio", "get")!["audio/wav"]);
        Assert.NotNull(Ok("/api/v1/audit/export", "get")!["text/csv"]);
    }

    [Fact]
    public async Task Anonymous_callers_get_401_problem_and_any_api_key_or_person_gets_the_json()
    {
        var anonymous = await app.AnonymousClient().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(Problem, anonymous.Content.Headers.ContentType?.MediaType);

        foreach (var scope in new[] { ApiKeyScopes.Ingest, ApiKeyScopes.Read })
        {
            var keyed = await (await app.KeyClientAsync(scope)).GetAsync("/openapi/v1.json");
            Assert.Equal(HttpStatusCode.OK, keyed.StatusCode);
            Assert.Equal("application/json", keyed.Content.Headers.ContentType?.MediaType);
            Assert.StartsWith("3.", JsonNode.Parse(await keyed.Content.ReadAsStringAsync())!["openapi"]!.GetValue<string>());
        }
        Assert.Equal(HttpStatusCode.OK, (await app.ClientAs(Roles.Agent).GetAsync("/openapi/v1.json")).StatusCode);
    }

    [GeneratedRegex(@"\{\*{0,2}([^}:=?]+)[^}]*\}")]
    private static partial Regex RouteParameter();
}
