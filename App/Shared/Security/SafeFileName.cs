using System.Text;
using Microsoft.Net.Http.Headers;

namespace NagrywanieRozmow.Shared.Security;

/// <summary>
/// `Content-Disposition: attachment` for a file name that may hold anything a caller put into a case number or a phone
/// number: control characters (CR/LF would split the header), quotes, backslashes, slashes and non-ASCII. The plain
/// `filename` gets an ASCII-only version, `filename*` (RFC 5987) the readable UTF-8 one.
/// </summary>
public static class SafeFileName
{
    public static string Attachment(string fileName)
    {
        var readable = Clean(fileName, asciiOnly: false);
        return new ContentDispositionHeaderValue("attachment") { FileName = Clean(fileName, asciiOnly: true), FileNameStar = readable }.ToString();
    }

    /// <summary>The name with every character that could break the header or a path replaced by `_`.</summary>
    public static string Clean(string fileName, bool asciiOnly)
    {
        var builder = new StringBuilder(fileName.Length);
        foreach (var c in fileName.Normalize(NormalizationForm.FormC))
            builder.Append(char.IsControl(c) || c is '"' or '\\' or '/' or ':' or ';' or '*' or '?' or '<' or '>' or '|' or '%'
                || char.IsSurrogate(c) || (asciiOnly && c > '~') ? '_' : c);
        var name = builder.ToString().Trim(' ', '.');
        return name.Length == 0 ? "download" : name;
    }
}
