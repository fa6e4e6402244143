namespace NagrywanieRozmow.Features.ApiDocs;

/// <summary>
/// <c>GET /openapi/v1.json</c>: the OpenAPI document of every <c>/api/v1</c> route, built by ASP.NET Core's generator from
/// the endpoints themselves; what they share (who may call them, the two ways to sign in, the problem answers) is added by
/// <see cref="ApiDocumentTransformer"/> and <see cref="ApiOperationTransformer"/> from their metadata. Any signed-in
/// person or API key may read it; <c>/admin/api</c> shows the same document to administrators.
/// </summary>
public static class ApiDocsFeature
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";
    public const string ApiPrefix = "api/v1";

    public static IHostApplicationBuilder AddApiDocs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(DocumentName, o =>
        {
            o.ShouldInclude = d => d.RelativePath is { } path && (path == ApiPrefix || path.StartsWith(ApiPrefix + "/", StringComparison.OrdinalIgnoreCase));
            o.AddDocumentTransformer<ApiDocumentTransformer>();
            o.AddOperationTransformer<ApiOperationTransformer>();
        });
        builder.Services.AddScoped<ApiReference>();
        return builder;
    }

    public static IEndpointRouteBuilder MapApiDocs(this IEndpointRouteBuilder app)
    {
        // Not anonymous: the document names every permission; the fallback policy would ask for a sign-in anyway.
        app.MapOpenApi("/openapi/{documentName}.json").RequireAuthorization();
        return app;
    }

    /// <summary>An endpoint's route as the document writes it: <c>/api/v1/recordings/{id}</c> for <c>/api/v1/recordings/{id:long}/</c>.</summary>
    public static string PathOf(string route)
    {
        var path = System.Text.RegularExpressions.Regex.Replace(route, @"\{\*{0,2}([^}:=?]+)[^}]*\}", "{$1}");
        path = "/" + path.Trim('/');
        return path;
    }
}
