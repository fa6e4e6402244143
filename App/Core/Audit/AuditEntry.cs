using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NagrywanieRozmow.Core;

/// <summary>One append-only audit record. <see cref="Hash"/> covers every other field and the previous entry's hash.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTime At { get; set; }

    /// <summary>Who: the user's e-mail, "apikey:&lt;name&gt;", or "system".</summary>
    public required string Actor { get; set; }
    public string? ActorIp { get; set; }

    /// <summary>What, as a stable dotted name (see <see cref="AuditActions"/>).</summary>
    public required string Action { get; set; }

    /// <summary>The recording concerned, when there is exactly one.</summary>
    public long? RecordingId { get; set; }

    /// <summary>Further facts as compact JSON: filters of a search, ids of a bulk download, old and new values.</summary>
    public string? Details { get; set; }
    public required string Outcome { get; set; }
    public string? Reason { get; set; }

    public required string PreviousHash { get; set; }
    public required string Hash { get; set; }

    /// <summary>A text fact of the entry's details (e.g. the case number of a <c>recording.case-added</c>, "value"); null when absent.</summary>
    public string? DetailText(string name)
    {
        if (string.IsNullOrWhiteSpace(Details)) return null;
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(Details);
            return json.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object && json.RootElement.TryGetProperty(name, out var value)
                && value.ValueKind == System.Text.Json.JsonValueKind.String ? value.GetString() : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Every recording the entry is about: the one it names, and those its details list under <c>recordings</c> (a hold
    /// over a selection, a purge's batch, an erasure), each once.
    /// </summary>
    public IReadOnlyList<long> RecordingIds()
    {
        var ids = new List<long>();
        if (RecordingId is { } own) ids.Add(own);
        if (string.IsNullOrWhiteSpace(Details)) return ids;
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(Details);
            if (json.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object && json.RootElement.TryGetProperty("recordings", out var list)
                && list.ValueKind == System.Text.Json.JsonValueKind.Array)
                ids.AddRange(list.EnumerateArray().Where(x => x.TryGetInt64(out _)).Select(x => x.GetInt64()).Where(id => !ids.Contains(id)));
        }
        catch (System.Text.Json.JsonException)
        {
            // Details are the app's own JSON; an entry written otherwise names only its own recording.
        }
        return ids.Distinct().ToList();
    }
}

public static class AuditActions
{
    public const string Listen = "recording.listen";
    public const string Download = "recording.download";
    public const string Search = "recording.search";

    /// <summary>A search of the call history (every CDR call, recorded or not), with its filters.</summary>
    public const string CallSearch = "call.search";

    /// <summary>A recording that does not exist or lies outside the caller's scope was asked for (answered 404).</summary>
    public const string RecordingAccess = "recording.access";

    /// <summary>A signed-in caller was refused a page or endpoint by their role (answered 403).</summary>
    public const string AccessDenied = "access.denied";

    public const string SignIn = "user.signin";
    public const string SignOut = "user.signout";
    public const string UserCreated = "user.created";
    public const string UserChanged = "user.changed";
    public const string UserDisabled = "user.disabled";
    public const string UserEnabled = "user.enabled";
    public const string PasswordReset = "user.password-reset";
    public const string UserUnlocked = "user.unlocked";
    public const string ApiKeyCreated = "apikey.created";
    public const string ApiKeyRevoked = "apikey.revoked";
    public const string ApiKeyRejected = "apikey.rejected";
    public const string SettingChanged = "setting.changed";
    public const string AuditExport = "audit.export";

    /// <summary>A recording came in (spool, upload, retry): its hash at arrival, in the chain.</summary>
    public const string Ingest = "recording.ingest";
    public const string IngestionRetry = "ingestion.retry";
    public const string IngestionDiscard = "ingestion.discard";

    public const string RetentionPolicyChanged = "retention.policy-changed";
    public const string RetentionPurge = "retention.purge";
    public const string RecordingDeleted = "recording.deleted";
    public const string RetentionArchive = "retention.archive";
    public const string RecordingArchived = "recording.archived";
    public const string RestoreRequested = "recording.restore_requested";
    public const string RestoreReady = "recording.restore_ready";
    public const string RestoreReturned = "recording.restore_returned";
    public const string HoldPlaced = "hold.placed";
    public const string HoldLifted = "hold.lifted";
    public const string HoldReleased = "hold.released";
    public const string DeletionRequested = "deletion.requested";
    public const string DeletionApproved = "deletion.approved";
    public const string DeletionRejected = "deletion.rejected";
    public const string DeletionWithdrawn = "deletion.withdrawn";
    public const string SubjectExport = "subject.export";
    public const string SubjectErase = "subject.erase";
    public const string CaseAdded = "recording.case-added";
    public const string CaseRemoved = "recording.case-removed";
    public const string TagAdded = "recording.tag-added";
    public const string TagRemoved = "recording.tag-removed";
    public const string EvidenceExport = "evidence.export";

