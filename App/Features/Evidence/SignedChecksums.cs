using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NagrywanieRozmow.Shared.Zip;

namespace NagrywanieRozmow.Features.Evidence;

/// <summary>
/// What makes a ZIP checkable with openssl alone: <c>manifest.sha256</c> lists every file's SHA-256 in the format
/// <c>sha256sum -c</c> reads, <c>manifest.sig</c> is the ECDSA P-256 signature of that list (DER, as
/// <c>openssl dgst -sha256 -verify</c> expects), <c>signing-key.pem</c> a copy of the public key and <c>VERIFY.md</c> the steps.
/// Evidence packages and data-subject receipts are sealed the same way, so `evidence verify` reads both.
/// </summary>
public static class SignedChecksums
{
    public const string SumsName = "manifest.sha256", SignatureName = "manifest.sig", KeyName = "signing-key.pem", GuideName = "VERIFY.md";

    /// <summary>Adds VERIFY.md and signing-key.pem (to the items and to the files the list will name).</summary>
    public static void AddGuide(List<ZipItem> items, List<EvidenceFile> files, EvidencePublicKey key, string what, string? publicKeyUrl, DateTime local)
    {
        Add(items, files, GuideName, Encoding.UTF8.GetBytes(Guide(key, what, publicKeyUrl)), local);
        Add(items, files, KeyName, Encoding.ASCII.GetBytes(key.Pem), local);
    }

    /// <summary>Adds the list of <paramref name="files"/> (each already among the items) and its signature.</summary>
    public static void Seal(List<ZipItem> items, IReadOnlyList<EvidenceFile> files, EvidenceSigner signer, DateTime local)
    {
        var sums = Encoding.UTF8.GetBytes(Write(files.Select(f => (f.Name, f.Sha256))));
        items.Add(ZipItem.Bytes(SumsName, sums, local));
        items.Add(ZipItem.Bytes(SignatureName, signer.Sign(sums), local));
    }

    public static void Add(List<ZipItem> items, List<EvidenceFile> files, string name, byte[] bytes, DateTime local)
    {
        files.Add(new EvidenceFile(name, Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.Length));
        items.Add(ZipItem.Bytes(name, bytes, local));
    }

    /// <summary>Lines as sha256sum writes them: 64 hex digits, two spaces, the path.</summary>
    public static string Write(IEnumerable<(string Name, string Sha256)> files) =>
        string.Concat(files.Select(f => f.Name.Contains('\n') || f.Name.Contains('\\')
            ? throw new ArgumentException($"'{f.Name}' cannot be listed for sha256sum.") : $"{f.Sha256}  {f.Name}\n"));

    /// <summary>The list's names and hashes, or null with the line that is not in sha256sum's format.</summary>
    public static (Dictionary<string, string>? Files, string? Problem) Parse(string text)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n').Where(l => l.Length > 0))
        {
            if (line.Length < 67 || line[64] != ' ' || line[65] is not (' ' or '*') || !line[..64].All(char.IsAsciiHexDigitLower))
                return (null, $"{SumsName}: '{line}' is not a sha256sum line");
            if (!files.TryAdd(line[66..], line[..64])) return (null, $"{SumsName}: '{line[66..]}' is listed twice");
        }
        return (files, null);
    }

    public static string Guide(EvidencePublicKey key, string what, string? publicKeyUrl) => string.Create(CultureInfo.InvariantCulture, $"""
        # How to check this {what} / Jak sprawdzić ten {(what == "evidence package" ? "pakiet" : "dokument")}

        It was signed with the ECDSA P-256 key

            id           {key.Id}
            fingerprint  {key.Fingerprint}
            valid from   {key.ValidFrom:yyyy-MM-dd HH:mm:ss} UTC

        (the fingerprint is the SHA-256 of the public key's DER SubjectPublicKeyInfo). Checking needs only `openssl`, and
        `sha256sum` (GNU coreutils) for the last step. Unpack the ZIP into an empty folder and run these inside it.

        1. Get the public key from the company that signed, not from this package: the panel publishes it at
           {publicKeyUrl ?? "/api/v1/evidence/public-key"} (no sign-in needed) and on its evidence page. Save it as `key.pem`
           and check its fingerprint:

               openssl pkey -pubin -in key.pem -outform DER | openssl dgst -sha256

           It must print the fingerprint above. (`{KeyName}` in this package is the same key, for convenience only: whoever
           changed the package could have replaced it, so compare it with the published fingerprint.)

        2. Check the signature of the list of files:

               openssl dgst -sha256 -verify key.pem -signature {SignatureName} {SumsName}

           It must print `Verified OK`. Anything else means the list was changed or signed with another key.

        3. Check every file against the list:

               sha256sum -c {SumsName}

           Every line must end in `OK`. Without sha256sum: `openssl dgst -sha256 FILE` for each file, compared with its line
           in {SumsName}. The folder must hold no file that {SumsName} does not list, other than {SumsName} and {SignatureName}.

        On the panel's server `evidence verify THIS.zip --public-key key.pem` does all of this in one step.
        """).Replace("\r\n", "\n");
}
