using System.Text.Json.Serialization;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Shared.Media;
using NagrywanieRozmow.Shared.Storage;

namespace NagrywanieRozmow.Shared;

/// <summary>The body of <c>/health/ready</c>: <c>degraded</c> lists what works only in part, and why.</summary>
public sealed record ReadinessReport(
    string Status, bool Database, bool Storage,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Ffmpeg = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Degraded = null);

/// <summary>
/// What a load balancer or orchestrator asks, without signing in: <c>/health/live</c> (the process answers: restart it
/// if not) and <c>/health/ready</c> (the database and the recording store answer, and the instance is not stopping: send
/// it people). A stopping instance answers 503 "stopping" at once, so the balancer drains it while running requests,
/// Blazor circuits and jobs finish within the shutdown timeout. A missing optional tool (ffmpeg) makes the instance
/// "degraded", still 200: it does its main job, and a balancer must keep sending people; the body names what is missing.
/// </summary>
public static class Health
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health/live", () => TypedResults.Ok(new { status = "live" })).AllowAnonymous();
        app.MapGet("/health/ready", async Task<IResult> (AppDbContext db, IRecordingStore store, FfmpegStatus ffmpeg, IHostApplicationLifetime lifetime, CancellationToken ct) =>
        {
            if (lifetime.ApplicationStopping.IsCancellationRequested)
                return TypedResults.Json(new ReadinessReport("stopping", false, false), statusCode: StatusCodes.Status503ServiceUnavailable);
            var database = await db.Database.CanConnectAsync(ct);
            var storage = await store.IsReadyAsync(ct);
            if (!database || !storage)
                return TypedResults.Json(new ReadinessReport("not ready", database, storage), statusCode: StatusCodes.Status503ServiceUnavailable);
            var tools = ffmpeg.Current;
            return tools.Problem is { } problem
                ? TypedResults.Ok(new ReadinessReport("degraded", database, storage, false, [problem]))
                : TypedResults.Ok(new ReadinessReport("ready", database, storage, true));
        }).AllowAnonymous();
        return app;
    }
}
