using Cnn.Functional.Dsl;
using Cnn.Functional.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Cnn.Functional.Tests;

public class LoweringTests
{
    [Fact]
    public void LeNet5_lowers_to_a_module_whose_state_dict_is_the_graphs_layout()
    {
        var graph = LeNet.LeNet5();
        using var module = GraphModule.Create(graph);
        var expected = StateDictLayout.Of(graph.Infer()).Select(t => $"{t.Name} [{string.Join(", ", t.Shape.Items)}]");
        var actual = module.state_dict().Select(kv => $"{kv.Key} [{string.Join(", ", kv.Value.shape)}]");
        Assert.Equal(expected, actual);
        Assert.Equal(61_706, module.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void LeNet5s_forward_gives_the_inferred_shape_and_a_gradient_for_every_parameter()
    {
        torch.manual_seed(1);
        using var module = GraphModule.Create(LeNet.LeNet5());
        using var scope = NewDisposeScope();
        var x = randn(4, 1, 28, 28);
        var y = module.forward(x);
        Assert.Equal(new long[] { 4, 10 }, y.shape);
        y.sum().backward();
        Assert.All(module.parameters(), p => Assert.True(p.grad is not null && p.grad.abs().sum().item<float>() > 0));
    }

    [Fact]
    public void Nested_paths_become_nested_modules()
    {
        var graph = Graph.Create("nested", Shape.Image(3, 8, 8))
            .Then("layer1/0/conv1", Layers.Conv(4, 3, padding: 1, bias: false))
            .Then("layer1/0/bn1", Layers.BatchNorm())
            .Then("head/fc", Layers.GlobalAvgPool())
            .Then("head/out", Layers.Dense(2));
        using var module = GraphModule.Create(graph);
        // TorchSharp lists parameters before buffers; the names are what matter.
        Assert.Equal(
            new[] { "head.out.bias", "head.out.weight", "layer1.0.bn1.bias", "layer1.0.bn1.num_batches_tracked", "layer1.0.bn1.running_mean",
                "layer1.0.bn1.running_var", "layer1.0.bn1.weight", "layer1.0.conv1.weight" },
            module.state_dict().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_node_that_is_also_a_scope_is_refused()
    {
        var graph = Graph.Create("clash", Shape.Vector(4)).Then("fc", Layers.Dense(3)).Then("fc/inner", Layers.Dense(2));
        var error = Assert.Throws<GraphException>(() => GraphModule.Create(graph));
        Assert.Contains("'fc' is both a node and the scope of 'fc/inner'", error.Message);
    }

    [Fact]
    public void Run_keeps_the_requested_activations()
    {
        using var module = GraphModule.Create(LeNet.LeNet5());
        using var scope = NewDisposeScope();
        var outputs = module.Run(randn(2, 1, 28, 28), ["pool2", "fc2"]);
        Assert.Equal(new long[] { 2, 16, 5, 5 }, outputs["pool2"].shape);
        Assert.Equal(new long[] { 2, 84 }, outputs["fc2"].shape);
        Assert.Equal(new long[] { 2, 10 }, outputs["fc3"].shape);
    }
}

public class NativeAllocatorTests
{
    [Fact]
    public void Glibc_accepts_the_allocator_settings_once_a_graph_is_lowered()
    {
        using var module = GraphModule.Create(LeNet.LeNet5());
        Assert.True(NativeAllocator.Tuned);
    }
}
