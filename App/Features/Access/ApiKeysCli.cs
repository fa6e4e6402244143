using System.Globalization;
using NagrywanieRozmow.Shared.Cli;

namespace NagrywanieRozmow.Features.Access;

internal static class ApiKeysCli
{
    /// <summary>`apikeys create --name N --scope read|ingest|label|holds[,…] [--team T]`: the key is printed once, alone on the last line.</summary>
    public static async Task<int> CreateAsync(IServiceProvider services, CliArgs args, TextWriter output)
    {
        var name = args.Required("name");
        var scope = args.Required("scope");
        var team = args.Optional("team");
        args.RejectUnknown();
        try
        {
            var (key, secret) = await services.GetRequiredService<ApiKeys>().CreateAsync(name, scope, team);
            await output.WriteLineAsync($"Created API key '{key.Name}' (scope {key.Scope.Replace(",", ", ")}{(key.Team is null ? "" : ", team " + key.Team)}). Store it now: it is not shown again.");
            await output.WriteLineAsync(secret);
            return 0;
        }
        catch (ArgumentException e)
        {
            throw new CliException(e.Message);
        }
    }

    /// <summary>`apikeys list`: one line a key (id, name, scope, team, prefix, last use, state); never the secret.</summary>
    public static async Task<int> ListAsync(IServiceProvider services, CliArgs args, TextWriter output)
    {
        args.RejectUnknown();
        foreach (var k in await services.GetRequiredService<ApiKeys>().ListAsync())
        {
            var lastUsed = k.LastUsedAt?.ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture) ?? "never used";
            var state = k.RevokedAt is { } r ? "revoked " + r.ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture) : "active";
            await output.WriteLineAsync($"{k.Id}\t{k.Name}\t{k.Scope}\t{k.Team ?? "-"}\t{k.Prefix}…\t{lastUsed}\t{state}");
        }
        return 0;
    }

    /// <summary>`apikeys revoke --id N`: the next request with that key gets 401.</summary>
    public static async Task<int> RevokeAsync(IServiceProvider services, CliArgs args, TextWriter output)
    {
        var id = args.Int("id", 0, 1, int.MaxValue);
        args.RejectUnknown();
        if (id == 0) throw new CliException("option --id is required.");
        var key = await services.GetRequiredService<ApiKeys>().RevokeAsync(id, AuditActor.CommandLine)
            ?? throw new CliException($"there is no active API key with id {id} (see 'apikeys list').");
        await output.WriteLineAsync($"Revoked API key {key.Id} '{key.Name}'.");
        return 0;
    }
}
