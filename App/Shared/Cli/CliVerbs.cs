using NagrywanieRozmow.Data;
using NagrywanieRozmow.Features.Access;
using NagrywanieRozmow.Features.Audit;
using NagrywanieRozmow.Features.Demo;
using NagrywanieRozmow.Features.Ingestion;

namespace NagrywanieRozmow.Shared.Cli;

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
        ["numbers renormalize"] = Features.Recordings.NumbersCli.RenormalizeAsync,
        ["evidence verify"] = Features.Evidence.EvidenceCli.VerifyAsync,
        ["backup"] = Features.Backup.BackupCli.BackupAsync,
        ["restore"] = Features.Backup.BackupCli.RestoreAsync,
    };

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
            await app.MigrateDatabaseAsync();
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

public sealed class CliException(string message) : Exception(message);

/// <summary>
/// `--name value` pairs, switches (`--force`, read with <see cref="Flag"/>), and plain arguments for verbs that take one
/// (`evidence verify FILE.zip`); an option given twice, an option read as a value but given none, or a switch given a
/// value is an error, not a guess.
/// </summary>
public sealed class CliArgs
{
    private readonly Dictionary<string, string?> values = new(StringComparer.Ordinal);
    private readonly HashSet<string> read = [];
    private readonly List<string> arguments = [];
    private int argumentsRead;

    public static CliArgs Parse(string[] args)
    {
        var result = new CliArgs();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (!name.StartsWith("--", StringComparison.Ordinal))
            {
                result.arguments.Add(name);
                continue;
            }
            if (name.Length < 3) throw new CliException($"expected an option such as --name, got '{name}'.");
            // Without a value it is a switch; whether the verb expected one is told when the verb reads it.
            var value = i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal) ? null : args[++i];
            if (!result.values.TryAdd(name[2..], value)) throw new CliException($"option {name} is given twice.");
        }
        return result;
    }

    public string Required(string name) => Optional(name) ?? throw new CliException($"option --{name} is required.");

    public string? Optional(string name)
    {
        read.Add(name);
        if (!values.TryGetValue(name, out var v)) return null;
        return v ?? throw new CliException($"option --{name} needs a value.");
    }

    /// <summary>A switch such as `--force`: true when given.</summary>
    public bool Flag(string name)
    {
        read.Add(name);
        if (!values.TryGetValue(name, out var v)) return false;
        return v is null ? true : throw new CliException($"option --{name} takes no value, got '{v}'.");
    }

    /// <summary>The verb's plain argument (e.g. a file), required.</summary>
    public string Argument(string what)
    {
        if (arguments.Count == 0) throw new CliException($"give {what}.");
        argumentsRead = 1;
        return arguments[0];
    }

    public int Int(string name, int fallback, int min, int max)
    {
        var text = Optional(name);
        if (text is null) return fallback;
        if (!int.TryParse(text, out var value) || value < min || value > max)
            throw new CliException($"--{name} must be a whole number from {min} to {max}, got '{text}'.");
        return value;
    }

    /// <summary>Call after reading every option a verb knows, so a typo is reported instead of silently ignored.</summary>
    public void RejectUnknown()
    {
        var unknown = values.Keys.Where(k => !read.Contains(k)).ToList();
        if (unknown.Count > 0) throw new CliException($"unknown option(s): {string.Join(", ", unknown.Select(u => "--" + u))}.");
        if (arguments.Count > argumentsRead) throw new CliException($"unexpected argument(s): {string.Join(" ", arguments.Skip(argumentsRead))}.");
    }
}
