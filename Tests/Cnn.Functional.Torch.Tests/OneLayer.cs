using Cnn.Functional.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Cnn.Functional.Tests;

/// <summary>Helpers for tests of one lowered layer: a graph input → "layer", its parameters by name, and comparisons.</summary>
internal static class OneLayer
{
    /// <summary>The graph <c>input → layer</c> lowered; its tensors are named <c>layer.weight</c>, <c>layer.offset.bias</c>, ….</summary>
    public static GraphModule Lower(Layer layer, Shape input) => GraphModule.Create(Graph.Create("one", input).Then("layer", layer));

    public static Parameter Parameter(this GraphModule module, string name) =>
        module.named_parameters().Single(p => p.name == name).parameter;

    public static Tensor State(this GraphModule module, string name) => module.state_dict()[name];

    /// <summary>Overwrites a parameter or buffer in place (shapes must agree).</summary>
    public static void Set(this GraphModule module, string name, Tensor value)
    {
        using var _ = no_grad();
        module.state_dict()[name].copy_(value);
    }

    /// <summary>Asserts equal shapes and a largest absolute difference within <paramref name="tolerance"/>.</summary>
    public static void Close(Tensor expected, Tensor actual, double tolerance = 1e-5)
    {
        Assert.Equal(expected.shape, actual.shape);
        using var difference = (expected.to(ScalarType.Float64) - actual.to(ScalarType.Float64)).abs().max();
        var largest = difference.item<double>();
        Assert.True(largest <= tolerance, $"largest difference {largest} > {tolerance}");
    }

    public static long[] Dims(Shape shape, int batch) => [batch, .. shape.Dims.Items.Select(d => (long)d)];
}
