namespace Cnn.Functional.Tests;

/// <summary>Local response, batch, layer, instance and group normalisation: parameters and buffers by hand.</summary>
public class NormalizationTests
{
    [Fact]
    public void Local_response_norm_defaults_are_Krizhevskys()
    {
        var lrn = (LocalResponseNorm)Layers.LocalResponseNorm();

        // k = 2, n = 5, α = 10⁻⁴, β = 0.75
        Assert.Equal(2, lrn.K);
        Assert.Equal(5, lrn.Size);
        Assert.Equal(1e-4, lrn.Alpha);
        Assert.Equal(0.75, lrn.Beta);
    }

    [Fact]
    public void Local_response_norm_keeps_the_shape_and_has_no_parameters()
    {
        var info = OneLayer.Info(Shape.Image(96, 55, 55), Layers.LocalResponseNorm());

        Assert.Equal(Shape.Image(96, 55, 55), info.Output);
        Assert.Equal(0, info.Parameters);
        Assert.Equal(0, info.Buffers);
    }

    [Fact]
    public void Local_response_norm_refuses_bad_constants_all_at_once()
    {
        Assert.Equal(
            ["size n must be at least 1; got 0", "α must be a non-negative number; got -1", "β must be a non-negative number; got NaN", "k must be a positive number; got 0"],
            OneLayer.Messages(Shape.Image(8, 4, 4), Layers.LocalResponseNorm(size: 0, alpha: -1, beta: double.NaN, k: 0)));
        Assert.Equal(
            ["normalises across the channels of a spatial input; got the flat vector [8]"],
            OneLayer.Messages(Shape.Vector(8), Layers.LocalResponseNorm()));
    }

    [Fact]
    public void Batch_norm_has_gamma_and_beta_per_channel_and_running_statistics()
    {
        var info = OneLayer.Info(Shape.Image(64, 32, 32), Layers.BatchNorm());

        Assert.Equal(Shape.Image(64, 32, 32), info.Output);
        // γ, β: 2·64 = 128 parameters; running mean, variance: 2·64 = 128 buffers
        Assert.Equal(128, info.Parameters);
        Assert.Equal(128, info.Buffers);
    }

    [Fact]
    public void Batch_norm_without_affine_keeps_only_the_statistics()
    {
        var info = OneLayer.Info(Shape.Image(64, 32, 32), Layers.BatchNorm(affine: false));

        Assert.Equal(0, info.Parameters);
        Assert.Equal(128, info.Buffers);
    }

    [Fact]
    public void Batch_norm_of_a_flat_vector_normalises_each_feature()
    {
        var info = OneLayer.Info(Shape.Vector(100), Layers.BatchNorm());

        // 2·100 = 200 parameters and 200 buffers
        Assert.Equal(200, info.Parameters);
        Assert.Equal(200, info.Buffers);
    }

    [Fact]
    public void Batch_norm_refuses_a_zero_epsilon_and_a_momentum_above_one()
    {
        Assert.Equal(
            ["epsilon must be a positive number; got 0", "momentum must be in [0, 1]; got 1.5"],
            OneLayer.Messages(Shape.Image(4, 4, 4), Layers.BatchNorm(epsilon: 0, momentum: 1.5)));
    }

    [Fact]
    public void Batch_norm_accepts_a_momentum_of_one_as_pytorch_does()
    {
        Assert.Equal(Shape.Image(4, 4, 4), OneLayer.Info(Shape.Image(4, 4, 4), Layers.BatchNorm(momentum: 1)).Output);
    }

    [Fact]
    public void Layer_norm_has_an_elementwise_gamma_and_beta()
    {
        var info = OneLayer.Info(Shape.Image(64, 8, 8), Layers.LayerNorm());

        // 2 · 64·8·8 = 2 · 4,096 = 8,192
        Assert.Equal(8_192, info.Parameters);
        Assert.Equal(0, info.Buffers);
        Assert.Equal(0, OneLayer.Info(Shape.Image(64, 8, 8), Layers.LayerNorm(affine: false)).Parameters);
        // a flat vector of 512: 2·512 = 1,024
        Assert.Equal(1_024, OneLayer.Info(Shape.Vector(512), Layers.LayerNorm()).Parameters);
    }

    [Fact]
    public void Instance_norm_defaults_to_no_parameters_and_no_statistics()
    {
        var info = OneLayer.Info(Shape.Image(64, 32, 32), Layers.InstanceNorm());

        Assert.Equal(0, info.Parameters);
        Assert.Equal(0, info.Buffers);
    }

    [Fact]
    public void Instance_norm_with_affine_and_running_statistics()
    {
        var info = OneLayer.Info(Shape.Image(64, 32, 32), Layers.InstanceNorm(affine: true, trackRunningStats: true));

        // 2·64 = 128 each
        Assert.Equal(128, info.Parameters);
        Assert.Equal(128, info.Buffers);
    }

    [Fact]
    public void Instance_norm_needs_a_spatial_input()
    {
        Assert.Single(OneLayer.Errors(Shape.Vector(64), Layers.InstanceNorm()));
    }

    [Fact]
    public void Group_norm_has_gamma_and_beta_per_channel()
    {
        var info = OneLayer.Info(Shape.Image(64, 16, 16), Layers.GroupNorm(32));

        Assert.Equal(Shape.Image(64, 16, 16), info.Output);
        // 2·64 = 128, no buffers
        Assert.Equal(128, info.Parameters);
        Assert.Equal(0, info.Buffers);
        Assert.Equal(0, OneLayer.Info(Shape.Image(64, 16, 16), Layers.GroupNorm(32, affine: false)).Parameters);
    }

    [Fact]
    public void Group_norm_groups_must_divide_the_channels()
    {
        Assert.Equal(
            "layer: groups 3 does not divide channels 64 (64 / 3 = 21.333)",
            OneLayer.Error(Shape.Image(64, 16, 16), Layers.GroupNorm(3)));
        Assert.Equal(["groups must be at least 1; got 0"], OneLayer.Messages(Shape.Image(64, 16, 16), Layers.GroupNorm(0)));
    }
}
