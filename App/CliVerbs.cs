using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Access;
using NagrywanieRozmow.Features.Audit;
using NagrywanieRozmow.Features.Demo;
using NagrywanieRozmow.Features.Ingestion;

using NagrywanieRozmow.Shared.Cli;

namespace NagrywanieRozmow;

/// <summary>`dotnet run --project App -- VERB …`: runs one command against the configured database and store, then exits.</summary>
public static class CliVerbs
{
    private static readonly Dictionary<string, Func<IServiceProvider, CliArgs, TextWriter, Task<int>>> Verbs = new()
    {
        ["users add"] = UsersCli.AddAsync,
        ["users list"] = UsersCli.ListAsync,
        ["apikeys create"] = ApiKeysCli.CreateAsync,
        ["apikeys list"] = ApiKeysCli.ListAsync,
        ["apikeys revoke"] = ApiKeysCli.RevokeAsync,
        ["seed-demo"] = SeedDemoCli.RunAsync,
        ["audit verify"] = AuditCli.VerifyAsync,
        ["ingest"] = IngestCli.RunAsync,
        ["retention run"] = Features.Retention.RetentionCli.RunAsync,
        ["retention preview"] = Features.Retention.RetentionCli.PreviewAsync,
        ["retention archive"] = Features.Retention.RetentionCli.ArchiveAsync,
        ["numbers renormalize"] = Features.Recordings.NumbersCli.RenormalizeAsync,
        ["evidence verify"] = Features.Evidence.EvidenceCli.VerifyAsync,
        ["evidence rotate-key"] = Features.Evidence.EvidenceCli.RotateKeyAsync,
        ["evidence keys"] = Features.Evidence.EvidenceCli.ListKeysAsync,
        ["backup"] = Features.Backup.BackupCli.BackupAsync,
        ["restore"] = Features.Backup.BackupCli.RestoreAsync,
        ["webhooks add"] = Features.Webhooks.WebhooksCli.AddAsync,
        ["webhooks list"] = Features.Webhooks.WebhooksCli.ListAsync,
    };

    /// <summary>Verbs that open the database themselves when they need it: `evidence verify --public-key` needs none.</summary>
    private static readonly HashSet<string> WithoutDatabase = ["evidence verify"];

    public static bool IsCliInvocation(string[] args) => args.Length > 0 && !args[0].StartsWith('-') && !args[0].Contains('=');

    public static async Task<int> RunAsync(IHost app, string[] args)
    {
        var (verb, rest) = Match(args);
        if (verb is null)
        {
            await Console.Error.WriteLineAsync($"Unknown command '{string.Join(' ', args)}'. Commands: {string.Join(", ", Verbs.Keys)}.");
            return 2;
        }
        try
        {
            var parsed = CliArgs.Parse(rest);
            if (!WithoutDatabase.Contains(verb)) await app.MigrateDatabaseAsync();
            await using var scope = app.Services.CreateAsyncScope();
            return await Verbs[verb](scope.ServiceProvider, parsed, Console.Out);
        }
        catch (CliException e)
        {
            await Console.Error.WriteLineAsync($"{verb}: {e.Message}");
            return 2;
        }
    }

    private static (string? Verb, string[] Remaining) Match(string[] args)
    {
        if (args.Length >= 2 && Verbs.ContainsKey($"{args[0]} {args[1]}")) return ($"{args[0]} {args[1]}", args[2..]);
        if (Verbs.ContainsKey(args[0])) return (args[0], args[1..]);
        return (null, []);
    }
}
