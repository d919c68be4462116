using Cnn.Functional.Torch;
using TorchSharp;
using Xunit.Abstractions;
using static Cnn.Functional.Tests.InitializationTests.InitTesting;
using static TorchSharp.torch;

namespace Cnn.Functional.Tests.InitializationTests;

/// <summary>
/// Delta-orthogonal kernels (Xiao et al., 2018): zero except the centre tap, which is gain·H with HᵀH = I, so a deep
/// stack of such convolutions preserves the input's norm; layers it cannot build are errors when asked for by an
/// override, and get the standard scheme when it is only the default.
/// </summary>
public class DeltaOrthogonalTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(16, 16, 1, 3, 1.0)]
    [InlineData(32, 8, 1, 5, 1.0)]
    [InlineData(24, 12, 3, 3, 2.0)]
    public void The_centre_tap_is_orthogonal_and_every_other_tap_is_exactly_zero(int filters, int channels, int groups, int kernel, double gain)
    {
        using var module = OneLayer(Layers.GroupConv(filters, kernel, groups, padding: Padding.Same), Shape.Image(channels, 9, 9), Initializers.DeltaOrthogonal(gain));
        var weight = module.Parameter("layer.weight").to(ScalarType.Float64);
        var centre = weight[.., .., kernel / 2, kernel / 2];
        var (outG, inG) = (filters / groups, channels / groups);
        for (var g = 0; g < groups; g++)
        {
            var h = centre[(g * outG)..((g + 1) * outG)];
            var gram = h.t().matmul(h);
            var largest = MaxAbs(gram - gain * gain * eye(inG, dtype: ScalarType.Float64));
            output.WriteLine($"{filters}←{channels}, group {g}: max |HᵀH − gain²I| = {largest:E2}");
            Assert.True(largest < 1e-5, $"group {g}: max |HᵀH − gain²I| = {largest}");
        }
        var others = weight.clone();
        others[.., .., kernel / 2, kernel / 2] = zeros(filters, inG, dtype: ScalarType.Float64);
        Assert.Equal(0, others.count_nonzero().item<long>());
        Assert.Equal(0, module.Parameter("layer.bias").count_nonzero().item<long>());
    }

    [Fact]
    public void A_deep_stack_of_linear_delta_orthogonal_convolutions_preserves_the_norm_of_its_input()
    {
        // 8 → 16 channels, then 31 layers 16 → 16: 32 convolutions, no nonlinearity, no bias.
        var graph = Graph.Create("deep", Shape.Image(8, 10, 10)).Then("conv0", Layers.Conv(16, 3, padding: Padding.Same, bias: false));
        for (var i = 1; i < 32; i++) graph = graph.Then($"conv{i}", Layers.Conv(16, 3, padding: Padding.Same, bias: false));
        using var module = Initialized(graph, InitializationPlan.Default(Initializers.DeltaOrthogonal()));
        using var he = Initialized(graph, InitializationPlan.Default(Initializers.HeNormal()));
        using var scope = NewDisposeScope();
        var x = randn([4, 8, 10, 10], generator: new Generator(7));
        using var _ = no_grad();
        var ratio = (module.forward(x).norm() / x.norm()).item<float>();
        var heRatio = (he.forward(x).norm() / x.norm()).item<float>();
        output.WriteLine($"‖y‖/‖x‖ after 32 layers: delta-orthogonal {ratio:R}, he-normal {heRatio:G4}");
        Assert.InRange(ratio, 1 - 1e-4, 1 + 1e-4);
        // The control: i.i.d. weights of the right variance do not preserve the norm of a given input exactly.
        Assert.True(Math.Abs(heRatio - 1) > 1e-2, $"he-normal's ratio {heRatio}");
    }

    [Fact]
    public void A_dense_layer_gets_an_orthogonal_matrix_and_a_transposed_convolution_an_orthogonal_map()
    {
        using var dense = OneLayer(Layers.Dense(64), Shape.Vector(48), Initializers.DeltaOrthogonal());
        var w = dense.Parameter("layer.weight").to(ScalarType.Float64);
        Assert.True(MaxAbs(w.t().matmul(w) - eye(48, dtype: ScalarType.Float64)) < 1e-5);

        // weight [C = 8, F = 16, 3, 3] holds Hᵀ: the map from 8 inputs to 16 outputs is H, with HᵀH = I.
        using var transposed = OneLayer(Layers.ConvTranspose(16, 3, padding: 1), Shape.Image(8, 5, 5), Initializers.DeltaOrthogonal());
        using var scope = NewDisposeScope();
        var x = randn([2, 8, 5, 5], generator: new Generator(3));
        using var _ = no_grad();
        var ratio = (transposed.forward(x).norm() / x.norm()).item<float>();
        Assert.InRange(ratio, 1 - 1e-5, 1 + 1e-5);
    }

    [Fact]
    public void An_override_on_an_even_kernel_is_an_error_naming_the_layer_and_the_kernel()
    {
        var graph = Graph.Create("even", Shape.Image(3, 8, 8))
            .Then("features/conv1", Layers.Conv(8, 4, padding: Padding.Same))
            .Then("features/conv2", Layers.Conv(8, 3, padding: Padding.Same));
        var plan = InitializationPlan.Default(Initializers.HeNormal()).With("features", Initializers.DeltaOrthogonal());
        var error = Assert.Throws<GraphException>(() => Initialized(graph, plan)).Errors.Single();
        Assert.Equal("features/conv1", error.Path);
        Assert.Equal("conv", error.LayerKind);
        Assert.Contains("the override 'features=delta-orthogonal'", error.Message);
        Assert.Contains("odd kernel", error.Message);
        Assert.Contains("[8, 3, 4, 4]", error.Message);
        Assert.Contains("4×4", error.Message);
    }

    [Fact]
    public void An_override_with_fewer_outputs_than_inputs_is_an_error_with_both_counts_and_nothing_changes()
    {
        var graph = Graph.Create("narrow", Shape.Image(16, 8, 8)).Then("squeeze", Layers.Conv(8, 3, padding: 1));
        torch.manual_seed(3);
        using var module = GraphModule.Create(graph);
        var before = module.Parameter("squeeze.weight").clone();
        var plan = InitializationPlan.Default(Initializers.Standard()).With("squeeze", Initializers.DeltaOrthogonal());
        var error = Assert.Throws<GraphException>(() => Initialization.Apply(module, plan, 1)).Errors.Single();
        Assert.Equal("squeeze", error.Path);
        Assert.Contains("maps 16 inputs to 8 outputs", error.Message);
        Assert.True(BitEqual(before, module.Parameter("squeeze.weight")));
    }

    [Fact]
    public void As_the_default_it_leaves_layers_it_cannot_build_to_the_standard_scheme_and_says_so()
    {
        var graph = Graph.Create("net", Shape.Image(3, 8, 8))
            .Then("conv", Layers.Conv(16, 3, padding: 1))
            .Then("flatten", Layers.Flatten())
            .Then("classifier", Layers.Dense(10));
        torch.manual_seed(1);
        using var module = GraphModule.Create(graph);
        var report = Initialization.Apply(module, InitializationPlan.Default(Initializers.DeltaOrthogonal()), 1);
        Assert.Equal(["conv", "classifier"], report.Select(r => r.Path));
        Assert.Equal(Initializers.DeltaOrthogonal(), report[0].Scheme);
        Assert.Equal("", report[0].Note);
        Assert.Equal(Initializers.Standard(), report[1].Scheme);
        Assert.Contains("delta-orthogonal cannot initialise this dense layer", report[1].Note);
        Assert.Contains("maps 1024 inputs to 10 outputs", report[1].Note);
        // The classifier's weights are the standard ones: inside ±1/√1024, and the bias drawn, not zero.
        FillsBound(1 / 32.0, module.Parameter("classifier.weight"));
        Assert.NotEqual(0, module.Parameter("classifier.bias").count_nonzero().item<long>());
    }
}
