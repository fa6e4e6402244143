using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NagrywanieRozmow.Features.Ingestion;

namespace NagrywanieRozmow.Tests.Hostile;

/// <summary>The spool's file names come from caller IDs, which the caller chooses: the parser must take anything.</summary>
public sealed class FreePbxFileNameProperties
{
    private static readonly TimeZoneInfo Warsaw = TimeZoneInfo.FindSystemTimeZoneById("Europe/Warsaw");

    /// <summary>Zones at both ends of the offsets, where a date at the edge of DateTime's range falls outside it in UTC.</summary>
    private static readonly TimeZoneInfo[] Zones =
        [Warsaw, TimeZoneInfo.Utc, TimeZoneInfo.FindSystemTimeZoneById("Pacific/Kiritimati"), TimeZoneInfo.FindSystemTimeZoneById("Etc/GMT+12")];

    public sealed record Parts(string Type, string To, string From, DateTime Local, string UniqueId, string Extension)
    {
        public string Name => $"{Type}-{To}-{From}-{Local:yyyyMMdd}-{Local:HHmmss}-{UniqueId}.{Extension}";
        public override string ToString() => Name;
    }

    private static readonly string[] Types = ["in", "out", "internal", "external", "q", "rg", "ondemand", "generic", "parked", "exten"];

    private static Gen<string> Digits(int min, int max) =>
        Gen.Choose(min, max).SelectMany(n => Gen.Elements("0123456789".ToCharArray()).ArrayOf(n)).Select(a => new string(a));

    /// <summary>An extension, queue or ring group: digits, never a dash.</summary>
    private static readonly Gen<string> InternalParty = Digits(2, 6);

    /// <summary>A caller ID as a PBX writes it: digits with '+', '-' and spaces, "anonymous", names, even date-like runs.</summary>
    private static readonly Gen<string> OutsideParty = Gen.OneOf(
        Gen.Elements("anonymous", "Anonymous", "unknown", "+48 601-234-567", "0048-22-765-43-21", "Jan Kowalski", "Łódź-Centrala",
            "601-20261116-091502", "-48", "48-"),
        Gen.Elements("0123456789+- ".ToCharArray()).ArrayOf().Select(a => new string(a)))
        .Select(s => s.Trim()).Where(s => s.Length > 0);

    private static readonly Gen<DateTime> LocalTimes =
        Gen.Choose(2001, 2099).SelectMany(y => Gen.Choose(1, 12).SelectMany(m => Gen.Choose(1, DateTime.DaysInMonth(y, m)).SelectMany(d =>
            Gen.Choose(0, 86_399).Select(s => new DateTime(y, m, d, 0, 0, 0).AddSeconds(s)))));

    /// <summary>
    /// The FreePBX name of a call. The uniqueid's epoch is near the named time (as Asterisk writes it), optionally after a
    /// system name; the name never holds a second "-YYYYMMDD-HHMMSS-" after the parties, which would make any parse ambiguous.
    /// </summary>
    private static readonly Gen<Parts> ValidNames =
        from type in Gen.Elements(Types)
        from inside in InternalParty
        from outside in OutsideParty
        from other in InternalParty
        from local in LocalTimes
        from drift in Gen.Choose(-7200, 7200)
        from sequence in Gen.Choose(0, 99_999)
        from system in Gen.Elements("", "", "pbx-", "pbx-1-", "asterisk01-")
        from ext in Gen.Elements("wav", "WAV", "gsm", "mp3", "ogg")
        let epoch = (long)(local - DateTime.UnixEpoch).TotalSeconds + drift
        let to = type == "out" ? outside : inside
        let caller = type == "out" ? inside : type == "internal" ? other : outside
        select new Parts(type, to, caller, local, $"{system}{epoch}.{sequence}", ext);

