using NagrywanieRozmow.Shared.Cli;

namespace NagrywanieRozmow.Features.Audit;

public static class AuditFeature
{
    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder app) => app.MapAuditApi();
}

internal static class AuditCli
{
    /// <summary>`audit verify`: exit 0 when the chain is intact, 1 naming the first broken entry.</summary>
    public static async Task<int> VerifyAsync(IServiceProvider services, CliArgs args, TextWriter output)
    {
        args.RejectUnknown();
        var log = services.GetRequiredService<AuditLog>();
        var broken = await log.VerifyAsync();
        if (broken is { } b)
        {
            await output.WriteLineAsync($"Audit log BROKEN at entry {b.Entry.Id} ({b.Entry.At:yyyy-MM-dd HH:mm:ss}Z, {b.Entry.Actor}, {b.Entry.Action}): {b.Problem}.");
            return 1;
        }
        await output.WriteLineAsync($"Audit log intact: {await log.CountAsync()} entries, hash chain verified.");
        return 0;
    }
}
