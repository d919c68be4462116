using Cnn.Functional.Properties;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Cnn.Functional.Tests.Properties;

/// <summary>
/// Hostile hyperparameters (0, negatives, 10⁹, <c>int.MaxValue</c>, NaN, ±∞), random and damaged graphs and
/// damaged JSON: everything the library does with them either succeeds or throws <see cref="GraphException"/>.
/// When inference succeeds, what it says must make sense: every size at least 1, no negative count.
/// </summary>
public class HostileInputProperties
{
    /// <summary>Runs everything a user can do with a graph value, recording foreign exceptions and nonsense results.</summary>
    /// <returns>What inference found, or null when it threw.</returns>
    internal static InferenceResult? Exercise(ExceptionAudit audit, Graph graph, SummaryOptions? options = null)
    {
        var result = audit.Get("ShapeInference.Run", () => ShapeInference.Run(graph));
        audit.Run("Validate", () => { graph.Validate(); });
        audit.Run("Infer", () => { graph.Infer(); });
        audit.Run("ToString", () => { _ = graph.ToString(); });
        var summary = audit.Get("Summarize", () => graph.Summarize(options));
        if (summary is not null)
        {
            audit.Run("summary ToTable", () => { summary.ToTable(); });
            audit.Run("summary ToJson", () => { summary.ToJson(); });
            foreach (var row in summary.Nodes)
                audit.Require(row.ReceptiveField.Size.All(r => double.IsFinite(r) && r >= 1) && row.ReceptiveField.Jump.All(j => double.IsFinite(j) && j >= 0),
                    $"{row.Path}: receptive field {row.ReceptiveField} is not a finite size ≥ 1 with a finite jump ≥ 0");
        }
        var json = audit.Get("ToJson", () => graph.ToJson());
        if (json is not null) audit.Get("FromJson(ToJson)", () => Graph.FromJson(json));
        if (result is null) return null;
        foreach (var node in result.Nodes)
        {
            var info = node.Info;
            audit.Require(info.Output.Dims.All(d => d >= 1), $"{node.Path}: inferred the output {info.Output} with a size below 1");
            audit.Require(info.Parameters >= 0 && info.Macs >= 0 && info.Buffers >= 0,
                $"{node.Path}: negative count (parameters {info.Parameters}, MACs {info.Macs}, buffers {info.Buffers})");
        }
        return result;
    }

    /// <summary>A graph of <paramref name="input"/> and <paramref name="layer"/>, given as many inputs as its arity asks for.</summary>
    internal static Graph OneLayer(Layer layer, Shape input)
    {
        var inputs = layer.Arity switch
        {
            Arity.None => [],
            Arity.One => ["input"],
            Arity.Three => ["input", "input", "input"],
            _ => new[] { "input", "input" },
        };
        return Graph.Create("one-layer", input).AddNode("hostile/layer", layer, inputs);
    }

    [Property(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = 1000)]
    public Property Hostile_layers_infer_or_throw_GraphException(Layer layer, Shape input)
    {
        var audit = new ExceptionAudit();
        var result = Exercise(audit, OneLayer(layer, input));
        return audit.ToProperty().Classify(result is { IsValid: true }, "valid");
    }

    [Property(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = 1000)]
    public Property Random_graphs_infer_or_throw_GraphException(Graph graph)
    {
        var audit = new ExceptionAudit();
        var errors = Exercise(audit, graph)?.Errors.Count;
        return audit.ToProperty(ExceptionAudit.Describe(graph)).Classify(errors == 0, "valid").Classify(errors > 3, "more than 3 errors");
    }

    [Property(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = 300)]
    public Property Summaries_with_hostile_options_succeed_or_throw_GraphException(ValidGraph valid, SummaryOptions options)
    {
        var audit = new ExceptionAudit();
        Exercise(audit, valid.Graph, options);
        return audit.ToProperty();
    }

    [Property(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = 1000)]
    public Property Damaged_json_is_read_or_refused_with_GraphException(MutatedJson damaged)
    {
        var audit = new ExceptionAudit();
        var graph = audit.Get("FromJson", () => Graph.FromJson(damaged.Json));
        if (graph is not null) Exercise(audit, graph);
        return audit.ToProperty().Classify(graph is not null, "read");
    }
}
