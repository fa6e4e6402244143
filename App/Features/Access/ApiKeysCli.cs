using NagrywanieRozmow.Shared.Cli;

namespace NagrywanieRozmow.Features.Access;

internal static class ApiKeysCli
{
    /// <summary>`apikeys create --name N --scope ingest|read [--team T]`: the key is printed once, alone on the last line.</summary>
    public static async Task<int> CreateAsync(IServiceProvider services, CliArgs args, TextWriter output)
    {
        var name = args.Required("name");
        var scope = args.Required("scope");
        var team = args.Optional("team");
        args.RejectUnknown();
        if (!ApiKeyScopes.All.Contains(scope)) throw new CliException($"unknown scope '{scope}'. Use one of: {string.Join(", ", ApiKeyScopes.All)}.");
        var (key, secret) = await services.GetRequiredService<ApiKeys>().CreateAsync(name, scope, team);
        await output.WriteLineAsync($"Created API key '{key.Name}' (scope {key.Scope}{(team is null ? "" : ", team " + team)}). Store it now: it is not shown again.");
        await output.WriteLineAsync(secret);
        return 0;
    }
}
