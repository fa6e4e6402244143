using System.Text.RegularExpressions;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using NagrywanieRozmow.Shared.Api;
using NagrywanieRozmow.Shared.Security;

namespace NagrywanieRozmow.Features.ApiDocs;

/// <summary>
/// Each operation: who may call it (<see cref="WhoMayCall"/>, as <c>x-authorization</c> and security requirements), the
/// problem answers every caller may get (400 for writes and reads with a query, 401, 403, 404 where the route names a recording or
/// call, 429 while rate limits are on), the query fields a handler reads itself (<see cref="QueryParameters"/>), and a
/// summary for the few endpoints that have none of their own.
/// </summary>
public sealed partial class ApiOperationTransformer(IOptions<RateLimitOptions> limits) : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        var path = ApiDocsFeature.PathOf(description.RelativePath ?? "");
        var metadata = description.ActionDescriptor.EndpointMetadata;

        foreach (var query in metadata.OfType<QueryParameters>())
        {
            operation.Parameters ??= [];
            foreach (var name in query.Names.Where(n => !operation.Parameters.Any(p => p.Name == n && p.In == ParameterLocation.Query)))
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = name,
                    In = ParameterLocation.Query,
                    Required = false,
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                });
        }

        if (WhoMayCall.Of(metadata) is not { } who)
        {
            // Anonymous (the evidence public keys): no sign-in to ask for, but the per-caller limit holds all the same.
            operation.Responses ??= [];
            TooMany(operation, context);
            return Task.CompletedTask;
        }
        operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
        operation.Extensions[WhoMayCall.Extension] = new JsonNodeExtension(who.ToJson());
        operation.Description = string.IsNullOrEmpty(operation.Description) ? who.Describe() : operation.Description + "\n\n" + who.Describe();
        operation.Security ??= [];
        if (who.ByCookie) operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiDocumentTransformer.CookieScheme, context.Document)] = [] });
        if (who.ByApiKey) operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiDocumentTransformer.ApiKeyScheme, context.Document)] = [] });

        operation.Responses ??= [];
        // A write always takes input; a read only when it has more than the path (a malformed id does not match the route at all).
        var hasInput = description.HttpMethod != "GET" || operation.RequestBody is not null || operation.Parameters?.Any(p => p.In != ParameterLocation.Path) == true;
        if (hasInput) Problem(operation, context, "400", "The request is not valid (the problem names what and why).");
        Problem(operation, context, "401", "No valid sign-in cookie and no valid X-Api-Key.");
        Problem(operation, context, "403", "Signed in, but the role or key scope does not allow this.");
        if (NamesOne().IsMatch(path)) Problem(operation, context, "404", "Not found, or outside the caller's scope (the same answer, so nothing leaks).");
        TooMany(operation, context);
        return Task.CompletedTask;
    }

    private void TooMany(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        if (limits.Value.ApiPermitLimit > 0)
            Problem(operation, context, "429", $"More than {limits.Value.ApiPermitLimit} requests in {limits.Value.ApiWindowSeconds} s from one caller; see Retry-After.");
    }

    private static void Problem(OpenApiOperation operation, OpenApiOperationTransformerContext context, string status, string description)
    {
        if (operation.Responses!.TryGetValue(status, out var existing) && existing.Content?.ContainsKey("application/problem+json") == true) return;
        var response = existing as OpenApiResponse ?? new OpenApiResponse { Description = description };
        response.Content ??= new Dictionary<string, OpenApiMediaType>();
        response.Content["application/problem+json"] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(ApiDocumentTransformer.ProblemSchema, context.Document) };
        operation.Responses[status] = response;
    }

    [GeneratedRegex(@"\{(id|linkedid|commentId|itemId)\}")]
    private static partial Regex NamesOne();
}
