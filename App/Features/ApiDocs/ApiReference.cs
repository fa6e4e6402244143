using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace NagrywanieRozmow.Features.ApiDocs;

public sealed record ApiTag(string Name, IReadOnlyList<ApiOperationView> Operations);

public sealed record ApiOperationView(
    string Method, string Path, string? Summary, IReadOnlyList<ApiParameterView> Parameters, string? RequestBody,
    IReadOnlyList<ApiResponseView> Responses, WhoMayCall? Who);

public sealed record ApiParameterView(string Name, string In, bool Required, string Type);

public sealed record ApiResponseView(string Status, string? Description, IReadOnlyList<string> ContentTypes);

/// <summary>The served document (the same one <c>/openapi/v1.json</c> writes, generated in-process), read into what the API page shows.</summary>
public sealed class ApiReference([FromKeyedServices(ApiDocsFeature.DocumentName)] IOpenApiDocumentProvider documents)
{
    private static readonly string[] MethodOrder = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    public async Task<IReadOnlyList<ApiTag>> ReadAsync(CancellationToken ct = default)
    {
        var document = await documents.GetOpenApiDocumentAsync(ct);
        var operations =
            from path in document.Paths
            from op in path.Value.Operations ?? []
            let method = op.Key.Method.ToUpperInvariant()
            select (Tag: op.Value.Tags?.FirstOrDefault()?.Name ?? "", View: View(method, path.Key, op.Value));
        return operations
            .GroupBy(o => o.Tag)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ApiTag(g.Key, g.Select(o => o.View)
                .OrderBy(v => v.Path, StringComparer.Ordinal).ThenBy(v => Array.IndexOf(MethodOrder, v.Method)).ToList()))
            .ToList();
    }

    private static ApiOperationView View(string method, string path, OpenApiOperation op) => new(
        method, path, op.Summary,
        (op.Parameters ?? []).Select(p => new ApiParameterView(p.Name ?? "", p.In?.ToString().ToLowerInvariant() ?? "", p.Required, TypeOf(p.Schema))).ToList(),
        op.RequestBody?.Content is { Count: > 0 } body ? string.Join(", ", body.Select(c => $"{TypeOf(c.Value.Schema)} ({c.Key})")) : null,
        (op.Responses ?? []).OrderBy(r => r.Key, StringComparer.Ordinal)
            .Select(r => new ApiResponseView(r.Key, r.Value.Description, r.Value.Content?.Keys.ToList() ?? [])).ToList(),
        op.Extensions?.TryGetValue(WhoMayCall.Extension, out var who) == true && who is JsonNodeExtension json ? WhoMayCall.FromJson(json.Node) : null);

    /// <summary>A schema as a reader names it: the component's name, or its JSON type and format (<c>integer/int64</c>, <c>string[]</c>).</summary>
    public static string TypeOf(IOpenApiSchema? schema)
    {
        if (schema is null) return "";
        if (schema is OpenApiSchemaReference reference) return reference.Reference.Id ?? "";
        var type = schema.Type is { } t ? string.Join("|", Enum.GetValues<JsonSchemaType>().Where(v => v != JsonSchemaType.Null && t.HasFlag(v)).Select(v => v.ToString().ToLowerInvariant())) : "";
        if (type == "array") return TypeOf(schema.Items) + "[]";
        if (type.Length == 0 && schema.OneOf is { Count: > 0 } or && schema.AnyOf is null) return string.Join(" | ", or.Select(TypeOf));
        if (type.Length == 0 && schema.AnyOf is { Count: > 0 } any) return string.Join(" | ", any.Select(TypeOf));
        return schema.Format is { Length: > 0 } format ? $"{type}/{format}" : type.Length > 0 ? type : "object";
    }
}
