using Microsoft.Extensions.Localization;

namespace NagrywanieRozmow.Core;

/// <summary>
/// A refusal that names what was wrong: <see cref="Message"/> in English for the API and the logs, <see cref="Key"/> and
/// <see cref="Args"/> for a page to say the same in the reader's language.
/// </summary>
public sealed record Problem(string Key, string Message, params object[] Args)
{
    public override string ToString() => Message;

    /// <summary>The problem in the reader's language, or the English message when the localizer has no such key.</summary>
    public string In(IStringLocalizer l) => l[Key, Args] is { ResourceNotFound: false } text ? text.Value : Message;
}
