namespace NagrywanieRozmow.Shared.Security;

/// <summary>
/// Outside Development an unhandled exception shows the /error page to people and a problem+json without any exception
/// detail to API callers; both name the request id to quote, and the exception itself goes only to the log.
/// </summary>
public static class ErrorResponses
{
    public static void UseErrorResponses(this WebApplication app)
    {
        if (app.Environment.IsDevelopment()) return;   // the developer exception page
        app.UseExceptionHandler("/error", createScopeForErrors: true);
        // Re-executing /error (a Blazor page) would answer an API client with HTML, and a POST with a form error.
        app.UseWhen(http => IsApiRequest(http.Request), api => api.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = http => TypedResults.Problem(
                $"Something went wrong on the server. Quote request id {http.TraceIdentifier} to the administrator.",
                statusCode: StatusCodes.Status500InternalServerError, title: "Server error").ExecuteAsync(http),
        }));
    }

    /// <summary>Requests answered with problem+json and status codes, never a page or a redirect to sign in.</summary>
    public static bool IsApiRequest(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/openapi") || request.Path.StartsWithSegments("/health") || request.Path.StartsWithSegments("/hangfire");
}
