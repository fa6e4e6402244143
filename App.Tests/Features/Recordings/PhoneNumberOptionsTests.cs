using Microsoft.Extensions.Options;
using NagrywanieRozmow.Features.Recordings;

namespace NagrywanieRozmow.Tests.Features.Recordings;

public sealed class PhoneNumberOptionsTests
{
    private sealed class BadRegionApp : AppFactory
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["PhoneNumbers:DefaultRegion"] = "Poland" };
    }

    [Fact]
    public async Task A_bad_region_stops_the_start_naming_the_setting()
    {
        await using var app = new BadRegionApp();
        var error = await Assert.ThrowsAsync<OptionsValidationException>(app.InitializeAsync);
        Assert.Contains("PhoneNumbers:DefaultRegion", error.Message);
        Assert.Contains("'Poland'", error.Message);
    }

    [Theory]
    [InlineData("PL", new string[0], true)]
    [InlineData("DE", new[] { "0" }, true)]
    [InlineData("PL", new[] { "0", "9" }, true)]
    [InlineData("pl", new string[0], false)]
    [InlineData("XX", new string[0], false)]
    [InlineData("PL", new[] { "0a" }, false)]
    [InlineData("PL", new[] { "" }, false)]
    public void Settings_are_checked(string region, string[] prefixes, bool valid)
    {
        var options = new PhoneNumberOptions { DefaultRegion = region, OutsideLinePrefixes = [.. prefixes] };
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        Assert.Equal(valid, System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, validateAllProperties: true));
    }
}
