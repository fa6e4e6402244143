using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace NagrywanieRozmow.Features.Webhooks;

/// <summary><c>Webhooks:*</c>: how deliveries are retried and when an endpoint that keeps failing is switched off.</summary>
public sealed class WebhooksOptions : IValidatableObject
{
    /// <summary>
    /// Waits between attempts, comma-separated TimeSpans (the first attempt goes at once): 5 s, 5 min, 30 min, 2 h, 5 h,
    /// 10 h, 10 h — eight attempts over about a day, then the delivery is Failed.
    /// </summary>
    public string RetryDelays { get; set; } = "00:00:05,00:05:00,00:30:00,02:00:00,05:00:00,10:00:00,10:00:00";

    /// <summary>An endpoint is disabled once this many deliveries in a row have failed after all their attempts.</summary>
    [Range(1, 1000, ErrorMessage = "Webhooks:DisableAfterFailedDeliveries must be between 1 and 1000.")]
    public int DisableAfterFailedDeliveries { get; set; } = 3;

    /// <summary>How long a receiver has to answer one attempt.</summary>
    [Range(1, 300, ErrorMessage = "Webhooks:TimeoutSeconds must be between 1 and 300.")]
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>How often due deliveries whose job was lost (a restart with in-memory jobs, a crash mid-attempt) are queued again.</summary>
    [Range(1, 3600, ErrorMessage = "Webhooks:SweepSeconds must be between 1 and 3600.")]
    public int SweepSeconds { get; set; } = 30;

    public IReadOnlyList<TimeSpan> Delays => ParseDelays(RetryDelays) ?? [];

    /// <summary>How long an attempt holds its delivery: long enough to finish, after which a crashed attempt is made again.</summary>
    public TimeSpan Claim => TimeSpan.FromSeconds(TimeoutSeconds * 2 + 5);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ParseDelays(RetryDelays) is null)
            yield return new ValidationResult(
                "Webhooks:RetryDelays must be comma-separated positive times such as 00:00:05,00:05:00 (empty for no retries).", [nameof(RetryDelays)]);
    }

    private static List<TimeSpan>? ParseDelays(string? text)
    {
        var delays = new List<TimeSpan>();
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!TimeSpan.TryParse(part, CultureInfo.InvariantCulture, out var delay) || delay < TimeSpan.Zero) return null;
            delays.Add(delay);
        }
        return delays;
    }
}
