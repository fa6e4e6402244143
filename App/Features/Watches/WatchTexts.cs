namespace NagrywanieRozmow.Features.Watches;

/// <summary>Marker for the watches' texts (WatchesText.resx: Polish; WatchesText.en.resx: English).</summary>
public sealed class WatchesText;

public static class WatchTexts
{
    /// <summary>"numer 601234", "sprawa REK-1", "wewnętrzny 201": what a watch is about, for the e-mail.</summary>
    public static string DescribePolish(WatchKind kind, string value) => kind switch
    {
        WatchKind.Number => $"numer {value}",
        WatchKind.Case => $"sprawa {value}",
        WatchKind.Restored => "przywrócone z archiwum",
        _ => $"numer wewnętrzny {value}",
    };
}
