using Cnn.Functional.Properties;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Cnn.Functional.Tests.Properties;

/// <summary>
/// Random valid graphs (chains and DAGs with residual, Inception-style and highway blocks): inference finds
/// the shapes the generator computed from the formulas, and the summary's totals are consistent with its rows.
/// </summary>
public class SummaryProperties
{
    [Property(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = 300)]
    public Property Inference_finds_the_shapes_of_the_formulas(ValidGraph valid)
    {
        var inferred = valid.Graph.Infer();
        var actual = inferred.Nodes.Select(n => n.OutputShape).ToList();
        var wrong = Enumerable.Range(0, actual.Count).Where(i => actual[i] != valid.Shapes[i])
            .Select(i => $"{inferred.Nodes[i].Path}: expected {valid.Shapes[i]}, inferred {actual[i]}").ToList();
        return (actual.Count == valid.Shapes.Count && wrong.Count == 0).Label(string.Join("\n", wrong))
            .Classify(valid.IsChain, "chain").Classify(valid.Graph.Nodes.Count > 8, "more than 8 nodes");
    }

    [Property(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = 300)]
    public Property Totals_add_up(ValidGraph valid)
    {
        var graph = valid.Graph;
        var summary = graph.Summarize();
        var t = summary.Totals;
        var rows = summary.Nodes;
        var frozenPaths = graph.Nodes.Where(n => !n.Trainable).Select(n => n.Path).ToHashSet();
        return (t.Parameters == rows.Sum(r => r.Parameters)).Label("total parameters ≠ Σ node parameters")
            .And((t.Parameters == graph.Infer().Parameters).Label("total parameters ≠ the inferred graph's"))
            .And((t.TrainableParameters + t.FrozenParameters == t.Parameters).Label("trainable + frozen ≠ total"))
            .And(rows.All(r => r.TrainableParameters + r.FrozenParameters == r.Parameters).Label("a row's trainable + frozen ≠ its parameters"))
            .And(rows.All(r => frozenPaths.Contains(r.Path) ? r.TrainableParameters == 0 : r.FrozenParameters == 0).Label("frozen parameters outside frozen nodes"))
            .And((t.TrainableParameters == rows.Sum(r => r.TrainableParameters)).Label("trainable ≠ Σ rows"))
            .And((t.Buffers == rows.Sum(r => r.Buffers) && t.Macs == rows.Sum(r => r.Macs)).Label("buffers or MACs ≠ Σ rows"))
            .And((t.ActivationBytes == rows.Sum(r => r.ActivationBytes)).Label("activations ≠ Σ rows"))
            .And((t.InferenceBytes == t.ParameterBytes + t.InferencePeakActivationBytes).Label("inference memory ≠ parameters + peak"))
            .And((t.InferencePeakActivationBytes <= t.ActivationBytes && t.ActivationBytes <= t.TrainingBytes)
                .Label($"peak {t.InferencePeakActivationBytes} ≤ activations {t.ActivationBytes} ≤ training {t.TrainingBytes} fails"))
            .And((t.InferencePeakActivationBytes >= rows.Max(r => r.ActivationBytes)).Label("the peak is below a single activation"))
            .Classify(frozenPaths.Count > 0, "some frozen");
    }

    [Property(Arbitrary = new[] { typeof(ChainArbitraries), typeof(Arbitraries) }, MaxTest = 300)]
    public Property Chain_memory_peak_is_a_neighbouring_pair(ValidGraph chain, int batch)
    {
        // In a chain, a node's input is freed after it runs: the peak is the largest activation of the
        // input alone or of a node together with its input, and peak ≤ Σ activations ≤ training memory.
        var options = new SummaryOptions(BatchSize: Math.Abs(batch % 8) + 1);
        var summary = chain.Graph.Summarize(options);
        var t = summary.Totals;
        var a = summary.Nodes.Select(r => r.ActivationBytes).ToList();
        var expectedPeak = Enumerable.Range(1, a.Count - 1).Select(i => a[i - 1] + a[i]).Append(a[0]).Max();
        var elements = chain.Shapes.Select(s => s.Dims.Aggregate(1L, (p, d) => p * d)).ToList();
        return chain.IsChain.Label("not a chain")
            .And(a.SequenceEqual(elements.Select(e => e * options.BatchSize * options.BytesPerValue)).Label("activation bytes ≠ elements · batch · bytes"))
            .And((t.InferencePeakActivationBytes == expectedPeak).Label($"peak {t.InferencePeakActivationBytes}, expected {expectedPeak}"))
            .And((t.InferencePeakActivationBytes <= t.ActivationBytes && t.ActivationBytes <= t.TrainingBytes)
                .Label($"peak {t.InferencePeakActivationBytes} ≤ activations {t.ActivationBytes} ≤ training {t.TrainingBytes} fails"));
    }
}
