using Cnn.Functional.Torch;
using static Cnn.Functional.Tests.InitializationTests.InitTesting;
using static TorchSharp.torch;

namespace Cnn.Functional.Tests.InitializationTests;

/// <summary>
/// The schemes that draw i.i.d. weights have the variance their papers give for each layer's fans: Var = 1/(3n_in)
/// (standard), 2·gain²/(n_in + n_out) (Xavier), gain²/n with gain = √(2/(1 + a²)) (He); uniform ones stay inside their
/// bound and reach close to it; biases are zero except for standard.
/// </summary>
public class FanScaledSchemeTests
{
    [Fact]
    public void Xavier_normal_on_a_256_by_256_dense_layer_has_variance_2_over_512()
    {
        using var module = OneLayer(Layers.Dense(256), Shape.Vector(256), Initializers.XavierNormal());
        VarianceIs(2.0 / 512, module.Parameter("layer.weight"), uniform: false, "xavier-normal 256×256");
        Assert.True(Math.Abs(Mean(module.Parameter("layer.weight"))) < 5 * Math.Sqrt(2.0 / 512 / 65536));
        Assert.Equal(0, module.Parameter("layer.bias").count_nonzero().item<long>());
    }

    [Fact]
    public void Xavier_uniform_stays_inside_its_bound_and_has_the_xavier_variance()
    {
        // n_in = 256, n_out = 128: bound √(6/384), variance 2/384; gain 2 multiplies the bound by 2.
        using var module = OneLayer(Layers.Dense(128), Shape.Vector(256), Initializers.XavierUniform(gain: 2));
        var weight = module.Parameter("layer.weight");
        var bound = 2 * Math.Sqrt(6.0 / 384);
        FillsBound(bound, weight);
        VarianceIs(4 * 2.0 / 384, weight, uniform: true, "xavier-uniform(gain=2) 256→128");
    }

    [Theory]
    [InlineData(FanMode.FanIn, 0.0, 64 * 9)]
    [InlineData(FanMode.FanOut, 0.0, 128 * 9)]
    [InlineData(FanMode.FanIn, 0.2, 64 * 9)]
    public void He_normal_on_a_conv_has_std_gain_over_root_fan(FanMode mode, double slope, int fan)
    {
        using var module = OneLayer(Layers.Conv(128, 3, padding: 1), Shape.Image(64, 8, 8), Initializers.HeNormal(mode, slope));
        var weight = module.Parameter("layer.weight");
        var gain2 = 2 / (1 + slope * slope);
        VarianceIs(gain2 / fan, weight, uniform: false, $"he-normal({mode}, slope {slope}) conv 64→128 3×3");
        var std = Math.Sqrt(Variance(weight));
        Assert.InRange(std / Math.Sqrt(gain2 / fan), 0.97, 1.03);
        Assert.Equal(0, module.Parameter("layer.bias").count_nonzero().item<long>());
    }

    [Fact]
    public void He_uniform_has_bound_root_6_over_fan_in()
    {
        using var module = OneLayer(Layers.Conv(128, 3, padding: 1), Shape.Image(64, 8, 8), Initializers.HeUniform());
        var weight = module.Parameter("layer.weight");
        var bound = Math.Sqrt(6.0 / (64 * 9));
        FillsBound(bound, weight);
        VarianceIs(2.0 / (64 * 9), weight, uniform: true, "he-uniform conv 64→128 3×3");
    }

    [Fact]
    public void Standard_is_the_lectures_uniform_of_bound_one_over_root_fan_in_for_weights_and_biases()
    {
        using var module = OneLayer(Layers.Dense(256), Shape.Vector(256), Initializers.Standard());
        var (weight, bias) = (module.Parameter("layer.weight"), module.Parameter("layer.bias"));
        FillsBound(1.0 / 16, weight);
        VarianceIs(1.0 / (3 * 256), weight, uniform: true, "standard 256×256");
        FillsBound(1.0 / 16, bias, reach: 0.5);
    }

