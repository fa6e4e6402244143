using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NagrywanieRozmow.Features.Calls;
using NagrywanieRozmow.Features.Ingestion;
using NagrywanieRozmow.Tests.Features.Ingestion;

namespace NagrywanieRozmow.Tests.Features.Calls;

/// <summary>The call history follows Master.csv as the CDR reader stores it: a ring group's legs arriving one by one make one call.</summary>
public sealed class CallsFromCdrTests : IAsyncLifetime
{
    private readonly IngestionApp app = new();

    public Task InitializeAsync() => app.InitializeAsync();
    public async Task DisposeAsync() => await ((IAsyncLifetime)app).DisposeAsync();

    // cdr_csv with loguniqueid (18 columns, no linkedid): the ring group's first phone did not answer.
    private const string RingGroupNoAnswer =
        "\"\",\"48221112233\",\"600\",\"ext-group\",\"\"\"48221112233\"\" <48221112233>\",\"PJSIP/trunk-00000011\",\"PJSIP/201-00000012\",\"Dial\",\"PJSIP/201&PJSIP/204,20,Ttr\"," +
        "\"2026-11-17 12:15:00\",,\"2026-11-17 12:15:20\",20,0,\"NO ANSWER\",\"DOCUMENTATION\",\"1794914100.7\",\"\"\n";

    // The same call's answered leg with newcdrcolumns=yes: its linkedid is the first leg's uniqueid.
    private const string RingGroupAnswered =
        "\"\",\"48221112233\",\"600\",\"ext-group\",\"\"\"48221112233\"\" <48221112233>\",\"PJSIP/trunk-00000011\",\"PJSIP/204-00000013\",\"Dial\",\"PJSIP/201&PJSIP/204,20,Ttr\"," +
        "\"2026-11-17 12:15:00\",\"2026-11-17 12:15:04\",\"2026-11-17 12:15:28\",28,24,\"ANSWERED\",\"DOCUMENTATION\",\"1794914104.8\",\"\",\"\",\"1794914100.7\",12\n";

    [Fact]
    public async Task Each_CDR_chunk_read_updates_the_call_and_a_later_leg_turns_a_missed_call_into_an_answered_one()
    {
        var cdr = app.Get<CdrStore>();
        await File.WriteAllTextAsync(app.Cdr, RingGroupNoAnswer);
        await cdr.ReadNewAsync(app.Cdr, CancellationToken.None);

        var missed = await app.WithDbAsync(db => db.Calls.AsNoTracking().SingleAsync());
        Assert.Equal(("1794914100.7", CallDisposition.NoAnswer, null, 1), (missed.LinkedId, missed.Disposition, missed.Extension, missed.Legs));

        await File.AppendAllTextAsync(app.Cdr, RingGroupAnswered);
        await cdr.ReadNewAsync(app.Cdr, CancellationToken.None);

        var answered = await app.WithDbAsync(db => db.Calls.AsNoTracking().SingleAsync());
        Assert.Equal(missed.Id, answered.Id);
        Assert.Equal((CallDisposition.Answered, "204", 2, 24), (answered.Disposition, answered.Extension, answered.Legs, answered.TalkSeconds));
        Assert.Equal("48221112233", answered.CallerDigits);
    }

    [Fact]
    public async Task A_CDR_stored_before_the_call_history_existed_is_folded_by_the_job()
    {
        await app.WithDbAsync(async db =>
        {
            db.CdrRecords.Add(CallBuilderTests.Row("77.1", "77.1", 0, "601234567", "221234500", "from-trunk", "", "BUSY", 5, 0));
            await db.SaveChangesAsync();
        });
        await app.Get<CallSummaries>().RunAsync(CancellationToken.None);

        var call = await app.WithDbAsync(db => db.Calls.AsNoTracking().SingleAsync(c => c.LinkedId == "77.1"));
        Assert.Equal(CallDisposition.Busy, call.Disposition);
    }
}

public sealed class CallRecordOptionsTests
{
    private sealed class NoCallRecordsApp : AppFactory
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Retention:CallRecordDays"] = "0" };
    }

    [Fact]
    public async Task A_call_record_retention_of_zero_days_stops_the_start_naming_the_setting()
    {
        await using var app = new NoCallRecordsApp();
        var error = await Assert.ThrowsAsync<OptionsValidationException>(app.InitializeAsync);
        Assert.Contains("Retention:CallRecordDays", error.Message);
    }
}
