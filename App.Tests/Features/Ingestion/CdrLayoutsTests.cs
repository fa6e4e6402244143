using System.Text;
using Microsoft.EntityFrameworkCore;
using NagrywanieRozmow.Features.Ingestion;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Tests.Features.Ingestion;

/// <summary>
/// Master.csv in the layouts real PBXs write (PBX-FORMATS.md, Asterisk's cdr_csv.c and cdr_custom's default), read by the
/// real CdrStore and linked to real ingested recordings, with the CDR before the recording and after it.
/// </summary>
public sealed class CdrLayoutsTests : IAsyncLifetime
{
    private IngestionApp app = new();

    public Task InitializeAsync() => app.InitializeAsync();
    public async Task DisposeAsync() => await ((IAsyncLifetime)app).DisposeAsync();

    // cdr_csv with loguniqueid and loguserfield (the sample cdr.conf): 18 columns; an unanswered call's answer is a bare ",,".
    private const string RingGroupNoAnswer =
        "\"\",\"48221112233\",\"600\",\"ext-group\",\"\"\"48221112233\"\" <48221112233>\",\"PJSIP/trunk-00000011\",\"PJSIP/201-00000012\",\"Dial\",\"PJSIP/201&PJSIP/204,20,Ttr\"," +
        "\"2026-11-17 12:15:00\",,\"2026-11-17 12:15:20\",20,0,\"NO ANSWER\",\"DOCUMENTATION\",\"1794914100.7\",\"\"\n";

    // The same call's answered leg, with newcdrcolumns=yes (peeraccount, linkedid, sequence): 21 columns.
    private const string RingGroupAnswered =
        "\"\",\"48221112233\",\"600\",\"ext-group\",\"\"\"48221112233\"\" <48221112233>\",\"PJSIP/trunk-00000011\",\"PJSIP/204-00000013\",\"Dial\",\"PJSIP/201&PJSIP/204,20,Ttr\"," +
        "\"2026-11-17 12:15:00\",\"2026-11-17 12:15:04\",\"2026-11-17 12:15:28\",28,24,\"ANSWERED\",\"DOCUMENTATION\",\"1794914104.8\",\"\",\"\",\"1794914100.7\",12\n";

