namespace Cnn.Functional.Tests;

/// <summary>
/// Spatially separable (F·C·K₁ + F·K₂ + … + F) and depthwise-separable (C·M·ΠK + F·C·M + F) convolutions,
/// checked by hand against the formulas in their doc comments.
/// </summary>
public class SeparableConvTests
{
    [Fact]
    public void Sobel_kernel_as_column_times_row_has_7_parameters_instead_of_10()
    {
        var separable = OneLayer.Info(Shape.Image(1, 5, 5), Layers.SpatiallySeparableConv(1, 3));
        var full = OneLayer.Info(Shape.Image(1, 5, 5), Layers.Conv(1, 3));

        // [1,2,1]ᵀ (1·1·3) × [−1,0,1] (1·3) + 1 bias = 3 + 3 + 1 = 7
        Assert.Equal(7, separable.Parameters);
        // 1·1·3·3 + 1 = 10
        Assert.Equal(10, full.Parameters);
        Assert.Equal(full.Output, separable.Output);
    }

    [Fact]
    public void Spatially_separable_parameters_and_macs_follow_the_two_steps()
    {
        var info = OneLayer.Info(Shape.Image(8, 32, 32), Layers.SpatiallySeparableConv(16, 3));

        // (32 − 3)/1 + 1 = 30
        Assert.Equal(Shape.Image(16, 30, 30), info.Output);
        // column 16·8·3 = 384, row 16·3 = 48, biases 16: 384 + 48 + 16 = 448 (a full 3×3 conv: 16·8·9 + 16 = 1,168)
        Assert.Equal(448, info.Parameters);
        // column step on 30×32 positions: 960·384 = 368,640; row step on 30×30: 900·48 = 43,200; sum 411,840
        Assert.Equal(411_840, info.Macs);
    }

    [Fact]
    public void Spatially_separable_output_is_that_of_the_full_convolution()
    {
        var input = Shape.Image(3, 33, 33);
        var separable = OneLayer.Info(input, Layers.SpatiallySeparableConv(4, Size.Of(3, 5), stride: 2, padding: Padding.Of(1, 2)));
        var full = OneLayer.Info(input, Layers.Conv(4, Size.Of(3, 5), stride: 2, padding: Padding.Of(1, 2)));

        // H: (33 − 3 + 2·1)/2 + 1 = 17; W: (33 − 5 + 2·2)/2 + 1 = 17
        Assert.Equal(Shape.Image(4, 17, 17), separable.Output);
        Assert.Equal(full.Output, separable.Output);
        // 4·3·3 + 4·5 + 4 = 36 + 20 + 4 = 60
        Assert.Equal(60, separable.Parameters);
    }

    [Fact]
    public void Spatially_separable_3d_kernel_has_one_factor_per_dimension()
    {
        var info = OneLayer.Info(Shape.Volume(1, 5, 5, 5), Layers.SpatiallySeparableConv(2, 3));

        Assert.Equal(Shape.Volume(2, 3, 3, 3), info.Output);
        // 2·1·3 + 2·3 + 2·3 + 2 = 6 + 6 + 6 + 2 = 20 (a full 3×3×3 conv: 2·27 + 2 = 56)
        Assert.Equal(20, info.Parameters);
    }

    [Fact]
    public void Spatially_separable_reports_a_stride_that_does_not_tile()
    {
        Assert.Equal(
            ["(32 − 5 + 2·0)/2 + 1 = 14.5 is not an integer — stride 2 does not tile input 32 with kernel 5"],
            OneLayer.Messages(Shape.Image(3, 32, 32), Layers.SpatiallySeparableConv(4, 5, stride: 2)));
    }

    [Fact]
    public void Depthwise_separable_is_a_depthwise_then_a_pointwise_convolution()
    {
        var info = OneLayer.Info(Shape.Image(32, 56, 56), Layers.DepthwiseSeparableConv(64, 3, padding: 1));

        // (56 − 3 + 2·1)/1 + 1 = 56
        Assert.Equal(Shape.Image(64, 56, 56), info.Output);
        // depthwise 32·1·3·3 = 288; pointwise 64·32 = 2,048; bias 64: 288 + 2,048 + 64 = 2,400
        Assert.Equal(2_400, info.Parameters);
        // 56·56 = 3,136 positions · (288 + 2,048) = 3,136 · 2,336 = 7,325,696
        Assert.Equal(7_325_696, info.Macs);
    }

    [Fact]
    public void Depthwise_separable_is_far_smaller_than_the_full_convolution()
    {
        var input = Shape.Image(32, 56, 56);
        var separable = OneLayer.Info(input, Layers.DepthwiseSeparableConv(64, 3, padding: 1)).Parameters;
        var full = OneLayer.Info(input, Layers.Conv(64, 3, padding: 1)).Parameters;

        // 64·32·3·3 + 64 = 18,432 + 64 = 18,496
        Assert.Equal(18_496, full);
        Assert.True(separable * 7 < full, $"{separable} · 7 should be below {full}");
    }

    [Fact]
    public void Depth_multiplier_widens_the_depthwise_step()
    {
        var info = OneLayer.Info(Shape.Image(32, 56, 56), Layers.DepthwiseSeparableConv(64, 3, padding: 1, depthMultiplier: 2));

        // depthwise 32·2·3·3 = 576; pointwise 64·(32·2) = 4,096; bias 64: 576 + 4,096 + 64 = 4,736
        Assert.Equal(4_736, info.Parameters);
    }

    [Fact]
    public void Depthwise_separable_bias_is_on_the_pointwise_step_only()
    {
        var info = OneLayer.Info(Shape.Image(32, 56, 56), Layers.DepthwiseSeparableConv(64, 3, padding: 1, bias: false));

        // 288 + 2,048 = 2,336
        Assert.Equal(2_336, info.Parameters);
    }

    [Fact]
    public void Depthwise_separable_with_stride_and_dilation_uses_the_conv_formula()
    {
        var info = OneLayer.Info(Shape.Image(8, 17, 17), Layers.DepthwiseSeparableConv(16, 3, stride: 2, dilation: 2));

        // extent 2·(3 − 1) + 1 = 5; (17 − 5)/2 + 1 = 7
        Assert.Equal(Shape.Image(16, 7, 7), info.Output);
        // 8·9 + 16·8 + 16 = 72 + 128 + 16 = 216
        Assert.Equal(216, info.Parameters);
    }

    [Fact]
    public void Zero_depth_multiplier_and_zero_filters_are_refused()
    {
        Assert.Equal(
            ["filters must be at least 1; got 0", "depth multiplier must be at least 1; got 0"],
            OneLayer.Messages(Shape.Image(8, 8, 8), Layers.DepthwiseSeparableConv(0, 3, depthMultiplier: 0)));
    }

    [Fact]
    public void Separable_convolutions_need_a_spatial_input()
    {
        Assert.Single(OneLayer.Errors(Shape.Vector(10), Layers.SpatiallySeparableConv(4, 3)));
        Assert.Single(OneLayer.Errors(Shape.Vector(10), Layers.DepthwiseSeparableConv(4, 3)));
    }
}
