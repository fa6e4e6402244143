using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Shared.Time;
using NagrywanieRozmow.Shared.Zip;

namespace NagrywanieRozmow.Features.Evidence;

/// <summary>One key as `GET /api/v1/evidence/public-key` lists it; validUntil is null for the key that signs now.</summary>
public sealed record PublicKeyJson(string Id, string Algorithm, string Fingerprint, string Pem, DateTime ValidFrom, DateTime? ValidUntil);

public static class EvidenceApi
{
    /// <summary>`GET /api/v1/evidence?case=…`: the case's evidence package as a ZIP (people who may download), audited.</summary>
    public static IEndpointRouteBuilder MapEvidenceApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/evidence", async (string? @case, HttpContext http, EvidencePackages packages, DisplayTime display, TimeProvider time, CancellationToken ct) =>
        {
            if (RecordingLabels.Check(LabelKind.Case, @case) is { } problem)
                return Results.Problem(problem.Message + " Ask for ?case=REK-2026/0113.", statusCode: StatusCodes.Status400BadRequest, title: "The request is not valid");
            var caseNumber = @case!.Trim();
            var items = await packages.BuildAsync(caseNumber, http.User, AuditActor.Of(http.User, http.Connection.RemoteIpAddress?.ToString()), ct);
            if (items is null)
                return Results.Problem($"No recording you can see carries case number '{caseNumber}'.", statusCode: StatusCodes.Status404NotFound, title: "Case not found");
            var safe = new string(caseNumber.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
            await StoredZipResult.SendAsync(http, items, $"evidence-{safe}-{display.ToLocal(time.GetUtcNow().UtcDateTime):yyyy-MM-dd-HHmm}.zip", ct);
            return Results.Empty;
        }).RequireAuthorization(Policies.DownloadRecordings).WithTags("Evidence")
            .WithSummary("Download a case's evidence package as a signed ZIP").Produces<Stream>(StatusCodes.Status200OK, "application/zip");

        // Anonymous on purpose: a court, a regulator or the other side of a dispute checks a package without an account in
        // the panel. A public key reveals nothing; the list is cached (EvidenceSigningKeys), so a request costs no query.
        app.MapGet(EvidencePackages.PublicKeyPath, async (EvidenceSigningKeys keys, HttpContext http, CancellationToken ct) =>
        {
            var list = await keys.PublicKeysAsync(ct);
            http.Response.Headers.CacheControl = "public, max-age=300";
            return TypedResults.Ok(list.Select(k => new PublicKeyJson(k.Id, k.Algorithm, k.Fingerprint, k.Pem, k.ValidFrom, k.ValidUntil)).ToList());
        }).AllowAnonymous().WithTags("Evidence")
            .WithSummary("The public keys that evidence packages and receipts are signed with, newest first, with validity periods (no sign-in)");
        return app;
    }
}
