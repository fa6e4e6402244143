// Ingestion benchmark helpers for bench/ingest.sh.
//   spool --out DIR --files N [--seconds 2] [--first 0]      writes N FreePBX spool WAVs (8 kHz 16-bit mono PCM), pure C#
//   mix --out DIR --files N [--seconds 1]                    writes a FreePBX spool of every recording type as the callrecording
//       module names them (in-<DID>, q-<queue>, rg-<group>, out, internal, external-<ext>, ondemand) under DIR/monitor, and the
//       calls' rows in DIR/cdr-csv/Master.csv as cdr_csv writes them (ring groups with a NO ANSWER leg, queue agents over
//       Local/…@from-queue channels, 5 % of the calls with no row); see MixedSpool
//   lag --url URL --key KEY --spool DIR [--files 30] [--interval-ms 1000] [--first 0] [--timeout-s 180]
//       lands files one by one in a watched spool (written under a hidden temp name, then renamed into place, as a PBX
//       finishing a file would) and polls GET /api/v1/recordings?callId= until each is visible; prints lag p50/p95/max
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

var verb = args.FirstOrDefault();
var options = ParseArgs(args.Skip(1).ToArray());
int Int(string name, int fallback) => options.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

switch (verb)
{
    case "spool":
    {
        var watch = Stopwatch.StartNew();
        var count = Int("files", 1000);
        var seconds = options.TryGetValue("seconds", out var s) ? double.Parse(s, CultureInfo.InvariantCulture) : 2;
        long bytes = 0;
        for (var i = Int("first", 0); i < Int("first", 0) + count; i++)
        {
            var file = SpoolFile.Of(i, seconds);
            var path = Path.Combine(options["out"], file.RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, file.Bytes);
            bytes += file.Bytes.Length;
        }
        Console.WriteLine($"wrote {count} WAVs ({seconds:0.#} s, 8 kHz 16-bit mono; {bytes / 1024.0 / 1024.0:0.0} MB) in {watch.Elapsed.TotalSeconds:0.0} s");
        return 0;
    }
    case "mix":
    {
        var watch = Stopwatch.StartNew();
        var (files, rows) = MixedSpool.Write(options["out"], Int("files", 10_000), options.TryGetValue("seconds", out var m) ? double.Parse(m, CultureInfo.InvariantCulture) : 1);
        Console.WriteLine($"wrote {files} recordings and {rows} CDR rows in {watch.Elapsed.TotalSeconds:0.0} s");
        return 0;
    }
    case "lag":
        return await LagAsync(new Uri(options["url"]), options["key"], options["spool"], Int("files", 30), Int("interval-ms", 1000), Int("first", 0), Int("timeout-s", 180));
    default:
        Console.Error.WriteLine("usage: IngestBench spool|lag …  (see the top of Program.cs)");
        return 2;
}

static async Task<int> LagAsync(Uri url, string key, string spool, int count, int intervalMs, int first, int timeoutSeconds)
{
    using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(10) };
    http.DefaultRequestHeaders.Add("X-Api-Key", key);
    var clock = Stopwatch.StartNew();
    var landed = new Dictionary<string, TimeSpan>();
    var lags = new Dictionary<string, TimeSpan>();
    var dropping = Task.Run(async () =>
    {
        for (var i = first; i < first + count; i++)
        {
            var file = SpoolFile.Of(i, 2);
            var path = Path.Combine(spool, file.RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temp = Path.Combine(Path.GetDirectoryName(path)!, "." + Path.GetFileName(path) + ".part");
            await File.WriteAllBytesAsync(temp, file.Bytes);
            File.Move(temp, path);
            lock (landed) landed[file.CallId] = clock.Elapsed;
            await Task.Delay(intervalMs);
        }
    });
    var deadline = TimeSpan.FromSeconds(timeoutSeconds);
    while (lags.Count < count && clock.Elapsed < deadline)
    {
        KeyValuePair<string, TimeSpan>[] pending;
        lock (landed) pending = landed.Where(l => !lags.ContainsKey(l.Key)).ToArray();
        foreach (var (callId, at) in pending)
        {
            using var response = await http.GetAsync($"/api/v1/recordings?callId={Uri.EscapeDataString(callId)}");
            var body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"search → {(int)response.StatusCode}: {body}");
            if (JsonDocument.Parse(body).RootElement.GetProperty("items").GetArrayLength() > 0) lags[callId] = clock.Elapsed - at;
        }
        await Task.Delay(100);
    }
    await dropping;
    var sorted = lags.Values.Select(l => l.TotalSeconds).Order().ToList();
    var missing = count - sorted.Count;
    if (sorted.Count == 0)
    {
        Console.WriteLine($"none of {count} files became visible within {timeoutSeconds} s");
        return 1;
    }
    var p95 = sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * 0.95))];
    var notVisible = missing > 0 ? $"; {missing} not visible within {timeoutSeconds} s" : "";
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{count} files landed {intervalMs} ms apart: lag p50 {sorted[sorted.Count / 2]:0.00} s, p95 {p95:0.00} s, max {sorted[^1]:0.00} s, min {sorted[0]:0.00} s{notVisible}"));
    Console.WriteLine("lags (s, in landing order): " + string.Join(" ", landed.OrderBy(l => l.Value)
        .Select(l => lags.TryGetValue(l.Key, out var lag) ? lag.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) : "-")));
    return missing > 0 ? 1 : 0;
}

static Dictionary<string, string> ParseArgs(string[] args)
{
    var result = new Dictionary<string, string>();
    for (var i = 0; i + 1 < args.Length; i += 2) result[args[i].TrimStart('-')] = args[i + 1];
    return result;
}

/// <summary>One FreePBX recording: name `in-&lt;to&gt;-&lt;from&gt;-YYYYMMDD-HHMMSS-&lt;uniqueid&gt;.wav` under YYYY/MM/DD, distinct content per index.</summary>
internal sealed record SpoolFile(string RelativePath, string CallId, byte[] Bytes)
{
    public static SpoolFile Of(int index, double seconds)
    {
        var local = new DateTime(2026, 11, 2, 8, 0, 0).AddDays(index % 14).AddSeconds(index * 7 % 36_000);
        var epoch = new DateTimeOffset(local, TimeSpan.FromHours(1)).ToUnixTimeSeconds(); // Europe/Warsaw in November
        var callId = $"{epoch}.{index}";
        var name = string.Create(CultureInfo.InvariantCulture, $"in-{200 + index % 40}-48601{index:D6}-{local:yyyyMMdd-HHmmss}-{callId}.wav");
        return new SpoolFile(Path.Combine(local.ToString("yyyy/MM/dd", CultureInfo.InvariantCulture), name), callId, Wav(seconds, index));
    }

    public static byte[] Wav(double seconds, int seed, int sampleRate = 8000)
    {
        var samples = (int)(seconds * sampleRate);
        var random = new Random(seed);
        var frequency = 300 + seed % 1500;
        var bytes = new byte[44 + samples * 2];
        using var w = new BinaryWriter(new MemoryStream(bytes));
        w.Write("RIFF"u8); w.Write(36 + samples * 2); w.Write("WAVE"u8);
        w.Write("fmt "u8); w.Write(16); w.Write((short)1); w.Write((short)1); w.Write(sampleRate); w.Write(sampleRate * 2); w.Write((short)2); w.Write((short)16);
        w.Write("data"u8); w.Write(samples * 2);
        for (var i = 0; i < samples; i++) w.Write((short)(Math.Sin(2 * Math.PI * frequency * i / sampleRate) * 6000 + random.Next(-500, 500)));
        return bytes;
    }
}
