using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NagrywanieRozmow.Features.Calls;
using NagrywanieRozmow.Features.Recordings;
using NagrywanieRozmow.Features.Retention;
using static NagrywanieRozmow.Tests.Features.Calls.CallBuilderTests;

namespace NagrywanieRozmow.Tests.Features.Calls;

/// <summary>
/// "With a recording" is a flag kept on the call: right whichever comes first (the CDR or the file), for a recording named by
/// a leg's uniqueid, and false again once the recording is deleted; all from what the audit log says happened.
/// </summary>
public sealed class CallRecordingFlagTests : IAsyncLifetime
{
    private readonly AppFactory app = new();

    public Task InitializeAsync() => app.InitializeAsync();
    public async Task DisposeAsync() => await ((IAsyncLifetime)app).DisposeAsync();

    private async Task StoreCdrAsync(params NagrywanieRozmow.Features.Ingestion.CallDetailRecord[] rows)
    {
        await app.WithDbAsync(async db => { db.CdrRecords.AddRange(rows); await db.SaveChangesAsync(); });
        await app.Services.GetRequiredService<CallSummaries>().CatchUpAsync();
    }

    private async Task<Recording> IngestAsync(string callId, string? linkedId = null)
    {
        var recording = TestData.Recording(callId: callId);
        recording.LinkedId = linkedId;
        recording = await TestData.AddAsync(app, recording);
        await app.Services.GetRequiredService<AuditLog>().AppendAsync("system (ingestion)", AuditActions.Ingest, AuditOutcomes.Success, recording.Id);
        return recording;
    }

    private Task<bool> FlagAsync(string linkedId) => app.WithDbAsync(db => db.Calls.Where(c => c.LinkedId == linkedId).Select(c => c.HasRecording).SingleAsync());

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var until = DateTime.UtcNow.AddSeconds(15);
        while (!await condition())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException(what);
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task A_recording_arriving_after_its_call_sets_the_flag_and_its_deletion_clears_it()
    {
        await StoreCdrAsync(Row("500.1", "500.1", 0, "601234567", "301", "from-trunk", "PJSIP/301-00000001", "ANSWERED", 60, 50));
        Assert.False(await FlagAsync("500.1"));

        var recording = await IngestAsync("500.1");
        await EventuallyAsync(() => FlagAsync("500.1"), "the arrival did not set the flag");

        await app.Services.GetRequiredService<RecordingEraser>().EraseAsync([new Erasure(recording.Id, "test")], ErasureCause.Manual, "admin@example.com",
            audited: (_, erased) => Task.FromResult<IReadOnlyList<AuditDraft>>([new AuditDraft(new AuditActor("admin@example.com", null),
                AuditActions.RecordingDeleted, AuditOutcomes.Success, recording.Id)]));
        await EventuallyAsync(async () => !await FlagAsync("500.1"), "the deletion did not clear the flag");
    }

    [Fact]
    public async Task A_recording_stored_before_its_call_is_found_when_the_call_is_folded_also_by_a_legs_uniqueid()
    {
        await IngestAsync("600.2");
        await StoreCdrAsync(
            Row("600.1", "600.1", 0, "227654321", "400", "ext-queues", "Local/302@from-queue-00000001;1", "ANSWERED", 90, 80),
            Row("600.1", "600.2", 2, "227654321", "302", "from-queue", "PJSIP/302-00000006", "ANSWERED", 85, 80),
            Row("601.1", "601.1", 60, "227654321", "400", "ext-queues", "", "NO ANSWER", 40, 0));
        Assert.True(await FlagAsync("600.1"));
        Assert.False(await FlagAsync("601.1"));
    }

    [Fact]
    public async Task The_minute_job_puts_right_a_flag_that_a_crossing_left_wrong()
    {
        await StoreCdrAsync(Row("700.1", "700.1", 0, "601234567", "301", "from-trunk", "PJSIP/301-00000001", "ANSWERED", 60, 50));
        var recording = TestData.Recording(callId: "700.1");
        await TestData.AddAsync(app, recording); // stored without its audit entry: as if the arrival and the fold had crossed
        await app.WithDbAsync(db => db.Calls.ExecuteUpdateAsync(s => s.SetProperty(c => c.StartedAt, DateTime.UtcNow.AddHours(-3))));
        Assert.False(await FlagAsync("700.1"));

        await app.Services.GetRequiredService<CallSummaries>().RunAsync(CancellationToken.None);
        Assert.True(await FlagAsync("700.1"));
    }
}
