using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace NagrywanieRozmow.Shared.Security;

/// <summary>
/// Every endpoint takes at most `Security:MaxRequestBodyKb` (JSON, forms), unless it declares a limit of its own with
/// <see cref="IRequestSizeLimitMetadata"/> (the upload API sets `Ingestion:MaxFileSizeMb` itself). Kestrel's default of
/// 30 MB would let anyone make the server read 30 MB into a JSON parser.
/// </summary>
public sealed class RequestBodyLimit(RequestDelegate next, IOptions<SecurityOptions> options)
{
    public Task InvokeAsync(HttpContext http)
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>() is not null) return next(http);
        var limit = options.Value.MaxRequestBodyKb * 1024L;
        if (http.Request.ContentLength > limit) return TooLarge(http, limit);
        // A body without Content-Length (chunked) is cut off by the server at the same size.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = limit;
        return next(http);
    }

    private static Task TooLarge(HttpContext http, long limit) => TypedResults.Problem(
        $"The request body is larger than this endpoint takes ({limit / 1024} KB, Security:MaxRequestBodyKb). Recordings are uploaded with POST /api/v1/recordings.",
        statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request too large").ExecuteAsync(http);
}
