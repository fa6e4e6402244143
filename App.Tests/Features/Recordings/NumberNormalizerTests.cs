using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NagrywanieRozmow.Features.Recordings;
using TestData = NagrywanieRozmow.Tests.Infrastructure.TestData;

namespace NagrywanieRozmow.Tests.Features.Recordings;

public sealed class NumberNormalizerTests
{
    private static readonly NumberNormalizer Poland = TestData.NumbersFor("PL");
    private static readonly NumberNormalizer PolandOutsideLine = TestData.NumbersFor("PL", "0", "9");
    private static readonly NumberNormalizer Germany = TestData.NumbersFor("DE");
    private static readonly NumberNormalizer GermanyOutsideLine = TestData.NumbersFor("DE", "0");

    [Theory]
    [InlineData("601234567", "48601234567")]
    [InlineData("601 234 567", "48601234567")]
    [InlineData("0048601234567", "48601234567")]
    [InlineData("+48 601-234-567", "48601234567")]
    [InlineData("48601234567", "48601234567")]
    [InlineData("(22) 765-43-21", "48227654321")]
    [InlineData("+1 212 555 0100", "12125550100")]
    [InlineData("001 212 555 0100", "12125550100")]
    [InlineData("+44 20 7946 0958", "442079460958")]
    [InlineData("+49 30 1234567", "49301234567")]
    [InlineData("0049 151 23456789", "4915123456789")]
    [InlineData("201", "201")]
    [InlineData("400", "400")]
    [InlineData("112", "112")]
    [InlineData("7000", "7000")]
    [InlineData("anonymous", "")]
    [InlineData("", "")]
    [InlineData(null, "")]
    // No outside-line prefix configured: a leading 0 is not stripped, the digits stay as written.
    [InlineData("0601234567", "0601234567")]
    public void Poland_without_outside_line_prefixes(string? written, string stored) => Assert.Equal(stored, Poland.Normalize(written));

    [Theory]
    [InlineData("0601234567", "48601234567")]
    [InlineData("0 22 765 43 21", "48227654321")]
    [InlineData("9 0048601234567", "48601234567")]
    [InlineData("9601234567", "48601234567")]
    [InlineData("0 0048601234567", "48601234567")]
    [InlineData("0 001 212 555 0100", "12125550100")]
    [InlineData("601234567", "48601234567")]
    [InlineData("+48 601-234-567", "48601234567")]
    [InlineData("0048601234567", "48601234567")]
    [InlineData("+44 20 7946 0958", "442079460958")]
    [InlineData("201", "201")]
    [InlineData("912", "912")]
    [InlineData("112", "112")]
    public void Poland_with_outside_line_prefixes_0_and_9(string written, string stored) => Assert.Equal(stored, PolandOutsideLine.Normalize(written));

    [Theory]
    [InlineData("030 1234567", "49301234567")]
    [InlineData("030/1234567", "49301234567")]
    [InlineData("0151 23456789", "4915123456789")]
    [InlineData("+49 30 1234567", "49301234567")]
    [InlineData("0049 30 1234567", "49301234567")]
    [InlineData("0048 601 234 567", "48601234567")]
    [InlineData("+1 212 555 0100", "12125550100")]
    [InlineData("201", "201")]
    public void Germany_reads_the_trunk_prefix(string written, string stored) => Assert.Equal(stored, Germany.Normalize(written));

    [Theory]
    // "0" is both the outside line and the trunk prefix: a number valid as written keeps its trunk reading.
    [InlineData("030 1234567", "49301234567")]
    [InlineData("0 030 1234567", "49301234567")]
    [InlineData("0 0048 601 234 567", "48601234567")]
    [InlineData("0049 30 1234567", "49301234567")]
    [InlineData("0151 23456789", "4915123456789")]
    public void Germany_with_outside_line_prefix_0_strips_it_only_when_the_number_needs_it(string written, string stored) =>
        Assert.Equal(stored, GermanyOutsideLine.Normalize(written));

    [Fact]
    public void Written_forms_are_what_a_pbx_writes_and_each_normalises_back()
    {
        var forms = PolandOutsideLine.WrittenForms("48601234567");
        Assert.Superset(new HashSet<string> { "48601234567", "0048601234567", "601234567", "0601234567", "9601234567", "90048601234567", "00048601234567" }, forms.ToHashSet());
        Assert.All(forms, f => Assert.Equal("48601234567", PolandOutsideLine.Normalize(f)));
        Assert.DoesNotContain("0601234567", Poland.WrittenForms("48601234567"));
    }

    [Fact]
    public void The_fingerprint_changes_with_the_settings_and_not_with_their_order()
    {
        Assert.Equal(TestData.NumbersFor("PL", "9", "0").Fingerprint, PolandOutsideLine.Fingerprint);
        Assert.Equal(3, new[] { Poland.Fingerprint, PolandOutsideLine.Fingerprint, Germany.Fingerprint }.Distinct().Count());
    }

    private static readonly string[] Mobile = ["501", "509", "601", "604", "660", "691", "721", "790", "881"];

    /// <summary>A Polish, German or foreign number, or an extension, in one of the ways PBXs write them, separators and prefixes included.</summary>
    private static readonly Gen<string> Written =
        Gen.OneOf(
            Gen.Elements(Mobile).SelectMany(p => Gen.Choose(0, 999_999).Select(n => p + n.ToString("000000", System.Globalization.CultureInfo.InvariantCulture)))
                .SelectMany(national => Gen.Elements(national, "48" + national, "+48" + national, "0048" + national, "0" + national, "9" + national, "90048" + national)),
            Gen.Elements("+49 30 1234567", "0049 151 23456789", "+1 212 555 0100", "001 212 555 0100", "+44 20 7946 0958", "+420 601 123 456"),
            Gen.Choose(100, 99_999).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Gen.Elements("anonymous", "", "+", "00", "0"))
        .SelectMany(number => Gen.Elements("", " ", "-").Select(separator => number.Length > 4 ? number.Insert(number.Length - 3, separator) : number));

    [Property(MaxTest = 500)]
    public Property Normalising_twice_changes_nothing() => Prop.ForAll(Written.ToArbitrary(), written =>
        new[] { Poland, PolandOutsideLine, Germany, GermanyOutsideLine }.All(n => n.Normalize(n.Normalize(written)) == n.Normalize(written)));
}
