using System.Globalization;
using System.Text;

/// <summary>
/// A FreePBX spool with every recording type in the proportions of a small contact centre, named as the callrecording
/// module names them (<c>${ARG2}-${ARG3}-${FROMEXTEN}-…</c>: type, destination, caller) and with the CDR rows Asterisk's
/// cdr_csv writes for them (loguniqueid, loguserfield and newcdrcolumns on), so the same spool can be ingested by two builds
/// and their answers to "which way, who took it" compared.
/// </summary>
internal static class MixedSpool
{
    private static readonly string[] Dids = ["221234500", "221234600"];

    public static (int Files, int Rows) Write(string root, int count, double seconds)
    {
        var csv = new StringBuilder();
        var rows = 0;
        for (var i = 0; i < count; i++)
        {
            var local = new DateTime(2026, 11, 2, 8, 0, 0).AddDays(i % 14).AddSeconds(i * 7 % 36_000);
            var epoch = new DateTimeOffset(local, TimeSpan.FromHours(1)).ToUnixTimeSeconds(); // Europe/Warsaw in November
            var id = $"{epoch}.{i}";
            var outside = $"48601{i:D6}";
            var agent = (201 + i % 12).ToString(CultureInfo.InvariantCulture);
            var other = (201 + (i + 5) % 12).ToString(CultureInfo.InvariantCulture);
            var did = Dids[i % 2];
            var (name, callRows) = (i % 20) switch
            {
                <= 7 => ($"in-{did}-{outside}", new[] { Row(outside, did, "from-trunk", $"PJSIP/{agent}-{i:x8}", "ANSWERED", id, null, local) }),
                8 or 9 => ($"q-400-{outside}", new[]
                {
                    Row(outside, "400", "ext-queues", "", "ANSWERED", id, id, local),
                    Row(outside, "400", "from-queue", $"Local/{agent}@from-queue-{i:x8};1", "ANSWERED", $"{epoch}.{i}1", id, local.AddSeconds(4)),
                }),
                10 => ($"rg-600-{outside}", new[]
                {
                    Row(outside, "600", "ext-group", $"PJSIP/{other}-{i:x8}", "NO ANSWER", id, id, local),
                    Row(outside, "600", "ext-group", $"PJSIP/{agent}-{i:x8}", "ANSWERED", $"{epoch}.{i}2", id, local),
                }),
                <= 14 => ($"out-{outside}-{agent}", new[] { Row(agent, outside, "from-internal", $"PJSIP/trunk-{i:x8}", "ANSWERED", id, null, local) }),
                15 => ($"internal-{other}-{agent}", new[] { Row(agent, other, "from-internal", $"PJSIP/{other}-{i:x8}", "ANSWERED", id, null, local) }),
                16 or 17 => ($"external-{agent}-{outside}", new[] { Row(outside, agent, "from-trunk", $"PJSIP/{agent}-{i:x8}", "ANSWERED", id, null, local) }),
                18 => ($"ondemand-{agent}-{outside}", new[] { Row(outside, agent, "from-trunk", $"PJSIP/{agent}-{i:x8}", "ANSWERED", id, null, local) }),
                _ => ($"in-{did}-{outside}", Array.Empty<string>()), // the CDR row never came (or not yet)
            };
            var path = Path.Combine(root, "monitor", local.ToString("yyyy/MM/dd", CultureInfo.InvariantCulture),
                string.Create(CultureInfo.InvariantCulture, $"{name}-{local:yyyyMMdd-HHmmss}-{id}.wav"));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, SpoolFile.Wav(seconds, i));
            foreach (var row in callRows) csv.Append(row);
            rows += callRows.Length;
        }
        Directory.CreateDirectory(Path.Combine(root, "cdr-csv"));
        File.WriteAllText(Path.Combine(root, "cdr-csv", "Master.csv"), csv.ToString());
        return (count, rows);
    }

    /// <summary>
    /// accountcode, src, dst, dcontext, clid, channel, dstchannel, lastapp, lastdata, start, answer, end, duration, billsec,
    /// disposition, amaflags, uniqueid, userfield, peeraccount, linkedid, sequence (cdr_csv.c; an unanswered call's answer is bare).
    /// </summary>
    private static string Row(string src, string dst, string context, string dstChannel, string disposition, string uniqueId, string? linkedId, DateTime start)
    {
        var answered = disposition == "ANSWERED";
        var t = (DateTime d) => d.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        var answer = answered ? $"\"{t(start.AddSeconds(3))}\"" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"\"\",\"{src}\",\"{dst}\",\"{context}\",\"\"\"{src}\"\" <{src}>\",\"PJSIP/{src}-00000001\",\"{dstChannel}\",\"Dial\",\"\",\"{t(start)}\",{answer},\"{t(start.AddSeconds(60))}\"," +
            $"60,{(answered ? 57 : 0)},\"{disposition}\",\"DOCUMENTATION\",\"{uniqueId}\",\"\",\"\",\"{linkedId ?? uniqueId}\",1\n");
    }
}
