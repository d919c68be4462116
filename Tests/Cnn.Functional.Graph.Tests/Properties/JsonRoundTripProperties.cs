using Cnn.Functional.Properties;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Cnn.Functional.Tests.Properties;

/// <summary>
/// A graph written as JSON reads back as an equal graph (structural equality), and writing is deterministic:
/// the same graph gives the same text, also after a round trip.
/// </summary>
public class JsonRoundTripProperties
{
    [Property(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = 300)]
    public Property Reading_what_was_written_gives_an_equal_graph(ValidGraph valid)
    {
        var graph = valid.Graph;
        var read = Graph.FromJson(graph.ToJson());
        return (read == graph).Label($"read back:\n{read}")
            .And((read.GetHashCode() == graph.GetHashCode()).Label("equal graphs with different hash codes"));
    }

    [Property(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = 300)]
    public Property Writing_is_deterministic(ValidGraph valid)
    {
        var json = valid.Graph.ToJson();
        var again = valid.Graph.ToJson();
        var rebuilt = new Graph(valid.Graph.Name, valid.Graph.Nodes.Items.ToArray(), valid.Graph.Outputs.Items.ToArray()).ToJson();
        var afterRoundTrip = Graph.FromJson(json).ToJson();
        return (json == again).Label("two writes differ")
            .And((json == rebuilt).Label("an equal graph built again writes differently"))
            .And((json == afterRoundTrip).Label($"after a round trip:\n{afterRoundTrip}"));
    }

    [Property(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = 1000)]
    public Property Hostile_graphs_round_trip_or_are_refused_with_GraphException(Layer layer, Shape input)
    {
        // Whatever hyperparameters a layer holds, writing either refuses it or writes something that reads back equal.
        var graph = HostileInputProperties.OneLayer(layer, input);
        var audit = new ExceptionAudit();
        var json = audit.Get("ToJson", () => graph.ToJson());
        var read = json is null ? null : audit.Get("FromJson(ToJson)", () => Graph.FromJson(json));
        audit.Require(json is null || read == graph, $"written:\n{json}\nread back:\n{read}");
        return audit.ToProperty().Classify(json is null, "refused");
    }
}
