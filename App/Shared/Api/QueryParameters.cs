namespace NagrywanieRozmow.Shared.Api;

/// <summary>
/// Endpoint metadata naming the query-string fields an endpoint reads itself from <see cref="HttpRequest.Query"/> (its
/// parser allows only these), so the API document can list them although the handler's signature does not.
/// </summary>
public sealed record QueryParameters(IReadOnlyList<string> Names);

public static class QueryParametersExtensions
{
    public static RouteHandlerBuilder WithQueryParameters(this RouteHandlerBuilder endpoint, IReadOnlyList<string> names) =>
        endpoint.WithMetadata(new QueryParameters(names));
}
