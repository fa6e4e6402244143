using System.Reflection;
using NetArchTest.Rules;

namespace NagrywanieRozmow.Tests.Architecture;

/// <summary>
/// Which folder of the App refers to which, read from the compiled assembly's type references (signatures, fields,
/// method bodies, attributes, generic arguments), so `_Imports.razor`, qualified names and Razor components count.
/// </summary>
public sealed class FeatureGraph
{
    public const string Root = "NagrywanieRozmow";

    public static readonly Assembly App = typeof(NagrywanieRozmow.Data.AppDbContext).Assembly;

    public IReadOnlyList<string> Slices { get; }

    /// <summary>Edges from a slice to the slices it refers to, each with the types that make the reference.</summary>
    public IReadOnlyDictionary<(string From, string To), IReadOnlyList<string>> Edges { get; }

    private FeatureGraph(IReadOnlyList<string> slices, IReadOnlyDictionary<(string, string), IReadOnlyList<string>> edges)
    {
        Slices = slices;
        Edges = edges;
    }

    /// <summary>Each feature folder, then Core and Shared. Program, Components and Data are the host, which knows everything.</summary>
    public static FeatureGraph Read()
    {
        var features = App.GetTypes()
            .Select(t => t.Namespace ?? "")
            .Where(n => n.StartsWith($"{Root}.Features.", StringComparison.Ordinal))
            .Select(n => n.Split('.')[2])
            .Distinct()
            .Order(StringComparer.Ordinal)
            .Select(f => $"Features.{f}");
        var slices = features.Append("Core").Append("Shared").ToList();

        var edges = new Dictionary<(string, string), IReadOnlyList<string>>();
        foreach (var from in slices)
        {
            foreach (var to in slices.Where(s => s != from))
            {
                var types = Types.InAssembly(App)
                    .That().ResideInNamespace($"{Root}.{from}")
                    .And().HaveDependencyOnAny($"{Root}.{to}")
                    .GetTypes()
                    .Select(t => t.FullName)
                    .Order(StringComparer.Ordinal)
                    .ToList();
                if (types.Count > 0)
                {
                    edges[(from, to)] = types;
                }
            }
        }

        return new FeatureGraph(slices, edges);
    }

    public bool DependsOn(string from, string to) => Edges.ContainsKey((from, to));

    /// <summary>Every group of slices that reach each other (Tarjan's strongly connected components of size 2 or more).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var result = new List<IReadOnlyList<string>>();
        var next = 0;

        void Visit(string v)
        {
            index[v] = low[v] = next++;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in Slices.Where(w => DependsOn(v, w)))
            {
                if (!index.ContainsKey(w))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], index[w]);
                }
            }

            if (low[v] != index[v])
            {
                return;
            }

            var component = new List<string>();
            string popped;
            do
            {
                popped = stack.Pop();
                onStack.Remove(popped);
                component.Add(popped);
            }
            while (popped != v);
            if (component.Count > 1)
            {
                result.Add(component.Order(StringComparer.Ordinal).ToList());
            }
        }

        foreach (var slice in Slices.Where(s => !index.ContainsKey(s)))
        {
            Visit(slice);
        }

        return result;
    }

    /// <summary>A Markdown matrix: a row per slice, an x where it refers to the column's slice.</summary>
    public string Matrix()
    {
        static string Short(string slice) => slice.Replace("Features.", "", StringComparison.Ordinal);
        var lines = new List<string>
        {
            "| from \\ to | " + string.Join(" | ", Slices.Select(Short)) + " |",
            "|---|" + string.Concat(Slices.Select(_ => "---|")),
        };
        foreach (var from in Slices)
        {
            var cells = Slices.Select(to => to == from ? "·" : DependsOn(from, to) ? (DependsOn(to, from) ? "**x**" : "x") : "");
            lines.Add($"| {Short(from)} | " + string.Join(" | ", cells) + " |");
        }

        return string.Join('\n', lines);
    }

    /// <summary>
    /// The dependencies between features as a Mermaid flowchart (README's Architecture section); Core and Shared, which every
    /// feature uses, stand apart so the picture stays readable.
    /// </summary>
    public string Mermaid()
    {
        static string Short(string slice) => slice.Replace("Features.", "", StringComparison.Ordinal);
        var features = Slices.Where(s => s.StartsWith("Features.", StringComparison.Ordinal)).ToList();
        var lines = new List<string> { "flowchart TD" };
        foreach (var from in features)
        {
            lines.AddRange(features.Where(to => DependsOn(from, to)).Select(to => $"    {Short(from)} --> {Short(to)}"));
        }
        lines.Add("    subgraph base [used by every feature, knows none]");
        lines.Add(DependsOn("Core", "Shared") ? "        Core --> Shared" : DependsOn("Shared", "Core") ? "        Shared --> Core" : "        Core ~~~ Shared");
        lines.Add("    end");
        return string.Join('\n', lines);
    }
}
