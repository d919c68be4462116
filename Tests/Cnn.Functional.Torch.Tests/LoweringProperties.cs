using Cnn.Functional.Properties;
using Cnn.Functional.Torch;
using FsCheck.Xunit;
using TorchSharp;
using static TorchSharp.torch;

namespace Cnn.Functional.Tests;

/// <summary>
/// The lowering agrees with the graph for any valid graph (Properties' <see cref="ValidGraph"/>: chains and DAGs of
/// every layer kind the generator knows): it succeeds, every node's activation for a batch of 2 has exactly the
/// shape inference predicted, the state dict is <see cref="StateDictLayout"/>, and one backward pass gives every
/// learned parameter (one that requires a gradient) a finite gradient.
/// </summary>
public class LoweringProperties
{
    [Property(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = 60)]
    public void Any_valid_graph_lowers_to_the_inferred_shapes_and_layout_and_trains(ValidGraph valid)
    {
        torch.manual_seed(11);
        var inferred = valid.Graph.Infer();
        using var module = GraphModule.Create(inferred);
        Assert.Equal(Layout.Of(inferred), Layout.Of(module));

        using var scope = NewDisposeScope();
        var paths = inferred.Nodes.Select(n => n.Path).ToArray();
        var outputs = module.Run(randn([2, .. inferred.Nodes[0].OutputShape.Dims.Items.Select(d => (long)d)]), paths);
        for (var i = 0; i < paths.Length; i++)
        {
            long[] expected = [2, .. inferred.Nodes[i].OutputShape.Dims.Items.Select(d => (long)d)];
            Assert.True(expected.SequenceEqual(outputs[paths[i]].shape),
                $"{paths[i]} ({inferred.Nodes[i].Node.Layer.Kind}): inferred [{string.Join(", ", expected)}], got [{string.Join(", ", outputs[paths[i]].shape)}]");
            Assert.Equal(valid.Shapes[i], inferred.Nodes[i].OutputShape);
        }

        // Every node's output enters the loss, so every parameter is on a path to it.
        var loss = outputs.Where(o => o.Key != paths[0]).Select(o => o.Value.square().mean()).Aggregate(zeros(1), (a, b) => a + b);
        if (loss.requires_grad) loss.backward();
        foreach (var (name, parameter) in module.named_parameters().Where(p => p.parameter.requires_grad))
        {
            Assert.True(parameter.grad is not null, $"{name} got no gradient");
            Assert.True(parameter.grad.isfinite().all().item<bool>(), $"{name}'s gradient is not finite");
        }
    }
}

/// <summary>A state dict as sorted "name [shape]" lines, for comparing a module with <see cref="StateDictLayout"/>.</summary>
internal static class Layout
{
    public static IReadOnlyList<string> Of(InferredGraph graph) =>
        StateDictLayout.Of(graph).Select(t => $"{t.Name} [{string.Join(", ", t.Shape.Items)}]").Order(StringComparer.Ordinal).ToList();

    public static IReadOnlyList<string> Of(nn.Module module) =>
        module.state_dict().Select(kv => $"{kv.Key} [{string.Join(", ", kv.Value.shape)}]").Order(StringComparer.Ordinal).ToList();
}
