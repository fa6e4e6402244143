using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace NagrywanieRozmow.Core;

/// <summary>
/// <c>App:PublicUrl</c>: the panel's address as people and other systems open it (e.g. https://nagrania.firma.pl), for the
/// links that leave the panel (e-mails, webhooks). Without it links are relative to the panel.
/// </summary>
public sealed class PublicUrlOptions
{
    [RegularExpression(@"^https?://[^\s/?#]+(/[^\s?#]*)?$", ErrorMessage = "App:PublicUrl must be an http(s) address such as https://nagrania.firma.pl.")]
    public string? PublicUrl { get; set; }

    /// <summary>An absolute link when <see cref="PublicUrl"/> is set, else one relative to the panel.</summary>
    public string LinkTo(string path) => (PublicUrl?.TrimEnd('/') ?? "") + path;

    /// <summary>A recording's page: its permalink.</summary>
    public string RecordingLink(long recordingId) => LinkTo("/recordings/" + recordingId.ToString(CultureInfo.InvariantCulture));
}
