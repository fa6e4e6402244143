namespace NagrywanieRozmow.Shared.Cli;

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
