using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Shared.Storage;

namespace NagrywanieRozmow.Features.Ingestion;

/// <summary>
/// <c>POST /api/v1/recordings</c> for PBXs that push: multipart with a <c>metadata</c> JSON part and an <c>audio</c> file part,
/// an <c>ingest</c>-scoped key. The audio is streamed to a staging file (never held in memory), then taken like a spool file.
/// </summary>
public static class IngestionApi
{
    public static IEndpointRouteBuilder MapIngestionApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/recordings", UploadAsync).RequireAuthorization(Policies.Ingest).DisableAntiforgery().WithTags("Ingestion")
            .WithSummary("Upload a recording: multipart with a metadata JSON part and an audio file part")
            .Produces<RecordingJson>(StatusCodes.Status201Created).Produces<RecordingJson>(StatusCodes.Status200OK)
            // Not the small default body limit: ReadAsync sets Ingestion:MaxFileSizeMb for this request itself.
            .WithMetadata(new Microsoft.AspNetCore.Mvc.DisableRequestSizeLimitAttribute());
        return app;
    }

    private sealed class Rejection(int status, string title, string detail, TimeSpan? retryAfter = null) : Exception(detail)
    {
        public int Status => status;
        public string Title => title;
        public TimeSpan? RetryAfter => retryAfter;
    }

    /// <summary>How long a PBX should wait before sending an MP3/Ogg again while ffmpeg is missing: an administrator has to act.</summary>
    private static readonly TimeSpan FfmpegRetryAfter = TimeSpan.FromMinutes(10);

    private static async Task<IResult> UploadAsync(
        HttpContext http, RecordingIngestor ingestor, IDbContextFactory<AppDbContext> dbs, AuditLog audit, TimeProvider time,
        IRetentionSchedule retention, ILoggerFactory logs, CancellationToken ct)
    {
        var staging = Path.Combine(ingestor.StagingRoot, Guid.NewGuid().ToString("N"));
        try
        {
            var (metadata, audio, fileName, contentType) = await ReadAsync(http, ingestor.MaxBytes, staging, ct);
            var facts = CallFacts.Parse(metadata, time.GetUtcNow().UtcDateTime, out var errors)
                ?? throw new Rejection(StatusCodes.Status400BadRequest, "The metadata is not usable", string.Join("; ", errors) + ".");

            var result = await ingestor.IngestUploadAsync(audio, fileName, facts, contentType, AuditActor.Of(http.User, http.Connection.RemoteIpAddress?.ToString()), ct);
            switch (result.Outcome)
            {
                case IngestOutcome.Duplicate when result.RecordingId is null:
                    throw new Rejection(StatusCodes.Status410Gone, "The recording was erased", result.Reason!);
                case IngestOutcome.Accepted or IngestOutcome.Duplicate:
                    var json = await RecordingsApi.JsonOfAsync(result.RecordingId!.Value, dbs, retention, ct);
                    return result.Outcome == IngestOutcome.Accepted
                        ? TypedResults.Created($"/api/v1/recordings/{json.Id}", json)
                        : TypedResults.Ok(json);
                case IngestOutcome.Deferred when result.WaitsForFfmpeg:
                    // Nothing is kept (the staging copy goes below): the sender still has the file and sends it again later.
                    throw new Rejection(StatusCodes.Status503ServiceUnavailable, "ffmpeg is not installed on the server", result.Reason!, FfmpegRetryAfter);
                case IngestOutcome.Deferred:
                    throw new Rejection(StatusCodes.Status503ServiceUnavailable, "Try again", result.Reason!);
                default:
                    // Kept in quarantine with its metadata: listed on the Ingestion page, where it can be retried.
                    return TypedResults.Problem(result.Reason, statusCode: StatusCodes.Status422UnprocessableEntity,
                        title: result.Outcome == IngestOutcome.Unanswered ? "No audio in the recording" : "The audio was not accepted");
            }
        }
        catch (Exception e) when (StorageErrors.IsFull(e))
        {
            const string full = "the panel's disk is full: the recording was not stored. Send it again later; nothing already stored is affected.";
            logs.CreateLogger(typeof(IngestionApi)).LogError("Upload refused: the disk is full ({Message})", e.Message);
            await audit.AppendAsync(http, AuditActions.Ingest, AuditOutcomes.Failed,
                details: AuditLog.Details(new { source = "upload", status = StatusCodes.Status507InsufficientStorage }), reason: full);
            return TypedResults.Problem(full, statusCode: StatusCodes.Status507InsufficientStorage, title: "Disk full");
        }
        catch (Rejection e)
        {
            // The reason may quote the file name or the metadata (phone numbers): at Debug only; the audit entry keeps it.
            var log = logs.CreateLogger(typeof(IngestionApi));
            log.LogWarning("Upload refused ({Status}): {Title}", e.Status, e.Title);
            log.LogDebug("Upload refused ({Status}): {Reason}", e.Status, e.Message);
            await audit.AppendAsync(http, AuditActions.Ingest, AuditOutcomes.Failed, details: AuditLog.Details(new { source = "upload", status = e.Status }), reason: e.Message);
            if (e.RetryAfter is { } wait) http.Response.Headers.RetryAfter = ((int)wait.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(e.Message, statusCode: e.Status, title: e.Title);
        }
        finally
        {
            try { if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>The metadata text and the audio, streamed to a staging file with the size limit enforced as the bytes come.</summary>
    private static async Task<(string Metadata, string AudioPath, string FileName, string? ContentType)> ReadAsync(
        HttpContext http, long maxBytes, string staging, CancellationToken ct)
    {
        var request = http.Request;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType) || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 } boundary)
            throw new Rejection(StatusCodes.Status415UnsupportedMediaType, "Send multipart/form-data",
                $"the request is '{request.ContentType ?? "(no content type)"}'; send multipart/form-data with a 'metadata' JSON part and an 'audio' file part.");
        var limit = maxBytes + CallFacts.MaxMetadataBytes + 64 * 1024;
        if (request.ContentLength > limit)
            throw new Rejection(StatusCodes.Status413PayloadTooLarge, "Too large", TooLarge(maxBytes));
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize) bodySize.MaxRequestBodySize = limit;

        string? metadata = null, audioPath = null, fileName = null, contentType = null;
        var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = 16 * 1024 };
        try
        {
            for (var section = await reader.ReadNextSectionAsync(ct); section is not null; section = await reader.ReadNextSectionAsync(ct))
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) continue;
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
                if (name == "metadata")
                {
                    var buffer = new MemoryStream();
                    await CopyLimitedAsync(section.Body, buffer, CallFacts.MaxMetadataBytes, "the metadata part is over 64 KB.", ct);
                    metadata = System.Text.Encoding.UTF8.GetString(buffer.ToArray());
                }
                else if (name == "audio")
                {
                    fileName = PlainFileName(HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value);
                    contentType = section.ContentType;
                    Directory.CreateDirectory(staging);
                    audioPath = Path.Combine(staging, fileName);
                    await using var file = File.Create(audioPath);
                    await CopyLimitedAsync(section.Body, file, maxBytes, TooLarge(maxBytes), ct, StatusCodes.Status413PayloadTooLarge);
                }
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new Rejection(StatusCodes.Status413PayloadTooLarge, "Too large", TooLarge(maxBytes));
        }
        catch (Exception e) when (e is InvalidDataException or IOException && !ct.IsCancellationRequested && !StorageErrors.IsFull(e))
        {
            throw new Rejection(StatusCodes.Status400BadRequest, "Unreadable upload", $"the multipart body could not be read ({e.Message}).");
        }
        if (metadata is null)
            throw new Rejection(StatusCodes.Status400BadRequest, "Metadata missing",
                "the request has no 'metadata' part (JSON with callId, startedAt, callerNumber, calleeNumber, extension, type).");
        if (audioPath is null) throw new Rejection(StatusCodes.Status400BadRequest, "Audio missing", "the request has no 'audio' file part.");
        if (new FileInfo(audioPath).Length == 0) throw new Rejection(StatusCodes.Status400BadRequest, "Empty audio", "the audio part is empty (0 bytes).");
        return (metadata, audioPath, fileName!, contentType);
    }

    private static string TooLarge(long maxBytes) => $"the upload is over the {maxBytes / 1024 / 1024} MB limit (Ingestion:MaxFileSizeMb).";

    /// <summary>The name the PBX gave the file, refused when it carries a path (../, /etc/…, C:\…) rather than cleaned up silently.</summary>
    private static string PlainFileName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return "upload.audio";
        if (name.Contains('/') || name.Contains('\\') || name.Contains("..", StringComparison.Ordinal) || Path.IsPathRooted(name) || name.Contains(':'))
            throw new Rejection(StatusCodes.Status400BadRequest, "Path in the file name", $"the audio part's file name '{name}' contains a path; send the file's own name only.");
        if (name.Any(char.IsControl) || name.Length > 200)
            throw new Rejection(StatusCodes.Status400BadRequest, "Bad file name", "the audio part's file name is over 200 characters or contains control characters.");
        return name;
    }

    private static async Task CopyLimitedAsync(Stream from, Stream to, long max, string tooMuch, CancellationToken ct, int status = StatusCodes.Status400BadRequest)
    {
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await from.ReadAsync(buffer, ct)) > 0)
        {
            total += read;
            if (total > max) throw new Rejection(status, status == StatusCodes.Status413PayloadTooLarge ? "Too large" : "Bad upload", tooMuch);
            await to.WriteAsync(buffer.AsMemory(0, read), ct);
        }
    }
}
