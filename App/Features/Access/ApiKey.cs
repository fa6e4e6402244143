using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;
using NagrywanieRozmow.Data;

namespace NagrywanieRozmow.Features.Access;

/// <summary>A named key for integrations. Only the SHA-256 of the secret is stored; the secret is shown once, at creation.</summary>
public sealed class ApiKey
{
    public int Id { get; set; }
    public required string Name { get; set; }

    /// <summary>The key's scopes, comma-separated in the order of <see cref="ApiKeyScopes.All"/> ("read,label").</summary>
    public required string Scope { get; set; }

    /// <summary>First characters of the key, so an administrator can tell keys apart without the secret.</summary>
    public required string Prefix { get; set; }
    public required string Hash { get; set; }

    /// <summary>When set, the key reaches (reads, labels, holds) only this team's recordings.</summary>
    public string? Team { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> e)
    {
        e.ToTable("ApiKeys");
        e.Property(k => k.Name).HasMaxLength(100);
        e.Property(k => k.Scope).HasMaxLength(64);
        e.Property(k => k.Prefix).HasMaxLength(16);
        e.Property(k => k.Hash).HasMaxLength(64).IsFixedLength();
        e.Property(k => k.Team).HasMaxLength(100);
        e.HasIndex(k => k.Hash).IsUnique();
    }
}

public sealed class ApiKeys(IDbContextFactory<AppDbContext> dbs, TimeProvider time, AuditLog audit)
{
    private const string KeyPrefix = "nr_";

    /// <summary>
    /// Creates a key with one or more scopes ("read", "read,label"); returns the secret, which exists nowhere else afterwards.
    /// Throws <see cref="ArgumentException"/> naming what is wrong, and stores nothing then.
    /// </summary>
    public async Task<(ApiKey Key, string Secret)> CreateAsync(
        string name, string scopes, string? team = null, AuditActor? by = null, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 100) throw new ArgumentException("A key needs a name of 1–100 characters.");
        var (parsed, problem) = ApiKeyScopes.Parse(scopes);
        if (parsed is null) throw new ArgumentException(problem);
        if (team is { Length: > 100 }) throw new ArgumentException("A team name may take at most 100 characters.");
        team = string.IsNullOrWhiteSpace(team) ? null : team.Trim();
        if (team is not null && parsed.Contains(ApiKeyScopes.Ingest))
            throw new ArgumentException("A key with the ingest scope cannot be limited to a team (uploads name their own team): make a separate key for ingestion.");
        var scope = string.Join(',', parsed);
        var secret = KeyPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var key = new ApiKey
        {
            Name = name.Trim(), Scope = scope, Prefix = secret[..10], Hash = HashOf(secret), Team = team,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Add(key);
        await db.SaveChangesAsync(ct);
        await AuditAsync(by, AuditActions.ApiKeyCreated, key);
        return (key, secret);
    }

    public async Task<ApiKey?> FindActiveAsync(string secret, CancellationToken ct)
    {
        if (!secret.StartsWith(KeyPrefix, StringComparison.Ordinal) || secret.Length > 200) return null;
        var hash = HashOf(secret);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var key = await db.Set<ApiKey>().FirstOrDefaultAsync(k => k.Hash == hash && k.RevokedAt == null, ct);
        if (key is null) return null;
        // Last use to the minute is plenty and spares a write per request.
        var now = time.GetUtcNow().UtcDateTime;
        if (key.LastUsedAt is null || now - key.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            key.LastUsedAt = now;
            await db.SaveChangesAsync(ct);
        }
        return key;
    }

    public async Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Set<ApiKey>().AsNoTracking().OrderBy(k => k.RevokedAt != null).ThenBy(k => k.Name).ToListAsync(ct);
    }

    /// <summary>Revokes a key at once (the next request with it gets 401); false when there is no such active key.</summary>
    public async Task<ApiKey?> RevokeAsync(int id, AuditActor by, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var key = await db.Set<ApiKey>().FirstOrDefaultAsync(k => k.Id == id && k.RevokedAt == null, ct);
        if (key is null) return null;
        key.RevokedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        await AuditAsync(by, AuditActions.ApiKeyRevoked, key);
        return key;
    }

    private Task AuditAsync(AuditActor? by, string action, ApiKey key)
    {
        return audit.AppendAsync(by ?? AuditActor.CommandLine, action, AuditOutcomes.Success,
            details: AuditLog.Details(new { key = key.Name, prefix = key.Prefix, scope = key.Scope, team = key.Team }));
    }

    internal static string HashOf(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>
/// Authenticates <c>X-Api-Key</c>. The principal carries the key's scope (and team), never a role. An unknown or revoked key
/// is an access attempt: it is audited (once a minute per address and key prefix, so a flood cannot bury the log).
/// </summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeys keys,
    AuditLog audit, Microsoft.Extensions.Caching.Memory.IMemoryCache seen)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Header, out var values)) return AuthenticateResult.NoResult();
        var secret = values.ToString();
        var key = await keys.FindActiveAsync(secret, Context.RequestAborted);
        if (key is null)
        {
            var prefix = secret.Length > 10 ? secret[..10] : secret;
            var ip = Context.Connection.RemoteIpAddress?.ToString();
            var attempt = $"apikey-rejected:{ip}:{prefix}";
            if (!seen.TryGetValue(attempt, out _))
            {
                seen.Set(attempt, true, TimeSpan.FromMinutes(1));
                await audit.AppendAsync($"apikey:{prefix}…", AuditActions.ApiKeyRejected,
                    AuditOutcomes.Denied, reason: "unknown or revoked key", ip: ip,
                    details: AuditLog.Details(new { path = Request.Path.Value }));
            }
            return AuthenticateResult.Fail(RejectedMessage);
        }
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, $"apikey:{key.Id}"),
            new(ClaimTypes.Name, $"apikey:{key.Name}"),
        };
        claims.AddRange(ApiKeyScopes.Split(key.Scope).Select(s => new Claim(ApiKeyScopes.Claim, s)));
        if (key.Team is not null) claims.Add(new Claim(RecordingScope.TeamClaim, key.Team));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }

    public const string RejectedMessage = "The API key is unknown or revoked.";

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        TypedResults.Problem(RejectedMessage, statusCode: StatusCodes.Status401Unauthorized, title: "API key refused").ExecuteAsync(Context);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        TypedResults.Problem("This API key's scope does not allow this.", statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(Context);
}
