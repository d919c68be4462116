using Cnn.Functional.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Cnn.Functional.Tests.InitializationTests;

/// <summary>Helpers for the initialisation tests: lowering and initialising a graph, reading a node's tensors, and sample statistics.</summary>
internal static class InitTesting
{
    /// <summary>The graph lowered (from whatever state the global generator is in: Apply redraws every random weight) and initialised by <paramref name="plan"/>.</summary>
    public static GraphModule Initialized(Graph graph, InitializationPlan plan, long seed = 1, Tensor? images = null)
    {
        var module = GraphModule.Create(graph);
        Initialization.Apply(module, plan, seed, images);
        return module;
    }

    /// <summary><c>input → layer</c> initialised with <paramref name="scheme"/> as the default.</summary>
    public static GraphModule OneLayer(Layer layer, Shape input, Initializer scheme, long seed = 1) =>
        Initialized(Graph.Create("one", input).Then("layer", layer), InitializationPlan.Default(scheme), seed);

    /// <summary>A parameter by its state-dict name (<c>layer.weight</c>, <c>layer.pointwise.bias</c>, …).</summary>
    public static Tensor Parameter(this GraphModule module, string name) =>
        module.named_parameters().Single(p => p.name == name).parameter.detach();

    public static double Mean(Tensor t) => t.to(ScalarType.Float64).mean().item<double>();

    /// <summary>The sample variance about the known mean 0, Σw²/N: the schemes' weights have mean 0 by construction.</summary>
    public static double Variance(Tensor t) => t.to(ScalarType.Float64).square().mean().item<double>();

    public static double MaxAbs(Tensor t) => t.to(ScalarType.Float64).abs().max().item<double>();

    /// <summary>
    /// Asserts that the variance of <paramref name="t"/> is <paramref name="expected"/> within five standard errors of the
    /// sample variance of N draws (√(2/N) relative for a normal, √(0.8/N) for a uniform, whose kurtosis is 9/5).
    /// </summary>
    public static void VarianceIs(double expected, Tensor t, bool uniform, string what)
    {
        var n = t.numel();
        var tolerance = 5 * Math.Sqrt((uniform ? 0.8 : 2.0) / n);
        var actual = Variance(t);
        Assert.True(Math.Abs(actual / expected - 1) <= tolerance,
            $"{what}: variance {actual:G6}, expected {expected:G6} (relative error {actual / expected - 1:P2}, tolerance {tolerance:P2}, N = {n})");
    }

    /// <summary>The cosine of the angle between two tensors read as vectors.</summary>
    public static double Cosine(Tensor a, Tensor b)
    {
        using var x = a.to(ScalarType.Float64).flatten();
        using var y = b.to(ScalarType.Float64).flatten();
        return (x.dot(y) / (x.norm() * y.norm())).item<double>();
    }

    /// <summary>Same type, shape and bits (NaN-free tensors).</summary>
    public static bool BitEqual(Tensor a, Tensor b) => a.dtype == b.dtype && a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    /// <summary>
    /// Asserts that max |t| lies in [<paramref name="reach"/>·bound, bound], the bound rounded to float32 (one ulp of
    /// slack): uniform draws fill their range.
    /// </summary>
    public static void FillsBound(double bound, Tensor t, double reach = 0.99)
    {
        var largest = MaxAbs(t);
        Assert.True(largest <= bound * (1 + 1.2e-7) && largest >= reach * bound, $"max |w| = {largest:G9}, expected in [{reach * bound:G9}, {bound:G9}]");
    }
}
