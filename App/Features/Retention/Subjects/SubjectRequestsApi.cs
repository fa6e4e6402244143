using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using NagrywanieRozmow.Features.Evidence;
using NagrywanieRozmow.Shared.Time;
using NagrywanieRozmow.Shared.Zip;

namespace NagrywanieRozmow.Features.Retention;

/// <summary>
/// The export ZIP and the receipts of data-subject requests (Compliance). The export is a form post from the page, so the
/// person's number never appears in a URL or an access log.
/// </summary>
public static class SubjectRequestsApi
{
    public static IEndpointRouteBuilder MapSubjectRequestsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/subject-requests").RequireAuthorization(Policies.SubjectRequests).WithTags("Data-subject requests");
        group.MapPost("/export", ExportAsync).WithSummary("Export one person's recordings as a ZIP (form fields number and reference)")
            .Produces<Stream>(StatusCodes.Status200OK, "application/zip");
        group.MapGet("/{id:long}/receipt", ReceiptAsync).WithSummary("Get the receipt of a data-subject request as text").Produces<Stream>(StatusCodes.Status200OK, "text/plain");
        group.MapGet("/{id:long}/receipt.zip", SignedReceiptAsync)
            .WithSummary("Get the receipt of a data-subject request signed with the evidence key (ZIP with receipt.txt, receipt.json, VERIFY.md)")
            .Produces<Stream>(StatusCodes.Status200OK, "application/zip");
        return app;
    }

    private static async Task<IResult> ExportAsync(
        HttpContext http, IAntiforgery antiforgery, SubjectRequests requests, TimeProvider time, DisplayTime display, CancellationToken ct)
    {
        // The form is read by hand (not bound), so the caller's permission is checked before anything about the body.
        if (!http.Request.HasFormContentType)
            return TypedResults.Problem("Send the form fields 'number' and 'reference' as application/x-www-form-urlencoded.",
                statusCode: StatusCodes.Status400BadRequest, title: "The request is not valid");
        try { await antiforgery.ValidateRequestAsync(http); }
        catch (AntiforgeryValidationException)
        {
            return TypedResults.Problem("The form's antiforgery token is missing or not valid: export from the data-subject requests page.",
                statusCode: StatusCodes.Status400BadRequest, title: "The request is not valid");
        }
        var form = await http.Request.ReadFormAsync(ct);
        string? number = form["number"], reference = form["reference"];
        if ((SubjectRequests.CheckNumber(number) ?? SubjectRequests.CheckReference(reference)) is { } problem)
            return TypedResults.Problem(problem.Message, statusCode: StatusCodes.Status400BadRequest, title: "The request is not valid");
        var found = await requests.FindAsync(number!, ct);
        var name = $"subject-export-{display.ToLocal(time.GetUtcNow().UtcDateTime):yyyy-MM-dd-HHmm}.zip";
        var export = await requests.ExportAsync(found, reference, AuditActor.Of(http.User, http.Connection.RemoteIpAddress?.ToString()), ct);
        await StoredZipResult.SendAsync(http, export.Items, name, ct);
        return TypedResults.Empty;
    }

    private static async Task<IResult> ReceiptAsync(long id, SubjectRequests requests, IStringLocalizer<SubjectText> l, DisplayTime display, CancellationToken ct)
    {
        if (await requests.GetAsync(id, ct) is not { } request)
            return TypedResults.Problem($"There is no data-subject request {id}.", statusCode: StatusCodes.Status404NotFound, title: "Request not found");
        return TypedResults.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(ReceiptText(request, l, display))).ToArray(),
            "text/plain; charset=utf-8", $"receipt-{request.Id}.txt");
    }

    private static async Task<IResult> SignedReceiptAsync(
        long id, HttpContext http, SubjectRequests requests, IStringLocalizer<SubjectText> l, DisplayTime display, EvidenceSigningKeys keys,
        IOptions<PublicUrlOptions> urls, TimeProvider time, CancellationToken ct)
    {
        if (await requests.GetAsync(id, ct) is not { } request)
            return TypedResults.Problem($"There is no data-subject request {id}.", statusCode: StatusCodes.Status404NotFound, title: "Request not found");
        var items = await SignedReceipt.BuildAsync(request, ReceiptText(request, l, display), keys, EvidencePackages.PublicKeyUrl(urls.Value), display,
            time.GetUtcNow().UtcDateTime, ct);
        await StoredZipResult.SendAsync(http, items, $"receipt-{request.Id}.zip", ct);
        return TypedResults.Empty;
    }

    /// <summary>The receipt as a letter-ready text, in the reader's language.</summary>
    public static string ReceiptText(SubjectRequest request, IStringLocalizer<SubjectText> l, DisplayTime display)
    {
        var receipt = SubjectReceipt.Parse(request.Receipt);
        var text = new StringBuilder();
        text.AppendLine(l["Receipt_Title" + request.Kind, request.Id]).AppendLine();
        text.AppendLine(l["Receipt_Number", request.MaskedNumber]);
        if (request.Reference is { } reference) text.AppendLine(l["Receipt_Reference", reference]);
        text.AppendLine(l["Receipt_Handled", display.FormatDateTime(request.HandledAt), request.HandledBy]).AppendLine();
        text.AppendLine(l["Receipt_Done" + request.Kind, receipt.Done.Count]);
        foreach (var r in receipt.Done)
            text.AppendLine($"  - {l["Receipt_Recording", r.Id, display.FormatDateTime(r.StartedAt), r.CallId]} · SHA-256 {r.Sha256}");
        if (request.Kind == SubjectRequestKind.Erase)
        {
            text.AppendLine().AppendLine(l["Receipt_Kept", receipt.Kept.Count]);
            foreach (var k in receipt.Kept)
                text.AppendLine($"  - {l["Receipt_Recording", k.Id, display.FormatDateTime(k.StartedAt), k.CallId]}: {l["Receipt_KeptWhy", string.Join(", ", k.Cases)]}");
        }
        text.AppendLine().AppendLine(l["Receipt_CallRecords" + request.Kind, receipt.CallRecords]);
        text.AppendLine().AppendLine(l["Receipt_AuditNote"]);
        return text.ToString();
    }
}
