using System.Globalization;
using NagrywanieRozmow.Shared.Cli;

namespace NagrywanieRozmow.Features.Webhooks;

public static class WebhooksCli
{
    /// <summary>`webhooks add --url URL --events E[,E…] [--team T]`: the signing secret is printed once, alone on the last line.</summary>
    public static async Task<int> AddAsync(IServiceProvider services, CliArgs args, TextWriter output)
    {
        var url = args.Required("url");
        var events = args.Required("events");
        var team = args.Optional("team");
        args.RejectUnknown();
        try
        {
            var (endpoint, secret) = await services.GetRequiredService<WebhookEndpoints>().CreateAsync(url, events.Split(','), team, AuditActor.CommandLine);
            await output.WriteLineAsync($"Registered webhook endpoint {endpoint.Id} for {endpoint.Url} ({endpoint.Events}{(endpoint.Team is null ? "" : ", team " + endpoint.Team)}).");
            await output.WriteLineAsync("Its signing secret follows. Store it now: it is not shown again.");
            await output.WriteLineAsync(secret);
            return 0;
        }
        catch (ArgumentException e)
        {
            throw new CliException(e.Message);
        }
    }

    /// <summary>`webhooks list`: one line an endpoint (id, URL, events, team, state, last delivery); never the secret.</summary>
    public static async Task<int> ListAsync(IServiceProvider services, CliArgs args, TextWriter output)
    {
        args.RejectUnknown();
        foreach (var (e, last, pending) in await services.GetRequiredService<WebhookEndpoints>().ListAsync())
        {
            var state = e.Enabled ? "enabled" : $"disabled: {e.DisabledReason}";
            var code = last?.LastStatusCode?.ToString(CultureInfo.InvariantCulture) ?? "-";
            var lastText = last is null ? "no deliveries" : $"last {last.EventType} {last.State} ({last.Attempts} attempt(s), HTTP {code})";
            await output.WriteLineAsync($"{e.Id}\t{e.Url}\t{e.Events}\t{e.Team ?? "-"}\t{state}\t{lastText}\t{pending} pending");
        }
        return 0;
    }
}