    [Property(MaxTest = 1000, Replay = Hostile.Seed)]
    public Property A_name_built_from_valid_parts_parses_back_to_those_parts() => Prop.ForAll(ValidNames.ToArbitrary(), parts =>
    {
        Assert.True(FreePbxFileName.TryParse(parts.Name, Warsaw, out var name, out var error), error);
        Assert.Equal((parts.Type, parts.To, parts.From, parts.Local, parts.UniqueId, parts.Extension),
            (name!.Type, name.To, name.From, name.LocalStart, name.UniqueId, name.Extension));
        Assert.Equal(DateTimeKind.Utc, name.StartedAtUtc.Kind);
        Assert.Equal(FreePbxFileName.CallTypeOf(parts.Type), name.CallType);
        // The extension the name names: the caller of out and internal, the callee of external; for in/q/rg "to" is a DID,
        // queue or ring group, and the rest take their direction from the CDR, so the name names none.
        var expectedInternal = parts.Type switch { "out" or "internal" => parts.From, "external" => parts.To, _ => null };
        Assert.Equal(expectedInternal, name.InternalParty);
        // Back in PBX time it is the time in the name (in the hour the spring change skips, the clock had already moved on).
        var local = TimeZoneInfo.ConvertTimeFromUtc(name.StartedAtUtc, Warsaw);
        Assert.Equal(Warsaw.IsInvalidTime(parts.Local) ? parts.Local.AddHours(1) : parts.Local, local);
    });

    [Property(MaxTest = 300, Replay = Hostile.Seed)]
    public Property A_name_in_a_folder_parses_as_the_bare_name() => Prop.ForAll(ValidNames.ToArbitrary(), parts =>
    {
        FreePbxFileName.TryParse(parts.Name, Warsaw, out var bare, out _);
        FreePbxFileName.TryParse($"/var/spool/asterisk/monitor/{parts.Local:yyyy/MM/dd}/{parts.Name}", Warsaw, out var nested, out _);
        Assert.Equal(bare, nested);
    });

    /// <summary>Any text at all, and valid names with a few characters inserted, deleted or replaced.</summary>
    private static readonly Gen<string> AnyName = Gen.OneOf(
        Hostile.NastyString(120),
        ValidNames.SelectMany(p => Hostile.Mutated(p.Name)),
        // Dates and times at the ends of DateTime's range, and impossible ones.
        from type in Gen.Elements(Types)
        from date in Gen.Elements("00010101", "99991231", "20261332", "20260230", "00000000", "20261116")
        from time in Gen.Elements("000000", "235959", "240000", "236060", "091502")
        from unique in Gen.Elements("1794816902.2", "0.0", "99999999999.1", "-1.1", "pbx-1-1794816902.17", ".", "1")
        select $"{type}-201-48601234567-{date}-{time}-{unique}.wav");

    [Property(MaxTest = 3000, Replay = Hostile.Seed)]
    public Property Any_text_parses_or_is_refused_with_a_reason_in_any_zone() =>
        Prop.ForAll(AnyName.ToArbitrary(), Gen.Elements(Zones).ToArbitrary(), (text, zone) =>
        {
            var parsed = FreePbxFileName.TryParse(text, zone, out var name, out var error);
            Assert.Equal(parsed, name is not null);
            Assert.Equal(parsed, error is null);
            if (!parsed) return;
            Assert.Equal(DateTimeKind.Utc, name!.StartedAtUtc.Kind);
            Assert.True(name.To.Length > 0 && name.From.Length > 0);
            Assert.EndsWith("." + name.Extension, text);
        });

    [Property(MaxTest = 1000, Replay = Hostile.Seed)]
    public Property Parsing_is_idempotent_a_parsed_name_rebuilt_parses_to_the_same_name() =>
        Prop.ForAll(AnyName.ToArbitrary(), text =>
        {
            if (!FreePbxFileName.TryParse(text, Warsaw, out var first, out _)) return;
            var rebuilt = $"{first!.Type}-{first.To}-{first.From}-{first.LocalStart:yyyyMMdd}-{first.LocalStart:HHmmss}-{first.UniqueId}.{first.Extension}";
            Assert.True(FreePbxFileName.TryParse(rebuilt, Warsaw, out var second, out var error), $"'{rebuilt}' (from '{text}'): {error}");
            Assert.Equal(first, second);
        });

    [Theory]
    [InlineData("in-201-48601234567-00010101-000000-1794816902.2.wav")]
    [InlineData("in-201-48601234567-99991231-235959-1794816902.2.wav")]
    public void A_date_at_the_edge_of_the_calendar_is_refused_or_parsed_never_thrown(string text)
    {
        foreach (var zone in Zones)
        {
            var parsed = FreePbxFileName.TryParse(text, zone, out var name, out var error);
            Assert.True(parsed ? name is not null : error is { Length: > 0 }, zone.Id);
        }
    }
}
