using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Shared.Storage;

namespace NagrywanieRozmow.Shared;

public static class Health
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health/live", () => TypedResults.Ok(new { status = "live" })).AllowAnonymous();
        app.MapGet("/health/ready", async Task<IResult> (AppDbContext db, IRecordingStore store, CancellationToken ct) =>
        {
            var database = await db.Database.CanConnectAsync(ct);
            var storage = await store.IsReadyAsync(ct);
            var body = new { status = database && storage ? "ready" : "not ready", database, storage };
            return database && storage ? TypedResults.Ok(body) : TypedResults.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
        });
        return app;
    }
}
