using Microsoft.Extensions.Primitives;
using NagrywanieRozmow.Shared;

namespace NagrywanieRozmow.Tests.Shared;

public sealed class QueryReaderTests
{
    private static QueryReader Read(params (string Key, string[] Values)[] pairs) =>
        new(pairs.Select(p => new KeyValuePair<string, StringValues>(p.Key, new StringValues(p.Values))));

    [Fact]
    public void A_field_given_twice_with_a_bad_value_names_both_problems()
    {
        var read = Read(("pageSize", ["abc", "5"]));
        Assert.Null(read.Whole("pageSize", 1, 200));
        Assert.Equal(["'pageSize' may be given once.", "'pageSize' must be a whole number from 1 to 200, not 'abc'."], read.Errors["pageSize"]);
    }

    [Fact]
    public void Names_are_read_in_any_case_and_an_unknown_one_is_named()
    {
        var read = Read(("NUMBER", [" 601 "]), ("colour", ["red"]));
        Assert.Equal("601", read.One("number"));
        read.RejectUnknown(["number"], name => $"'{name}' is not a search field.");
        Assert.Equal(["colour"], read.Errors.Keys);
    }

    [Fact]
    public void A_list_may_be_repeated_or_comma_separated()
    {
        var read = Read(("type", ["Incoming, Queue", "Ivr"]));
        Assert.Equal(["Incoming", "Queue", "Ivr"], read.Many("type"));
        Assert.Empty(read.Errors);
    }
}
