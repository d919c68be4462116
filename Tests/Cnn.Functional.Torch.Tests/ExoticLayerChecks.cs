using Cnn.Functional.Torch;
using TorchSharp;
using static Cnn.Functional.Tests.OneLayer;
using static TorchSharp.torch;

namespace Cnn.Functional.Tests;

/// <summary>
/// Checks every layer TorchSharp lacks goes through: autograd's gradients equal central finite differences in
/// double precision (a gradcheck), the module converts to float64 with TorchSharp's <c>to</c>, and a forward and
/// backward pass outside any dispose scope leaves no tensor alive.
/// </summary>
public class ExoticLayerChecks
{
    public static TheoryData<string> Cases() => [.. Checked().Keys];

    // Each case: the layer, its input, the parameters to check besides the input, and values to set first.
    private static Dictionary<string, (Layer Layer, Shape Input, string[] Parameters, Action<GraphModule>? Setup)> Checked() => new()
    {
        ["convTranspose"] = (Layers.ConvTranspose(4, 3, stride: 2, padding: 1, outputPadding: 1, groups: 2), Shape.Image(2, 3, 4), ["weight", "bias"], null),
        ["depthwiseSeparable"] = (Layers.DepthwiseSeparableConv(3, 3, stride: 2, padding: Padding.Same, depthMultiplier: 2), Shape.Image(2, 5, 4),
            ["depthwise.weight", "pointwise.weight", "pointwise.bias"], null),
        ["spatiallySeparable"] = (Layers.SpatiallySeparableConv(2, 3, stride: 2, padding: Padding.Same), Shape.Image(2, 5, 6),
            ["factor1.weight", "factor2.weight", "bias"], null),
        ["locallyConnected"] = (Layers.LocallyConnected(2, 2, stride: 2, padding: 1), Shape.Image(2, 4, 4), ["weight", "bias"], null),
        ["deformable"] = (Layers.DeformableConv(2, 3, padding: 1, groups: 2, offsetGroups: 2), Shape.Image(2, 4, 5),
            ["offset.weight", "offset.bias", "weight", "bias"], m =>
            {
                // Fractional offsets of a few tenths, away from the integer grid where bilinear sampling has kinks.
                m.Set("layer.offset.weight", 0.05 * randn(36, 2, 3, 3, dtype: ScalarType.Float64));
                m.Set("layer.offset.bias", 0.3 + 0.2 * rand(36, dtype: ScalarType.Float64));
            }),
        ["coordConv"] = (Layers.CoordConv(2, 3, padding: 1, withRadius: true), Shape.Image(1, 4, 3), ["weight", "bias"], null),
        ["partialConv"] = (Layers.PartialConv([[0], [0, 2], [1, 2]], 2), Shape.Image(3, 4, 4), ["weight", "bias"], null),
        ["subsampling"] = (Layers.Subsampling(2), Shape.Image(2, 4, 4), ["weight", "bias"], null),
        ["rbfOutput"] = (Layers.RbfOutput(3), Shape.Vector(5), [], null),
        ["diracConv"] = (Layers.DiracConv(3, 3, padding: 1), Shape.Image(2, 4, 4), ["weight", "alpha", "beta", "bias"], null),
        ["l2Pool"] = (Layers.L2Pool(2), Shape.Image(2, 4, 4), [], null),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Gradients_equal_finite_differences_in_double_precision(string name)
    {
        var (layer, input, parameters, setup) = Checked()[name];
        torch.manual_seed(1);
        using var module = Lower(layer, input).to(ScalarType.Float64);
        setup?.Invoke(module);
        using var scope = NewDisposeScope();
        var x = randn(Dims(input, 2), dtype: ScalarType.Float64).requires_grad_();
        var weights = randn(module.forward(x).shape, dtype: ScalarType.Float64);
        (module.forward(x) * weights).sum().backward();
        var random = new Random(7);
        foreach (var (label, tensor) in parameters.Select(p => (p, (Tensor)module.Parameter($"layer.{p}"))).Prepend(("input", x)))
        {
            var analytic = tensor.grad!.reshape(-1);
            var flat = tensor.detach().reshape(-1);
            for (var sample = 0; sample < 8; sample++)
            {
                var i = random.Next((int)flat.shape[0]);
                var numeric = (Loss(module, x, weights, flat, i, 1e-6) - Loss(module, x, weights, flat, i, -1e-6)) / 2e-6;
                var exact = analytic[i].item<double>();
                Assert.True(Math.Abs(exact - numeric) <= 1e-5 * (1 + Math.Abs(numeric)),
                    $"{name}: ∂L/∂{label}[{i}] is {exact} by autograd, {numeric} by central differences");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Converts_to_double_precision(string name)
    {
        var (layer, input, _, _) = Checked()[name];
        using var module = Lower(layer, input).to(ScalarType.Float64);
        Assert.All(module.state_dict().Values, t => Assert.Equal(ScalarType.Float64, t.dtype));
        using var scope = NewDisposeScope();
        Assert.Equal(ScalarType.Float64, module.forward(randn(Dims(input, 2), dtype: ScalarType.Float64)).dtype);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Leaves_no_tensor_alive(string name)
    {
        var (layer, input, _, _) = Checked()[name];
        using var module = Lower(layer, input);
        using var x = randn(Dims(input, 2)).requires_grad_();
        var statistics = DisposeScopeManager.Statistics;
        statistics.Reset();
        using (var y = module.forward(x))
        using (var loss = y.sum())
            loss.backward();
        Assert.Equal(0, statistics.ThreadTotalLiveCount);
    }

    // L with element i of the flat view shifted by h (and restored).
    private static double Loss(GraphModule module, Tensor x, Tensor weights, Tensor flat, int i, double h)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        flat[i].add_(h);
        var loss = (module.forward(x) * weights).sum().item<double>();
        flat[i].sub_(h);
        return loss;
    }
}
