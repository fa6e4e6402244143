using Microsoft.AspNetCore.Http.HttpResults;
using NagrywanieRozmow.Shared.Api;
using NagrywanieRozmow.Shared.Time;

namespace NagrywanieRozmow.Features.Calls;

public sealed record CallSearchResponse(IReadOnlyList<CallJson> Items, string? NextCursor, int Total, bool TotalIsEstimate);

public static class CallsApi
{
    public static IEndpointRouteBuilder MapCallsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/calls").RequireAuthorization(Policies.ListenRecordings).WithTags("Calls");
        group.MapGet("/", SearchAsync).WithSummary("Search the call history (the recordings' filters plus disposition and recorded)").WithQueryParameters(CallQuery.Known);
        group.MapGet("/{linkedid}", GetAsync).WithSummary("Get one call with its legs");
        return app;
    }

    private static async Task<Results<Ok<CallSearchResponse>, ValidationProblem>> SearchAsync(
        HttpRequest request, CallSearch search, DisplayTime time, TimeProvider clock, CancellationToken ct)
    {
        var query = CallQuery.Parse(request.Query, time, clock.GetUtcNow().UtcDateTime);
        if (!query.IsValid) return TypedResults.ValidationProblem(query.Errors, title: "The search has invalid values.");
        var http = request.HttpContext;
        // A search is audited once, when it starts; following its cursor is paging, not a new search.
        var page = await search.SearchAsync(query.Filter, http.User, AuditActor.Of(http.User, http.Connection.RemoteIpAddress?.ToString()),
            audited: query.Cursor is null, skip: 0, take: query.PageSize, query.Cursor, ct);
        return TypedResults.Ok(new CallSearchResponse(page.Rows.Select(r => CallJson.From(r)).ToList(), page.NextCursor, page.Total, page.TotalIsEstimate));
    }

    /// <summary>One call with its legs; a call that does not exist or lies outside the caller's scope is the same 404.</summary>
    private static async Task<Results<Ok<CallJson>, ProblemHttpResult>> GetAsync(string linkedid, HttpContext http, CallSearch search, CancellationToken ct)
    {
        if (await search.GetAsync(linkedid, http.User, ct) is { } found)
            return TypedResults.Ok(CallJson.From(found.Call, found.Legs.Select(CallLegJson.From).ToList()));
        return TypedResults.Problem($"There is no call {linkedid}.", statusCode: StatusCodes.Status404NotFound, title: "Call not found");
    }
}
