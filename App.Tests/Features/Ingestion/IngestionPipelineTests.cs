using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Features.Ingestion;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Tests.Features.Ingestion;

/// <summary>The CDR read as it grows and linked late, JSON sidecars, links, and the quarantine's retry and discard.</summary>
public sealed class IngestionPipelineTests : IAsyncLifetime
{
    private readonly IngestionApp app = new();
    private static readonly AuditActor Admin = new("admin@example.com", "10.0.0.9");

    public Task InitializeAsync() => app.InitializeAsync();
    public async Task DisposeAsync() => await ((IAsyncLifetime)app).DisposeAsync();

    // cdr_csv order with uniqueid, userfield, peeraccount, linkedid, sequence.
    private static string QueueRow(string uniqueId, string agent) =>
        $"\"\",\"48698765432\",\"400\",\"ext-queues\",\"\"\"48698765432\"\" <48698765432>\",\"PJSIP/trunk-00000005\",\"PJSIP/{agent}-00000006\",\"Queue\",\"400\"," +
        $"\"2026-11-17 08:30:12\",\"2026-11-17 08:30:15\",\"2026-11-17 08:31:13\",61,58,\"ANSWERED\",\"DOCUMENTATION\",\"{uniqueId}\",\"\",\"\",\"{uniqueId}\",7\n";

    // cdr_custom's default order: clid first, no linkedid.
    private static string CustomRow(string uniqueId, string context, string destination) =>
        $"\"\"\"48221112233\"\" <48221112233>\",\"48221112233\",\"{destination}\",\"{context}\",\"PJSIP/trunk-00000007\",\"PJSIP/{destination}-00000008\",\"Dial\"," +
        $"\"\",\"2026-11-17 12:15:00\",\"2026-11-17 12:15:01\",\"2026-11-17 12:15:28\",28,27,\"ANSWERED\",\"DOCUMENTATION\",\"\",\"{uniqueId}\",\"\",9\n";

    private async Task<Recording> RecordingAsync(string callId) =>
        await app.WithDbAsync(db => db.Recordings.AsNoTracking().SingleAsync(r => r.CallId == callId));

    [Fact]
    public async Task The_cdr_is_read_as_it_grows_and_enriches_a_recording_shown_before_its_row_came()
    {
        await app.WithDbAsync(async db =>
        {
            db.Directory.Add(new DirectoryEntry { Extension = "205", DisplayName = "Magdalena Kamińska", Team = "Obsługa klienta" });
            await db.SaveChangesAsync();
        });
        // The recording lands first: shown at once as a call to queue 400, whose answering phone is not known yet.
        Assert.Equal(IngestOutcome.Accepted, (await app.IngestAsync(app.Drop("q-400-48698765432-20261117-083012-1794900612.5.wav", TestData.Wav(2)))).Outcome);
        // A ring-group recording: the name does not tell the direction, so the type is a guess until the CDR says.
        Assert.Equal(IngestOutcome.Accepted, (await app.IngestAsync(app.Drop("rg-600-48221112233-20261117-121500-1794914100.6.wav", TestData.Wav(2)))).Outcome);
        var before = await RecordingAsync("1794900612.5");
        Assert.Equal(((string?)null, "400", (string?)null, (string?)null), (before.Extension, before.Queue, before.Team, before.Disposition));
        Assert.True((await RecordingAsync("1794914100.6")).TypeIsGuess);

        var cdr = app.Get<CdrStore>();
        // Asterisk is in the middle of writing the second line: only complete lines are read.
        var second = CustomRow("1794914100.6", "ivr-3", "600");
        await File.WriteAllTextAsync(app.Cdr, QueueRow("1794900612.5", "205") + second[..40]);
        var first = await cdr.ReadNewAsync(app.Cdr, CancellationToken.None);
        Assert.Equal(new CdrReadResult(1, 0, 1), first);
        var queued = await RecordingAsync("1794900612.5");
        Assert.Equal(("205", "Magdalena Kamińska", "Obsługa klienta", "ANSWERED", CallType.Queue, "1794900612.5"),
            (queued.Extension, queued.UserName, queued.Team, queued.Disposition, queued.Type, queued.LinkedId));

        await File.AppendAllTextAsync(app.Cdr, second[40..] + "\"broken\",\"line\"\n");
        var rest = await cdr.ReadNewAsync(app.Cdr, CancellationToken.None);
        Assert.Equal(new CdrReadResult(1, 1, 1), rest);
        var ivr = await RecordingAsync("1794914100.6");
        Assert.Equal((CallType.Ivr, "ANSWERED"), (ivr.Type, ivr.Disposition));
        var problem = await app.WithDbAsync(db => db.Set<CdrProblem>().SingleAsync());
        Assert.Equal(3, problem.LineNumber);
        Assert.Contains("2 columns", problem.Reason);

        // Nothing new: nothing read twice. A rotated file (new first line) is read from its start.
        Assert.Equal(new CdrReadResult(0, 0, 0), await cdr.ReadNewAsync(app.Cdr, CancellationToken.None));
        await File.WriteAllTextAsync(app.Cdr, QueueRow("1795000000.1", "206"));
        Assert.Equal(new CdrReadResult(1, 0, 0), await cdr.ReadNewAsync(app.Cdr, CancellationToken.None));
        Assert.Equal(3, await app.WithDbAsync(db => db.CdrRecords.CountAsync()));
    }

