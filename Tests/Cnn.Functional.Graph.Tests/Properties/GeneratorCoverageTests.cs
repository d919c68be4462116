using System.Text.Json.Serialization;
using Cnn.Functional.Properties;
using FsCheck.Fluent;

namespace Cnn.Functional.Tests.Properties;

/// <summary>
/// The generators reach every kind of layer: a layer kind added to the library but not to the generators would
/// otherwise go untested by every property silently. Samples are large enough that a miss is not chance.
/// </summary>
public class GeneratorCoverageTests
{
    /// <summary>Every layer type a graph document may hold.</summary>
    private static readonly Type[] LayerTypes = typeof(Layer).GetCustomAttributes(typeof(JsonDerivedTypeAttribute), false)
        .Cast<JsonDerivedTypeAttribute>().Select(a => a.DerivedType).ToArray();

    private static string[] Missing(IEnumerable<Layer> layers, IEnumerable<Type> expected)
    {
        var seen = layers.Select(l => l.GetType()).ToHashSet();
        return expected.Where(t => !seen.Contains(t)).Select(t => t.Name).ToArray();
    }

    private static Shape ShapeOf(ValidGraph graph, string path) => graph.Shapes[graph.Graph.Nodes.Select(n => n.Path).ToList().IndexOf(path)];

    [Fact]
    public void Hostile_layers_cover_every_kind_both_binarisations_and_the_scaled_tanh()
    {
        var layers = LayerGenerators.Hostile().Sample(size: 20, numberOfSamples: 3000);
        Assert.Empty(Missing(layers, LayerTypes));
        Assert.Contains(layers, l => l is Activation { Function: ActivationFunction.ScaledTanh });
        foreach (var mode in Enum.GetValues<Binarization>())
        {
            Assert.Contains(layers, l => l is BinaryConv c && c.Mode == mode);
            Assert.Contains(layers, l => l is BinaryDense d && d.Mode == mode);
        }
    }

    [Fact]
    public void Hostile_connection_tables_hold_every_defect()
    {
        var tables = LayerGenerators.ConnectionTable(hostile: true).Sample(size: 20, numberOfSamples: 1000);
        Assert.Contains(tables, t => t.Length == 0);
        Assert.Contains(tables, t => t.Any(row => row.Length == 0));
        Assert.Contains(tables, t => t.Any(row => row.Any(c => c < 0)));
        Assert.Contains(tables, t => t.Any(row => row.Any(c => c == int.MaxValue)));
        Assert.Contains(tables, t => t.Any(row => row.Distinct().Count() < row.Length));
        Assert.Contains(tables, t => t.Length >= 10_000);
        Assert.Contains(tables, t => t.Any(row => row.Length >= 10_000));
        Assert.Contains(tables, t => t.Length == 16 && t.Max(row => row.Max()) == 5);
    }

    [Fact]
    public void Valid_graphs_cover_every_kind_and_weighted_sums_of_earlier_nodes()
    {
        var graphs = ValidGraphGenerators.Any().Sample(size: 20, numberOfSamples: 1000);
        var layers = graphs.SelectMany(g => g.Graph.Nodes).Select(n => n.Layer).ToList();
        Assert.Empty(Missing(layers, LayerTypes));
        // A weighted sum that reads a node from outside its block (an earlier node of the same shape).
        Assert.Contains(graphs.SelectMany(g => g.Graph.Nodes), n => n.Layer is WeightedSum && n.Inputs.Any(i => !i.StartsWith(n.Path[..n.Path.IndexOf('/')] + "/", StringComparison.Ordinal)));
        // A Dirac convolution that changes the number of channels (the identity covers only min(F, C) of them).
        Assert.Contains(graphs, g => g.Graph.Nodes.Any(n => n.Layer is DiracConv d && d.Filters != ShapeOf(g, n.Inputs[0]).Channels));
        Assert.Contains(layers, l => l is Activation { Function: ActivationFunction.ScaledTanh });
    }
}
