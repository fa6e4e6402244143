using Xunit.Abstractions;

namespace NagrywanieRozmow.Tests.Architecture;

/// <summary>
/// Features depend on Core, Shared and each other one way only; Core and Shared know no feature. Read from the compiled
/// assembly, so a reference through `_Imports.razor`, a qualified name or a Razor component counts as much as a `using`.
/// </summary>
public class DependencyTests(ITestOutputHelper output)
{
    private static readonly Lazy<FeatureGraph> Graph = new(FeatureGraph.Read);

    [Fact]
    public void No_two_folders_depend_on_each_other_even_through_others()
    {
        var graph = Graph.Value;
        output.WriteLine(graph.Matrix());

        var cycles = graph.Cycles();

        Assert.True(cycles.Count == 0, "Folders that reach each other:\n" + string.Join('\n', cycles.Select(c =>
            string.Join(" ↔ ", c) + "\n" + string.Join('\n', c.SelectMany(from => c
                .Where(to => graph.DependsOn(from, to))
                .Select(to => $"  {from} → {to}: {string.Join(", ", graph.Edges[(from, to)].Take(5))}"))))));
    }

    [Theory]
    [InlineData("Core")]
    [InlineData("Shared")]
    public void The_base_knows_no_feature(string slice)
    {
        var graph = Graph.Value;

        var features = graph.Slices.Where(s => s.StartsWith("Features.", StringComparison.Ordinal) && graph.DependsOn(slice, s))
            .Select(s => $"{s}: {string.Join(", ", graph.Edges[(slice, s)].Take(5))}")
            .ToList();

        Assert.True(features.Count == 0, $"{slice} refers to features:\n" + string.Join('\n', features));
    }

    [Fact]
    public void The_graph_sees_references_a_grep_of_using_lines_would_miss()
    {
        var graph = Graph.Value;

        // The panel's pages name Playback's AudioPlayer as a Razor component, imported through _Imports.razor only.
        Assert.Contains("NagrywanieRozmow.Features.Panel.RecordingPage", graph.Edges[("Features.Panel", "Features.Playback")]);
        // Every feature and the base are in the graph (a renamed namespace would drop out silently otherwise).
        Assert.Contains("Features.Recordings", graph.Slices);
        Assert.True(graph.Slices.Count >= 12, string.Join(", ", graph.Slices));
    }

    [Fact]
    public void The_readme_draws_the_dependencies_as_they_are()
    {
        var readme = File.ReadAllText(Path.Combine(Repository.Root(), "README.md")).ReplaceLineEndings("\n");
        var start = readme.IndexOf("```mermaid\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no mermaid block");
        start += "```mermaid\n".Length;
        var drawn = readme[start..readme.IndexOf("\n```", start, StringComparison.Ordinal)];

        var actual = Graph.Value.Mermaid();

        Assert.True(drawn == actual, "README.md's Architecture diagram is out of date; the code's dependencies are:\n" + actual);
    }
}