    [Fact]
    public async Task A_recording_arriving_after_its_cdr_row_takes_the_row_at_once()
    {
        await File.WriteAllTextAsync(app.Cdr, CustomRow("1795077000.9", "from-trunk", "202"));
        await app.Get<CdrStore>().ReadNewAsync(app.Cdr, CancellationToken.None);
        await app.IngestAsync(app.Drop("ondemand-202-48605550123-20261119-093000-1795077000.9.wav", TestData.Wav(1)));
        var recording = await RecordingAsync("1795077000.9");
        Assert.Equal((CallType.Incoming, false, "ANSWERED"), (recording.Type, recording.TypeIsGuess, recording.Disposition));
    }

    [Fact]
    public async Task A_json_sidecar_gives_the_facts_of_a_file_whose_name_does_not()
    {
        var audio = app.Drop("call-7781.wav", TestData.Wav(2));
        await File.WriteAllTextAsync(audio + ".json", """
            { "callId": "pbx2-1794816999.4", "startedAt": "2026-11-16T09:15:02+01:00", "callerNumber": "+48 601 234 567",
              "calleeNumber": "201", "extension": "201", "type": "incoming", "team": "Reklamacje", "caseNumbers": ["REK-1"], "tags": ["vip"] }
            """);
        Assert.Equal(IngestOutcome.Accepted, (await app.IngestAsync(audio)).Outcome);
        var recording = await app.WithDbAsync(db => db.Recordings.Include(r => r.Cases).Include(r => r.Tags).AsNoTracking().SingleAsync());
        Assert.Equal(("pbx2-1794816999.4", new DateTime(2026, 11, 16, 8, 15, 2, DateTimeKind.Utc), "48601234567", "Reklamacje", CallType.Incoming),
            (recording.CallId, recording.StartedAt, recording.CallerDigits, recording.Team, recording.Type));
        Assert.Equal(["REK-1"], recording.Cases.Select(c => c.CaseNumber));
        Assert.Equal(["vip"], recording.Tags.Select(t => t.Tag));

        // A sidecar that does not say enough: both files go to quarantine, the reason names the field.
        var bad = app.Drop("call-7782.wav", TestData.Wav(1));
        await File.WriteAllTextAsync(bad + ".json", """{ "callId": "x1", "startedAt": "2026-11-16T09:15:02" }""");
        var result = await app.IngestAsync(bad);
        Assert.Equal(IngestOutcome.Rejected, result.Outcome);
        Assert.Contains("startedAt '2026-11-16T09:15:02' is not an ISO 8601 time with a zone", result.Reason);
        var held = await app.WithDbAsync(db => db.IngestedFiles.SingleAsync(f => f.Outcome == IngestOutcome.Rejected));
        Assert.Equal(RejectKind.BadSidecar, held.Problem);
        Assert.True(File.Exists(held.QuarantinedAs) && File.Exists(held.QuarantinedAs + ".json"));
        Assert.False(File.Exists(bad) || File.Exists(bad + ".json"));
    }

    [Fact]
    public async Task A_link_in_the_spool_is_refused_and_what_it_points_to_is_left_alone()
    {
        var secret = Path.Combine(app.Root, "secret.wav");
        await File.WriteAllBytesAsync(secret, TestData.Wav(1));
        var link = Path.Combine(app.Spool, "2026/11/16/in-201-48601234567-20261116-091502-1794816902.2.wav");
        Directory.CreateDirectory(Path.GetDirectoryName(link)!);
        File.CreateSymbolicLink(link, secret);
        var result = await app.IngestAsync(link);
        Assert.Equal(IngestOutcome.Rejected, result.Outcome);
        Assert.Contains("is a link", result.Reason);
        Assert.True(File.Exists(secret));
        Assert.Equal(0, await app.WithDbAsync(db => db.Recordings.CountAsync()));
    }