    // cdr_custom's default order (clid first), a systemname on the uniqueid, a queue agent reached over a Local channel.
    private const string QueueCustom =
        "\"\"\"48698765432\"\" <48698765432>\",\"48698765432\",\"400\",\"ext-queues\",\"PJSIP/trunk-00000006\",\"Local/301@from-queue-00000001;1\",\"Queue\",\"400,t\"," +
        "\"2026-11-17 08:30:12\",\"2026-11-17 08:30:15\",\"2026-11-17 08:31:13\",61,58,\"ANSWERED\",\"DOCUMENTATION\",\"\",\"pbx1-1794900612.6\",\"\",9\n";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Every_layout_links_its_call_and_names_the_phone_that_answered_whether_the_CDR_comes_first_or_last(bool cdrFirst)
    {
        await app.WithDbAsync(async db =>
        {
            db.Directory.Add(new DirectoryEntry { Extension = "301", DisplayName = "Ewa Lis", Team = "Obsługa klienta" });
            await db.SaveChangesAsync();
        });
        var cdr = app.Get<CdrStore>();
        // A caller name that is not UTF-8 (ISO-8859-2 "Łódź", as an old PBX writes it) must not cost the line.
        var latin2 = new byte[] { 0xA3, 0xF3, 0x64, 0xBC };
        var inbound = Encoding.ASCII.GetBytes("\"\",\"48601234567\",\"221234500\",\"from-trunk\",\"\"\"")
            .Concat(latin2).Concat(Encoding.ASCII.GetBytes(
                "\"\" <48601234567>\",\"PJSIP/trunk-00000003\",\"PJSIP/201-00000003\",\"Dial\",\"PJSIP/201,,Ttr\",\"2026-11-16 09:15:02\",\"2026-11-16 09:15:02\",\"2026-11-16 09:15:44\"," +
                "42,42,\"ANSWERED\",\"DOCUMENTATION\",\"1794816902.3\",\"\"\n"))
            .ToArray();
        var all = inbound.Concat(Encoding.ASCII.GetBytes(RingGroupNoAnswer + RingGroupAnswered + QueueCustom)).ToArray();

        if (cdrFirst)
        {
            await File.WriteAllBytesAsync(app.Cdr, all);
            Assert.Equal(new CdrReadResult(4, 0, 0), await cdr.ReadNewAsync(app.Cdr, CancellationToken.None));
        }
        await app.IngestAsync(app.Drop("in-221234500-48601234567-20261116-091502-1794816902.3.wav", TestData.Wav(1)));
        await app.IngestAsync(app.Drop("rg-600-48221112233-20261117-121500-1794914100.7.wav", TestData.Wav(1), "2026/11/17"));
        await app.IngestAsync(app.Drop("q-400-48698765432-20261117-083012-pbx1-1794900612.6.wav", TestData.Wav(1), "2026/11/17"));
        if (!cdrFirst)
        {
            var pending = await app.WithDbAsync(db => db.Recordings.AsNoTracking().OrderBy(r => r.CallId).ToListAsync());
            Assert.All(pending, r => Assert.Null(r.Extension));
            // The ring group's NO ANSWER row comes alone first; its ANSWERED leg, a moment later.
            await File.WriteAllBytesAsync(app.Cdr, inbound.Concat(Encoding.ASCII.GetBytes(RingGroupNoAnswer)).ToArray());
            await cdr.ReadNewAsync(app.Cdr, CancellationToken.None);
            Assert.Null((await app.WithDbAsync(db => db.Recordings.SingleAsync(r => r.CallId == "1794914100.7"))).Extension);
            await File.WriteAllBytesAsync(app.Cdr, all);
            await cdr.ReadNewAsync(app.Cdr, CancellationToken.None);
        }

        var byCall = await app.WithDbAsync(db => db.Recordings.AsNoTracking().ToDictionaryAsync(r => r.CallId));
        Assert.Equal(("201", CallType.Incoming, "221234500", "ANSWERED"),
            (byCall["1794816902.3"].Extension, byCall["1794816902.3"].Type, byCall["1794816902.3"].Did, byCall["1794816902.3"].Disposition));
        Assert.Equal(("204", CallType.Incoming, "600", "ANSWERED", false),
            (byCall["1794914100.7"].Extension, byCall["1794914100.7"].Type, byCall["1794914100.7"].Queue, byCall["1794914100.7"].Disposition, byCall["1794914100.7"].TypeIsGuess));
        Assert.Equal(("301", "Ewa Lis", CallType.Queue), (byCall["pbx1-1794900612.6"].Extension, byCall["pbx1-1794900612.6"].UserName, byCall["pbx1-1794900612.6"].Type));

        var rows = await app.WithDbAsync(db => db.CdrRecords.AsNoTracking().ToListAsync());
        Assert.Equal(4, rows.Count);
        Assert.Equal("1794914100.7", rows.Single(r => r.UniqueId == "1794914104.8").LinkedId);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<CdrProblem>().CountAsync()));
    }

    [Fact]
    public async Task A_CDR_written_in_UTC_is_placed_by_Ingestion_CdrTimeZone_and_still_links_by_uniqueid()
    {
        await ((IAsyncLifetime)app).DisposeAsync();
        app = new IngestionApp(cdrTimeZone: "UTC");
        await app.InitializeAsync();
        // usegmtime=yes: 08:15:02 in the CDR is 09:15:02 in Warsaw, the time in the file name.
        await File.WriteAllTextAsync(app.Cdr,
            "\"\",\"48601234567\",\"221234500\",\"from-trunk\",\"\"\"48601234567\"\" <48601234567>\",\"PJSIP/trunk-00000003\",\"PJSIP/202-00000003\",\"Dial\",\"PJSIP/202,,Ttr\"," +
            "\"2026-11-16 08:15:02\",\"2026-11-16 08:15:02\",\"2026-11-16 08:15:44\",42,42,\"ANSWERED\",\"DOCUMENTATION\",\"1794816902.3\",\"\"\n");
        await app.Get<CdrStore>().ReadNewAsync(app.Cdr, CancellationToken.None);
        await app.IngestAsync(app.Drop("in-221234500-48601234567-20261116-091502-1794816902.3.wav", TestData.Wav(1)));

        var row = await app.WithDbAsync(db => db.CdrRecords.AsNoTracking().SingleAsync());
        var recording = await app.WithDbAsync(db => db.Recordings.AsNoTracking().SingleAsync());
        Assert.Equal(new DateTime(2026, 11, 16, 8, 15, 2, DateTimeKind.Utc), row.StartedAt);
        Assert.Equal(row.StartedAt, recording.StartedAt);
        Assert.Equal("202", recording.Extension);
    }
}
