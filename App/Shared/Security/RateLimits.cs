using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace NagrywanieRozmow.Shared.Security;

/// <summary>
/// `/api/v1` requests per person or API key in a fixed window (`RateLimits:ApiPermitLimit` per `ApiWindowSeconds`), and
/// failed sign-ins (<see cref="SignInThrottle"/>). A refused request gets 429 with Retry-After and a problem+json saying why.
/// </summary>
public static class RateLimits
{
    public static void AddRateLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>().BindConfiguration("RateLimits").ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<SignInThrottle>();
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((o, limits) =>
        {
            var limit = limits.Value;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                limit.ApiPermitLimit > 0 && http.Request.Path.StartsWithSegments("/api/v1")
                    ? RateLimitPartition.GetFixedWindowLimiter(CallerOf(http), _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = limit.ApiPermitLimit,
                        Window = TimeSpan.FromSeconds(limit.ApiWindowSeconds),
                        QueueLimit = 0,
                    })
                    : RateLimitPartition.GetNoLimiter(""));
            o.OnRejected = (context, ct) =>
            {
                var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(limit.ApiWindowSeconds);
                return TooManyAsync(context.HttpContext, wait,
                    $"More than {limit.ApiPermitLimit} API requests in {limit.ApiWindowSeconds} s from one caller (RateLimits:ApiPermitLimit). Try again in {Seconds(wait)} s.");
            };
        });
    }

    /// <summary>A person by their account, a key by its id; without either, the address.</summary>
    private static string CallerOf(HttpContext http) =>
        http.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } id ? $"{http.User.Identity?.AuthenticationType}:{id}" : $"ip:{http.Connection.RemoteIpAddress}";

    internal static int Seconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));

    internal static async ValueTask TooManyAsync(HttpContext http, TimeSpan wait, string detail)
    {
        http.Response.Headers.RetryAfter = Seconds(wait).ToString(CultureInfo.InvariantCulture);
        await TypedResults.Problem(detail, statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests").ExecuteAsync(http);
    }
}

/// <summary>
/// Counts failed sign-ins per account and address and per address alone; once either is used up, the sign-in page refuses
/// further attempts (without checking the password) until its window ends.
/// </summary>
public sealed class SignInThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> perAccount;
    private readonly PartitionedRateLimiter<string> perAddress;

    public SignInThrottle(IOptions<RateLimitOptions> options)
    {
        var o = options.Value;
        perAccount = Limiter(o.SignInFailuresPerAccount, o.SignInWindowSeconds);
        perAddress = Limiter(o.SignInFailuresPerAddress, o.SignInWindowSeconds);
    }

    private static PartitionedRateLimiter<string> Limiter(int failures, int windowSeconds) => PartitionedRateLimiter.Create<string, string>(key =>
        failures <= 0
            ? RateLimitPartition.GetNoLimiter(key)
            : RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = failures,
                Window = TimeSpan.FromSeconds(windowSeconds),
                QueueLimit = 0,
            }));

    private static (string Account, string Address) Keys(string email, string? address) =>
        ($"{email.Trim().ToUpperInvariant()}|{address}", address ?? "");

    /// <summary>How long to wait before this account may try again from this address, or null when it may try now.</summary>
    public TimeSpan? RetryAfter(string email, string? address)
    {
        var (account, ip) = Keys(email, address);
        // Asking for 0 permits only tells whether any are left.
        foreach (var (limiter, key) in new[] { (perAccount, account), (perAddress, ip) })
        {
            using var lease = limiter.AttemptAcquire(key, 0);
            if (!lease.IsAcquired) return lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
        }
        return null;
    }

    public void Failed(string email, string? address)
    {
        var (account, ip) = Keys(email, address);
        perAccount.AttemptAcquire(account).Dispose();
        perAddress.AttemptAcquire(ip).Dispose();
    }

    public void Dispose()
    {
        perAccount.Dispose();
        perAddress.Dispose();
    }
}