    [Fact]
    public void Grouped_convolutions_count_fans_per_group()
    {
        // 64 → 128 in 4 groups, 3×3: n_in = 16·9, n_out = 32·9.
        using var he = OneLayer(Layers.GroupConv(128, 3, groups: 4, padding: 1), Shape.Image(64, 8, 8), Initializers.HeNormal());
        VarianceIs(2.0 / 144, he.Parameter("layer.weight"), uniform: false, "he-normal grouped");
        using var xavier = OneLayer(Layers.GroupConv(128, 3, groups: 4, padding: 1), Shape.Image(64, 8, 8), Initializers.XavierNormal());
        VarianceIs(2.0 / (144 + 288), xavier.Parameter("layer.weight"), uniform: false, "xavier-normal grouped");
    }

    [Fact]
    public void A_transposed_convolution_uses_the_fans_of_its_weight_layout_as_PyTorch_does()
    {
        // weight [C = 64, F = 32, 4, 4]: n_in = 32·16, n_out = 64·16.
        using var he = OneLayer(Layers.ConvTranspose(32, 4, stride: 2, padding: 1), Shape.Image(64, 4, 4), Initializers.HeNormal());
        VarianceIs(2.0 / 512, he.Parameter("layer.weight"), uniform: false, "he-normal transposed");
        using var xavier = OneLayer(Layers.ConvTranspose(32, 4, stride: 2, padding: 1), Shape.Image(64, 4, 4), Initializers.XavierNormal());
        VarianceIs(2.0 / (512 + 1024), xavier.Parameter("layer.weight"), uniform: false, "xavier-normal transposed");
    }

    [Fact]
    public void Each_part_of_a_separable_convolution_has_its_own_fans()
    {
        // Depthwise [256·2, 1, 3, 3] (n_in = 9), pointwise [64, 512, 1, 1] (n_in = 512).
        using var module = OneLayer(Layers.DepthwiseSeparableConv(64, 3, padding: 1, depthMultiplier: 2), Shape.Image(256, 6, 6), Initializers.HeNormal());
        VarianceIs(2.0 / 9, module.Parameter("layer.depthwise.weight"), uniform: false, "depthwise part");
        VarianceIs(2.0 / 512, module.Parameter("layer.pointwise.weight"), uniform: false, "pointwise part");
        Assert.Equal(0, module.Parameter("layer.pointwise.bias").count_nonzero().item<long>());
    }

    [Fact]
    public void A_locally_connected_layer_has_the_fans_of_one_position()
    {
        // weight [4, 4, 32, 16, 3, 3]: n_in = 16·9.
        using var module = OneLayer(Layers.LocallyConnected(32, 3), Shape.Image(16, 6, 6), Initializers.HeNormal());
        VarianceIs(2.0 / 144, module.Parameter("layer.weight"), uniform: false, "locally connected");
    }

    [Fact]
    public void LeNets_partial_connections_get_the_bound_of_each_filters_own_fan_in()
    {
        // C3: rows of 3, 4 and 6 input maps, 5×5 kernels: bounds 1/√75, 1/√100, 1/√150.
        using var module = OneLayer(Layers.PartialConv(PartialConv.LeNetC3.Items.Select(r => r.Items.AsEnumerable()), 5), Shape.Image(6, 14, 14), Initializers.Standard());
        var weight = module.Parameter("layer.weight");
        var bias = module.Parameter("layer.bias");
        FillsBound(1 / Math.Sqrt(75), weight[..18], reach: 0.9);
        FillsBound(1 / Math.Sqrt(100), weight[18..54], reach: 0.9);
        FillsBound(1 / Math.Sqrt(150), weight[54..], reach: 0.9);
        Assert.True(MaxAbs(bias[15]) <= 1 / Math.Sqrt(150));
    }

    [Fact]
    public void Norm_layers_keep_scale_one_and_shift_zero()
    {
        var graph = Graph.Create("bn", Shape.Image(3, 8, 8))
            .Then("conv", Layers.Conv(16, 3, padding: 1))
            .Then("bn", Layers.BatchNorm())
            .Then("gn", Layers.GroupNorm(4))
            .Then("prelu", Layers.PRelu(0.25));
        using var module = Initialized(graph, InitializationPlan.Default(Initializers.XavierNormal()));
        Assert.True(BitEqual(ones(16), module.Parameter("bn.weight")));
        Assert.True(BitEqual(zeros(16), module.Parameter("bn.bias")));
        Assert.True(BitEqual(ones(16), module.Parameter("gn.weight")));
        Assert.True(BitEqual(full(16, 0.25f), module.Parameter("prelu.weight")));
    }
}
