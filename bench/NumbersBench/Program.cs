using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using NagrywanieRozmow.Features.Recordings;

// Normalises 100,000 numbers written the ways PBXs write them (national, +48, 0048, outside-line prefix, foreign,
// extensions) with region PL and outside-line prefix 0, the costliest setting (a prefix means a second parse).
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var numbers = new NumberNormalizer(Options.Create(new PhoneNumberOptions { DefaultRegion = "PL", OutsideLinePrefixes = ["0"] }));
var random = new Random(7);
string[] foreign = ["+1 212 555 0100", "+44 20 7946 0958", "+49 30 1234567", "+420 601 123 456"];
var written = Enumerable.Range(0, count).Select(_ =>
{
    var national = "6" + random.Next(0, 100_000_000).ToString("00000000", CultureInfo.InvariantCulture);
    return random.Next(8) switch
    {
        0 => national, 1 => "+48 " + national, 2 => "48" + national, 3 => "0048" + national, 4 => "0" + national,
        5 => foreign[random.Next(foreign.Length)], 6 => (200 + random.Next(100)).ToString(CultureInfo.InvariantCulture), _ => "+48" + national,
    };
}).ToArray();

foreach (var w in written.Take(2_000)) numbers.Normalize(w);
var before = GC.GetAllocatedBytesForCurrentThread();
var watch = Stopwatch.StartNew();
var total = 0L;
foreach (var w in written) total += numbers.Normalize(w).Length;
watch.Stop();
Console.WriteLine($"normalised {count:N0} numbers in {watch.Elapsed.TotalMilliseconds:N0} ms: {count / watch.Elapsed.TotalSeconds:N0}/s, "
    + $"{watch.Elapsed.TotalMicroseconds / count:0.0} µs each, {(GC.GetAllocatedBytesForCurrentThread() - before) / count:N0} B allocated each (checksum {total})");