    [Fact]
    public async Task A_quarantined_file_can_be_retried_once_fixed_or_discarded_and_both_are_audited()
    {
        var ingestor = app.Get<RecordingIngestor>();
        var quarantine = app.Get<Quarantine>();
        var fixable = app.Drop("call-1.wav", TestData.Wav(1));
        await File.WriteAllTextAsync(fixable + ".json", """{ "callId": "c1" }""");
        await app.IngestAsync(fixable);
        await app.IngestAsync(app.Drop("in-205-48511222333-20261121-090000-1795248000.13.wav", "not audio at all"u8.ToArray()));
        var held = await app.WithDbAsync(db => db.IngestedFiles.AsNoTracking().OrderBy(f => f.Id).ToListAsync());
        Assert.Equal(2, held.Count);

        // Still wrong: stays in quarantine, with the new reason.
        var again = await ingestor.RetryAsync(held[0].Id, Admin, CancellationToken.None);
        Assert.Equal(IngestOutcome.Rejected, again!.Outcome);
        Assert.True(File.Exists(held[0].QuarantinedAs));

        // The administrator completes the sidecar in quarantine and retries: accepted, the quarantine copy is gone.
        await File.WriteAllTextAsync(held[0].QuarantinedAs + ".json", """
            { "callId": "c1", "startedAt": "2026-11-16T08:00:00Z", "callerNumber": "48601234567", "calleeNumber": "201", "extension": "201", "type": "Incoming" }
            """);
        var fixedResult = await ingestor.RetryAsync(held[0].Id, Admin, CancellationToken.None);
        Assert.Equal(IngestOutcome.Accepted, fixedResult!.Outcome);
        Assert.False(File.Exists(held[0].QuarantinedAs));
        Assert.Equal("c1", (await app.WithDbAsync(db => db.Recordings.SingleAsync())).CallId);

        Assert.True(await quarantine.DiscardAsync(held[1].Id, Admin, CancellationToken.None));
        Assert.False(File.Exists(held[1].QuarantinedAs));
        var discarded = await app.WithDbAsync(db => db.IngestedFiles.AsNoTracking().SingleAsync(f => f.Outcome == IngestOutcome.Discarded));
        Assert.Equal((RejectKind.NotAudio, (string?)null), (discarded.Problem, discarded.QuarantinedAs));
        Assert.False(await quarantine.DiscardAsync(held[1].Id, Admin, CancellationToken.None));

        var audit = await app.WithDbAsync(db => db.AuditLog.AsNoTracking().Where(a => a.Action.StartsWith("ingestion.")).OrderBy(a => a.Id).ToListAsync());
        Assert.Equal([(AuditActions.IngestionRetry, AuditOutcomes.Failed), (AuditActions.IngestionRetry, AuditOutcomes.Success), (AuditActions.IngestionDiscard, AuditOutcomes.Success)],
            audit.Select(a => (a.Action, a.Outcome)));
        Assert.All(audit, a => Assert.Equal(("admin@example.com", "10.0.0.9"), (a.Actor, a.ActorIp)));
        Assert.Contains("sha256", audit[2].Details);
    }

    [Fact]
    public async Task Raw_recordings_are_accepted_and_calls_that_left_no_audio_are_unanswered_not_rejected()
    {
        var sln = await app.IngestAsync(app.Drop("in-221234500-48601234567-20261116-091502-1794816902.20.sln16", new byte[16_000 * 2 * 3]));
        Assert.Equal(IngestOutcome.Accepted, sln.Outcome);
        var row = await app.WithDbAsync(db => db.Recordings.AsNoTracking().SingleAsync(r => r.Id == sln.RecordingId));
        Assert.Equal(("sln", "pcm_s16le", 16_000, 1, 3_000), (row.Format, row.Codec, row.SampleRate, row.Channels, row.DurationMs));

        string[] silent = ["in-221234500-48601234567-20261116-091502-1794816902.21.wav", "in-221234500-48601234567-20261116-091502-1794816902.22.ulaw"];
        foreach (var name in silent) Assert.Equal(IngestOutcome.Unanswered, (await app.IngestAsync(app.Drop(name, []))).Outcome);
        var wav49 = await app.IngestAsync(app.Drop("in-221234500-48601234567-20261116-091502-1794816902.23.WAV", AudioProbeTests.Wav49Header()));
        Assert.Equal(IngestOutcome.Unanswered, wav49.Outcome);
        var odd = await app.IngestAsync(app.Drop("in-221234500-48601234567-20261116-091502-1794816902.24.sln", new byte[8_001]));
        Assert.Equal(IngestOutcome.Rejected, odd.Outcome);
        Assert.Contains("truncated", odd.Reason);

        // The Ingestion page lists rejections: of the four, only the cut-off file is one.
        var held = await app.WithDbAsync(db => db.IngestedFiles.AsNoTracking().Where(f => f.QuarantinedAs != null).ToListAsync());
        Assert.Equal([IngestOutcome.Rejected], held.Where(f => f.Outcome == IngestOutcome.Rejected).Select(f => f.Outcome));
        Assert.Equal(3, held.Count(f => f.Outcome == IngestOutcome.Unanswered));
    }
}
