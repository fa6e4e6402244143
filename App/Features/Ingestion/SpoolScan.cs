namespace NagrywanieRozmow.Features.Ingestion;

/// <summary>Which files of a spool folder are recordings to take, and whether their writer has finished with them.</summary>
public static class SpoolScan
{
    /// <summary>Files in a spool folder that look like recordings (not the CDR, sidecars, hidden or partial files).</summary>
    public static IEnumerable<string> Candidates(string root) =>
        new DirectoryInfo(root).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.Hidden, IgnoreInaccessible = true })
            .Where(IsCandidate)
            .OrderBy(f => f.FullName, StringComparer.Ordinal)
            .Select(f => f.FullName);

    /// <summary>Settled: neither the file nor its sidecar has changed since the given moment (the writer has finished).</summary>
    public static bool IsSettled(FileInfo file, DateTime settledBefore)
    {
        var sidecar = Sidecar(file);
        return file.LastWriteTimeUtc <= settledBefore && (!sidecar.Exists || sidecar.LastWriteTimeUtc <= settledBefore);
    }

    public static bool IsCandidate(FileInfo f) =>
        (f.Attributes & (FileAttributes.Hidden | FileAttributes.Directory)) == 0 && !f.Name.StartsWith('.')
        && !f.FullName.Contains($"{Path.DirectorySeparatorChar}cdr-csv{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
        && !f.Name.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
        && !f.Name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)
        && !f.Name.Contains(".partial", StringComparison.Ordinal);

    internal static FileInfo Sidecar(FileInfo file) => new(file.FullName + ".json");
}