    /// <summary>The first evidence signing key was made (on first use); a later one replaced it (rotation). Details name the fingerprints.</summary>
    public const string EvidenceKeyCreated = "evidence.key-created";
    public const string EvidenceKeyRotated = "evidence.key-rotated";
    public const string ScorecardSaved = "scorecard.saved";
    public const string ScorecardArchived = "scorecard.archived";
    public const string SampleCreated = "sample.created";
    public const string EvaluationSubmitted = "evaluation.submitted";
    public const string EvaluationDisputed = "evaluation.disputed";

    /// <summary>The agent confirmed they have read a submitted evaluation of their call.</summary>
    public const string EvaluationAcknowledged = "evaluation.acknowledged";
    public const string DisputeResolved = "evaluation.dispute-resolved";
    public const string CommentAdded = "recording.comment-added";
    public const string CommentRemoved = "recording.comment-removed";
    public const string CollectionCreated = "collection.created";
    public const string CollectionDeleted = "collection.deleted";
    public const string CollectionItemAdded = "collection.item-added";
    public const string CollectionItemRemoved = "collection.item-removed";

    /// <summary>Who a training collection is shared with changed: a permission change, so it is in the chain.</summary>
    public const string CollectionShared = "collection.shared";
    public const string CollectionUnshared = "collection.unshared";
    public const string QualityReportExport = "quality.report-export";

    /// <summary>Stored numbers rewritten after the number settings changed; the last entry is also where an interrupted run resumes.</summary>
    public const string NumbersRenormalize = "numbers.renormalize";

    /// <summary>Stored recordings read again after the rules for FreePBX names and the CDR changed (who answered, direction, DID).</summary>
    public const string IngestionReread = "ingestion.reread";

    /// <summary>A person started or stopped watching a number, case or extension ("powiadom mnie").</summary>
    public const string WatchCreated = "watch.created";
    public const string WatchRemoved = "watch.removed";
    /// <summary>A webhook endpoint registered, changed (switched on or off, secret rotated), deleted; a delivery sent again by hand.</summary>
    public const string WebhookCreated = "webhook.created";
    public const string WebhookChanged = "webhook.changed";
    public const string WebhookDeleted = "webhook.deleted";
    public const string WebhookResent = "webhook.resent";

    /// <summary>An endpoint switched off by the app after repeated failed deliveries; the reason says why.</summary>
    public const string WebhookDisabled = "webhook.disabled";

    /// <summary>A transcript stored (by the provider named in the details), asked for by a person, read on the recording's page.</summary>
    public const string TranscriptCreated = "transcript.created";
    public const string TranscriptRequested = "transcript.requested";
    public const string TranscriptRead = "transcript.read";

    public static readonly IReadOnlyList<string> All =
    [
        Listen, Download, Search, CallSearch, RecordingAccess, AccessDenied, SignIn, SignOut, UserCreated, UserChanged, UserDisabled, UserEnabled,
        PasswordReset, UserUnlocked, ApiKeyCreated, ApiKeyRevoked, ApiKeyRejected, SettingChanged, AuditExport, Ingest, IngestionRetry, IngestionDiscard,
        RetentionPolicyChanged, RetentionPurge, RecordingDeleted, HoldPlaced, HoldLifted, HoldReleased, DeletionRequested, DeletionApproved, DeletionRejected,
        DeletionWithdrawn, SubjectExport, SubjectErase, CaseAdded, CaseRemoved, TagAdded, TagRemoved, EvidenceExport, EvidenceKeyCreated, EvidenceKeyRotated,
        ScorecardSaved, ScorecardArchived, SampleCreated, EvaluationSubmitted, EvaluationDisputed, EvaluationAcknowledged, DisputeResolved, CommentAdded, CommentRemoved,
        CollectionCreated, CollectionDeleted, CollectionItemAdded, CollectionItemRemoved, CollectionShared, CollectionUnshared, QualityReportExport,
        NumbersRenormalize, IngestionReread, WatchCreated, WatchRemoved, WebhookCreated, WebhookChanged, WebhookDeleted, WebhookResent, WebhookDisabled,
        TranscriptCreated, TranscriptRequested, TranscriptRead,
    ];
}

public static class AuditOutcomes
{
    public const string Success = "success";
    public const string Denied = "denied";
    public const string Failed = "failed";
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> e)
    {
        e.ToTable("AuditLog");
        e.HasKey(a => a.Id);
        e.Property(a => a.Actor).HasMaxLength(256);
        e.Property(a => a.ActorIp).HasMaxLength(64);
        e.Property(a => a.Action).HasMaxLength(64);
        e.Property(a => a.Outcome).HasMaxLength(16);
        e.Property(a => a.Reason).HasMaxLength(1000);
        e.Property(a => a.PreviousHash).HasMaxLength(64).IsFixedLength();
        e.Property(a => a.Hash).HasMaxLength(64).IsFixedLength();
        e.HasIndex(a => a.At);
        e.HasIndex(a => new { a.RecordingId, a.At });
        e.HasIndex(a => new { a.Actor, a.At });
    }
}
