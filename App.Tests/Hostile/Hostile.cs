using FsCheck;
using FsCheck.Fluent;

namespace NagrywanieRozmow.Tests.Hostile;

/// <summary>
/// Shared pieces of the hostile-input tests. Every property runs from a fixed seed (<see cref="Seed"/>), so a failure
/// reproduces exactly; FsCheck prints the shrunk counter-example and the seed it came from.
/// </summary>
public static class Hostile
{
    /// <summary>FsCheck's replay seed for every property here: "(seed,gamma)", gamma odd.</summary>
    public const string Seed = "(20261203,1442695041)";

    /// <summary>The seed of the hand-rolled corpora (the audio files and the HTTP requests).</summary>
    public const int CorpusSeed = 20_261_203;

    /// <summary>Characters that break naive parsers: separators, quotes, control characters, digits from other scripts, surrogates.</summary>
    public static readonly char[] Nasty =
    [
        '-', '+', ' ', '.', ',', '"', '\'', '\\', '/', ':', 'T', 'Z', '%', '=', '&', '?', '#', '\0', '\t', '\r', '\n', '\u00A0',
        '٣', '۹', '१', '０', 'ą', 'ż', 'Ω', '\uD83D', '\uDE00', '\uFFFF', '_', '*', '(', ')', '[', ']', '{', '}', '<', '>', '|',
    ];

    /// <summary>Strings that are mostly digits and separators, with now and then anything at all.</summary>
    public static Gen<string> NastyString(int maxLength = 40) =>
        Gen.OneOf(
            ArbMap.Default.GeneratorFor<string>().Select(s => s ?? ""),
            Gen.Elements(Nasty.Concat("0123456789".ToCharArray()).ToArray()).ArrayOf().Select(a => new string(a.Take(maxLength).ToArray())),
            Gen.Elements("", " ", "-", "--", "0", "-0", "+1", "1e3", "0x10", "١٢٣", "99999999999999999999", "-9223372036854775808",
                "9223372036854775807", "2147483648", "NaN", "null", "undefined", "{}", "[]", "\"", "%00", "anonymous"));

    /// <summary>A text with a few random edits: characters inserted, deleted or replaced.</summary>
    public static Gen<string> Mutated(string original) =>
        Gen.Choose(0, int.MaxValue).ArrayOf().Select(choices =>
        {
            var chars = original.ToList();
            foreach (var choice in choices.Take(6))
            {
                var at = chars.Count == 0 ? 0 : choice % (chars.Count + 1);
                var c = Nasty[(choice / 7) % Nasty.Length];
                switch ((choice / 3) % 3)
                {
                    case 0: chars.Insert(at, c); break;
                    case 1 when at < chars.Count: chars.RemoveAt(at); break;
                    default: if (at < chars.Count) chars[at] = c; break;
                }
            }
            return new string(chars.ToArray());
        });

    /// <summary>Runs <paramref name="work"/> with a time limit: a hang fails the case instead of the whole run.</summary>
    public static async Task<T> WithinAsync<T>(TimeSpan limit, string what, Func<CancellationToken, Task<T>> work)
    {
        using var cts = new CancellationTokenSource();
        var task = Task.Run(() => work(cts.Token));
        if (await Task.WhenAny(task, Task.Delay(limit)) != task)
        {
            await cts.CancelAsync();
            throw new TimeoutException($"{what} did not finish within {limit.TotalSeconds} s");
        }
        return await task;
    }
}
