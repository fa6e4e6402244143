using Microsoft.AspNetCore.Http.HttpResults;
using NagrywanieRozmow.Features.Playback;

namespace NagrywanieRozmow.Features.Quality;

/// <summary>
/// `GET /api/v1/evaluations/{id}/audio` and `/waveform`: the evaluated call, for whoever may read the evaluation. A blind
/// evaluator hears the call this way while every route by the recording's id answers them as if it did not exist.
/// </summary>
public static class EvaluationAudioApi
{
    public static IEndpointRouteBuilder MapEvaluationAudioApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/evaluations/{id:int}").RequireAuthorization(Policies.ListenRecordings).WithTags("Quality");
        group.MapGet("/audio", AudioAsync).WithSummary("Listen to the call an evaluation is about (range requests: 206, 416)")
            .Produces<Stream>(StatusCodes.Status200OK, "audio/wav", "audio/mpeg", "audio/ogg");
        group.MapGet("/waveform", WaveformAsync).WithSummary("Get the waveform peaks of the call an evaluation is about");
        return app;
    }

    private static async Task<IResult> AudioAsync(int id, string? session, HttpContext http, Evaluations evaluations, PlayerAudio player, AuditLog audit, CancellationToken ct) =>
        await evaluations.CallForListeningAsync(id, http.User, ct) is { } recording
            ? await player.AudioAsync(recording, session is null ? null : $"evaluation{id}:{session}", http, AuditLog.Details(new { evaluation = id }), ct)
            : await NotFoundAsync(id, http, audit);

    private static async Task<IResult> WaveformAsync(int id, HttpContext http, Evaluations evaluations, PlayerAudio player, AuditLog audit, CancellationToken ct) =>
        await evaluations.CallForListeningAsync(id, http.User, ct) is { } recording ? await player.WaveformAsync(recording, ct) : await NotFoundAsync(id, http, audit);

    private static async Task<ProblemHttpResult> NotFoundAsync(int id, HttpContext http, AuditLog audit)
    {
        await audit.AppendAsync(http, AuditActions.RecordingAccess, AuditOutcomes.Denied, details: AuditLog.Details(new { path = http.Request.Path.Value }),
            reason: "no such evaluation with a recording, or not the caller's to read");
        return TypedResults.Problem($"There is no evaluation {id} with a recording that you may read.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
    }
}
