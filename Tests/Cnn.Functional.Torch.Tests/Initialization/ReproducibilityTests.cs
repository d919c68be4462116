using Cnn.Functional.Torch;
using TorchSharp;
using static Cnn.Functional.Tests.InitializationTests.InitTesting;
using static TorchSharp.torch;

namespace Cnn.Functional.Tests.InitializationTests;

/// <summary>Tests that seed and read libtorch's global generator run alone, so no other test draws from it meanwhile.</summary>
[CollectionDefinition("Global generator", DisableParallelization = true)]
public sealed class GlobalGeneratorCollection;

/// <summary>
/// A seed makes initialisation reproducible bit for bit on the CPU, whatever libtorch's global generator did before;
/// another seed gives other weights; each node has its own stream, so one node's scheme does not move another's weights.
/// </summary>
[Collection("Global generator")]
public class ReproducibilityTests
{
    /// <summary>A net with a layer of most weighted kinds.</summary>
    internal static Graph Mixed() => Graph.Create("mixed", Shape.Image(3, 12, 12))
        .Then("features/conv1", Layers.Conv(8, 3, padding: 1))
        .Then("features/bn1", Layers.BatchNorm())
        .Then("features/relu1", Layers.Relu())
        .Then("features/separable", Layers.DepthwiseSeparableConv(16, 3, padding: 1, depthMultiplier: 2))
        .Then("features/factored", Layers.SpatiallySeparableConv(16, 3, padding: Padding.Same))
        .Then("features/up", Layers.ConvTranspose(8, 2, stride: 2))
        .Then("features/local", Layers.LocallyConnected(4, 3, stride: 3))
        .Then("pool", Layers.GlobalAvgPool())
        .Then("classifier/fc1", Layers.Dense(32))
        .Then("classifier/fc2", Layers.Dense(10));

    private static readonly InitializationPlan Plan = InitializationPlan.Default(Initializers.HeNormal())
        .With("features/conv1", Initializers.DeltaOrthogonal())
        .With("classifier", Initializers.XavierUniform());

    private static Dictionary<string, Tensor> Weights(long globalSeed, long seed, InitializationPlan? plan = null)
    {
        torch.manual_seed(globalSeed);
        using var module = GraphModule.Create(Mixed());
        Initialization.Apply(module, plan ?? Plan, seed);
        return module.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
    }

    [Fact]
    public void The_same_seed_gives_bit_identical_weights_whatever_the_global_generator_did()
    {
        var a = Weights(globalSeed: 1, seed: 42);
        var b = Weights(globalSeed: 2, seed: 42);
        Assert.Equal(a.Keys, b.Keys);
        Assert.All(a, p => Assert.True(BitEqual(p.Value, b[p.Key]), p.Key));
    }

    [Fact]
    public void Another_seed_gives_other_weights_for_every_randomly_drawn_tensor()
    {
        var a = Weights(globalSeed: 1, seed: 42);
        var b = Weights(globalSeed: 1, seed: 43);
        // Zero biases and batch norm's γ = 1, β = 0 are the same under any seed; every drawn weight differs.
        var drawn = a.Keys.Where(k => k.EndsWith("weight", StringComparison.Ordinal) && !k.Contains("bn1")).ToList();
        Assert.Equal(9, drawn.Count);
        Assert.All(drawn, k => Assert.False(BitEqual(a[k], b[k]), k));
    }

    [Fact]
    public void Apply_does_not_draw_from_the_global_generator()
    {
        torch.manual_seed(5);
        using var module = GraphModule.Create(Mixed());
        torch.manual_seed(6);
        var expected = rand(4);
        torch.manual_seed(6);
        Initialization.Apply(module, Plan, 1);
        Assert.True(BitEqual(expected, rand(4)));
    }

    [Fact]
    public void Changing_one_nodes_scheme_leaves_every_other_nodes_weights_unchanged()
    {
        var a = Weights(globalSeed: 1, seed: 42);
        var b = Weights(globalSeed: 1, seed: 42, Plan.With("features/local", Initializers.Dirac()));
        foreach (var (name, value) in a)
            if (name == "features.local.weight") Assert.False(BitEqual(value, b[name]), name);
            else Assert.True(BitEqual(value, b[name]), name);
    }

    [Fact]
    public void Applying_twice_with_one_seed_gives_the_weights_of_applying_once()
    {
        torch.manual_seed(1);
        using var module = GraphModule.Create(Mixed());
        Initialization.Apply(module, Plan, 7);
        var once = module.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        Initialization.Apply(module, Plan, 7);
        Assert.All(module.named_parameters(), p => Assert.True(BitEqual(once[p.name], p.parameter.detach()), p.name));
    }
}
