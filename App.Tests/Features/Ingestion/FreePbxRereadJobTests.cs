using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Features.Ingestion;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Tests.Features.Ingestion;

/// <summary>Recordings stored by a version that misread FreePBX names are read again once, audited, uploads left alone.</summary>
public sealed class FreePbxRereadJobTests : IAsyncLifetime
{
    private readonly IngestionApp app = new();

    public Task InitializeAsync() => app.InitializeAsync();
    public async Task DisposeAsync() => await ((IAsyncLifetime)app).DisposeAsync();

    /// <summary>A row as the version before RulesVersion 1 stored it from its name.</summary>
    private static Recording Old(string name, string from, string to, CallType type, string? extension)
    {
        var r = TestData.Recording(caller: from, callee: to, extension: extension, type: type, userName: null, team: null,
            callId: name.Split('-')[^1][..^4]);
        r.OriginalFileName = name;
        return r;
    }

    [Fact]
    public async Task Old_rows_get_the_direction_the_DID_and_the_phone_that_answered_and_uploads_keep_their_metadata()
    {
        var external = Old("external-203-48601234567-20261118-150533-1795010733.10.wav", "48601234567", "203", CallType.Outgoing, "48601234567");
        var inbound = Old("in-221234500-48601234567-20261116-091502-1794816902.3.wav", "48601234567", "221234500", CallType.Incoming, "221234500");
        var queue = Old("q-400-48698765432-20261117-083012-1794900612.6.wav", "48698765432", "400", CallType.Queue, "400");
        var uploaded = Old("in-201-48601234567-20261116-101502-1794816999.4.wav", "48601234567", "201", CallType.Incoming, "201");
        var right = Old("out-48512345678-201-20261116-113045-1794825045.5.wav", "201", "48512345678", CallType.Outgoing, "201");
        await app.WithDbAsync(async db =>
        {
            db.Directory.Add(new DirectoryEntry { Extension = "203", DisplayName = "Ewa Lis", Team = "Obsługa klienta" });
            db.Recordings.AddRange(external, inbound, queue, uploaded, right);
            await db.SaveChangesAsync();
            db.IngestedFiles.Add(new IngestedFile
            {
                SourcePath = IngestedFile.UploadPrefix + "2026-11-16/x/" + uploaded.OriginalFileName, Outcome = IngestOutcome.Accepted, RecordingId = uploaded.Id,
                ProcessedAt = DateTime.UtcNow,
            });
            db.CdrRecords.Add(new CallDetailRecord
            {
                UniqueId = "1794816902.3", Source = "48601234567", Destination = "221234500", Context = "from-trunk",
                DestinationChannel = "PJSIP/201-00000003", Disposition = "ANSWERED", StartedAt = inbound.StartedAt,
            });
            await db.SaveChangesAsync();
        });
        var job = app.Get<FreePbxRereadJob>();
        Assert.True(await job.IsDueAsync());

        Assert.Equal((5L, 3L), await job.RereadAsync(CancellationToken.None));

        var rows = await app.WithDbAsync(db => db.Recordings.AsNoTracking().ToDictionaryAsync(r => r.Id));
        Assert.Equal((CallType.Incoming, "203", "Ewa Lis", "Obsługa klienta"),
            (rows[external.Id].Type, rows[external.Id].Extension, rows[external.Id].UserName, rows[external.Id].Team));
        Assert.Equal((CallType.Incoming, "201", "221234500", "ANSWERED"),
            (rows[inbound.Id].Type, rows[inbound.Id].Extension, rows[inbound.Id].Did, rows[inbound.Id].Disposition));
        Assert.Equal((CallType.Queue, (string?)null, "400"), (rows[queue.Id].Type, rows[queue.Id].Extension, rows[queue.Id].Queue));
        Assert.Equal(("201", (string?)null), (rows[uploaded.Id].Extension, rows[uploaded.Id].Did));
        Assert.Equal(("201", CallType.Outgoing), (rows[right.Id].Extension, rows[right.Id].Type));

        var entries = await app.WithDbAsync(db => db.AuditLog.AsNoTracking().Where(a => a.Action == AuditActions.IngestionReread).OrderBy(a => a.Id).ToListAsync());
        Assert.Equal(2, entries.Count);
        Assert.Contains($"{external.Id}", entries[0].Details);
        Assert.Contains("\"done\":true", entries[1].Details);
        Assert.Null(await app.Get<AuditLog>().VerifyAsync());

        // Done: not due, and a second run changes and audits nothing.
        Assert.False(await job.IsDueAsync());
        Assert.Equal((0L, 0L), await job.RereadAsync(CancellationToken.None));
        Assert.Equal(2, await app.WithDbAsync(db => db.AuditLog.CountAsync(a => a.Action == AuditActions.IngestionReread)));
    }
}
