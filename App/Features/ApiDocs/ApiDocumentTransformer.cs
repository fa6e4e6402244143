using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using NagrywanieRozmow.Features.Access;

namespace NagrywanieRozmow.Features.ApiDocs;

/// <summary>The document as a whole: its title, the two ways to sign in, the problem+json schema, and paths without a trailing slash.</summary>
public sealed class ApiDocumentTransformer(IOptionsMonitor<CookieAuthenticationOptions> cookies) : IOpenApiDocumentTransformer
{
    public const string CookieScheme = "cookie";
    public const string ApiKeyScheme = "apiKey";
    public const string ProblemSchema = "ProblemDetails";

    public async Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "NagrywanieRozmów API";
        document.Info.Description =
            "Call recordings: search, listen, download, ingest, label and hold. People send their sign-in cookie; integrations send " +
            $"an API key in the {ApiKeyAuthentication.Header} header (scopes: {string.Join(", ", ApiKeyScopes.All)}). Errors are application/problem+json: " +
            "401 without a cookie or key, 403 when the role or scope does not allow it, 404 where a recording is missing or out of the caller's scope.";

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[CookieScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Cookie,
            Name = cookies.Get(IdentityConstants.ApplicationScheme).Cookie.Name,
            Description = "The panel's sign-in cookie (sign in at /account/login). Cookie-authenticated writes also need the antiforgery token.",
        };
        document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeyAuthentication.Header,
            Description = $"An API key created by an administrator at /admin/apikeys or with `apikeys create`; its scopes: {string.Join(", ", ApiKeyScopes.All)}.",
        };

        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        if (!document.Components.Schemas.ContainsKey(ProblemSchema))
            document.Components.Schemas[ProblemSchema] = await context.GetOrCreateSchemaAsync(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), null, cancellationToken);

        // A group's MapGet("/") is routed with or without the slash; the document names it as CONTRACTS.md does.
        foreach (var path in document.Paths.Keys.Where(p => p.Length > 1 && p.EndsWith('/')).ToList())
        {
            var item = document.Paths[path];
            document.Paths.Remove(path);
            var trimmed = path.TrimEnd('/');
            if (document.Paths.TryGetValue(trimmed, out var existing) && existing is OpenApiPathItem target && item.Operations is { } operations)
            {
                target.Operations ??= [];
                foreach (var (method, operation) in operations) target.Operations[method] = operation;
            }
            else document.Paths[trimmed] = item;
        }
    }
}
