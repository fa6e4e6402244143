using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Shared.Storage;

namespace NagrywanieRozmow.Shared;

/// <summary>
/// What a load balancer or orchestrator asks, without signing in: <c>/health/live</c> (the process answers: restart it
/// if not) and <c>/health/ready</c> (the database and the recording store answer, and the instance is not stopping: send
/// it people). A stopping instance answers 503 "stopping" at once, so the balancer drains it while running requests,
/// Blazor circuits and jobs finish within the shutdown timeout. Neither says more than up or down.
/// </summary>
public static class Health
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health/live", () => TypedResults.Ok(new { status = "live" })).AllowAnonymous();
        app.MapGet("/health/ready", async Task<IResult> (AppDbContext db, IRecordingStore store, IHostApplicationLifetime lifetime, CancellationToken ct) =>
        {
            if (lifetime.ApplicationStopping.IsCancellationRequested)
                return TypedResults.Json(new { status = "stopping", database = false, storage = false }, statusCode: StatusCodes.Status503ServiceUnavailable);
            var database = await db.Database.CanConnectAsync(ct);
            var storage = await store.IsReadyAsync(ct);
            var body = new { status = database && storage ? "ready" : "not ready", database, storage };
            return database && storage ? TypedResults.Ok(body) : TypedResults.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
        }).AllowAnonymous();
        return app;
    }
}
