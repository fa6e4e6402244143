using System.ComponentModel.DataAnnotations;

namespace NagrywanieRozmow.Features.Evidence;

public sealed class DownloadOptions
{
    /// <summary>The most recordings one ZIP may hold (the panel's "all matching" selection stops there too).</summary>
    [Range(1, 100_000)] public int MaxRecordings { get; set; } = 1000;
}
