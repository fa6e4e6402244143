using NagrywanieRozmow.Shared.Cli;

namespace NagrywanieRozmow.Features.Access;

internal static class UsersCli
{
    public static async Task<int> AddAsync(IServiceProvider services, CliArgs args, TextWriter output)
    {
        var email = args.Required("email");
        var password = args.Required("password");
        var role = args.Required("role");
        var team = args.Optional("team");
        var extension = args.Optional("extension");
        args.RejectUnknown();

        var errors = await services.GetRequiredService<UserAccounts>().CreateAsync(email, password, role, team, extension);
        if (errors.Count > 0) throw new CliException(string.Join(" ", errors));
        await output.WriteLineAsync($"Created {email} ({Roles.Find(role)}{(team is null ? "" : ", team " + team)}).");
        return 0;
    }

    public static async Task<int> ListAsync(IServiceProvider services, CliArgs args, TextWriter output)
    {
        args.RejectUnknown();
        foreach (var (user, role) in await services.GetRequiredService<UserAccounts>().ListAsync())
        {
            await output.WriteLineAsync($"{user.Email}\t{role}\t{user.Team ?? "-"}{(user.IsDisabled ? "\tdisabled" : "")}");
        }
        return 0;
    }
}
