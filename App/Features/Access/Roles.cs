namespace NagrywanieRozmow.Features.Access;

/// <summary>Role names as integrations and the CLI know them (CONTRACTS.md). Polish labels live in the resources.</summary>
public static class Roles
{
    public const string Administrator = "Administrator";
    public const string QualityManager = "QualityManager";
    public const string ComplaintHandler = "ComplaintHandler";
    public const string Compliance = "Compliance";
    public const string Agent = "Agent";

    public static readonly IReadOnlyList<string> All = [Administrator, QualityManager, ComplaintHandler, Compliance, Agent];

    public static string? Find(string name) => All.FirstOrDefault(r => string.Equals(r, name, StringComparison.OrdinalIgnoreCase));
}

public static class Policies
{
    /// <summary>Search the recordings and listen to them.</summary>
    public const string ListenRecordings = nameof(ListenRecordings);

    /// <summary>Download original files.</summary>
    public const string DownloadRecordings = nameof(DownloadRecordings);

    public const string Administration = nameof(Administration);

    /// <summary>Push recordings in (API keys with the ingest scope).</summary>
    public const string Ingest = nameof(Ingest);
}
