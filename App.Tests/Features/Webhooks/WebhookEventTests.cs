using NagrywanieRozmow.Features.Webhooks;
using StandardWebhooks;

namespace NagrywanieRozmow.Tests.Features.Webhooks;

/// <summary>Which events an audit entry makes, as each producer writes its entries; and the signature as another implementation computes it.</summary>
public sealed class WebhookEventTests
{
    private static AuditEntry Entry(string action, long? recordingId = null, object? details = null, string outcome = AuditOutcomes.Success, string? reason = null) => new()
    {
        Id = 7, At = new DateTime(2026, 12, 7, 10, 0, 0, DateTimeKind.Utc), Actor = "system", Action = action, Outcome = outcome, RecordingId = recordingId,
        Details = details is null ? null : AuditLog.Details(details), Reason = reason, PreviousHash = "", Hash = "",
    };

    [Fact]
    public void A_retention_purge_entry_is_one_deletion_per_recording_it_lists()
    {
        var events = WebhookEvent.From(Entry(AuditActions.RecordingDeleted, details: new { cause = "retention", rule = "365 days", count = 3, recordings = new[] { 4L, 5L, 6L } }))
            .ToList();

        Assert.Equal([4L, 5L, 6L], events.Select(e => e.RecordingId));
        Assert.All(events, e => Assert.Equal((WebhookEvents.RecordingDeleted, "retention"), (e.Type, e.Facts["cause"])));
    }

    [Fact]
    public void An_erasure_for_a_data_subject_and_a_manual_deletion_name_their_cause()
    {
        var subject = Assert.Single(WebhookEvent.From(Entry(AuditActions.RecordingDeleted, 9, new { cause = "SubjectRequest", request = 1, count = 1, recordings = new[] { 9L } })));
        Assert.Equal((9L, "subject_request"), (subject.RecordingId, subject.Facts["cause"]));
        var manual = Assert.Single(WebhookEvent.From(Entry(AuditActions.RecordingDeleted, 3, new { request = 2, cause = "Manual", callId = "x", sha256 = "y" })));
        Assert.Equal((3L, "manual"), (manual.RecordingId, manual.Facts["cause"]));
    }

    [Fact]
    public void Failed_changes_and_other_actions_make_no_event()
    {
        Assert.Empty(WebhookEvent.From(Entry(AuditActions.RecordingDeleted, 3, new { request = 2, cause = "Manual" }, outcome: AuditOutcomes.Failed)));
        Assert.Empty(WebhookEvent.From(Entry(AuditActions.TagAdded, 3, new { value = "dobra rozmowa" })));
        Assert.Empty(WebhookEvent.From(Entry(AuditActions.Listen, 3)));
    }

    [Fact]
    public void A_recording_taken_out_of_its_holds_is_a_lifted_hold_naming_them()
    {
        var lifted = Assert.Single(WebhookEvent.From(Entry(AuditActions.HoldReleased, 12, new { holds = new[] { 1L, 2L } }, reason: "koniec sprawy")));

        Assert.Equal((WebhookEvents.HoldLifted, 12L, "koniec sprawy"), (lifted.Type, lifted.RecordingId, lifted.Facts["reason"]));
        Assert.Equal([1L, 2L], (IEnumerable<long>)lifted.Facts["holdIds"]!);
    }

    [Fact]
    public void The_signature_is_the_one_another_standard_webhooks_implementation_computes()
    {
        var secret = WebhookSignature.NewSecret();
        var at = DateTimeOffset.FromUnixTimeSeconds(1_796_000_000);
        const string body = "{\"type\":\"hold.placed\",\"data\":{\"reason\":\"Skarga – pilne\"}}";

        Assert.Equal(new StandardWebhook(secret).Sign("msg_1", at, body), WebhookSignature.Sign(secret, "msg_1", at, body));
    }
}
