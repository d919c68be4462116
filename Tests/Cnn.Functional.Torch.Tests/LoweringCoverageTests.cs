using System.Reflection;
using System.Text.Json.Serialization;
using Cnn.Functional.Properties;
using FsCheck;
using FsCheck.Fluent;

namespace Cnn.Functional.Tests;

/// <summary>
/// <see cref="LoweringProperties"/> checks every kind of layer only if the valid-graph generator makes every kind:
/// this test keeps the two in step, so a new layer kind cannot go unchecked by the lowering property.
/// </summary>
public class LoweringCoverageTests
{
    [Fact]
    public void The_valid_graph_generator_makes_every_layer_kind_of_the_core_graph()
    {
        var all = typeof(Layer).GetCustomAttributes<JsonDerivedTypeAttribute>().Select(a => a.DerivedType).ToHashSet();
        var seen = ValidGraphGenerators.Any().Sample(3_000, 30)
            .SelectMany(g => g.Graph.Nodes.Select(n => n.Layer.GetType())).ToHashSet();

        Assert.Empty(all.Except(seen).Select(t => t.Name).Order());
    }
}
