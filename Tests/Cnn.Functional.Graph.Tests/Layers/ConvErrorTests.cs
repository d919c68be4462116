namespace Cnn.Functional.Tests;

/// <summary>What <see cref="Conv"/> reports for hyperparameters that do not fit its input, word for word.</summary>
public class ConvErrorTests
{
    private const string TilingHint =
        "Hint: choose padding or stride so the division is exact, or opt in to PyTorch's floor rounding with Rounding.Floor";

    [Fact]
    public void Stride_that_does_not_tile_names_the_padding_when_there_is_some()
    {
        var error = OneLayer.Error(Shape.Image(3, 32, 32), Layers.Conv(8, 3, stride: 2, padding: 1));

        // (32 − 3 + 2·1)/2 + 1 = 31/2 + 1 = 16.5
        Assert.Equal(
            "layer: (32 − 3 + 2·1)/2 + 1 = 16.5 is not an integer — stride 2 does not tile input 32 with kernel 3 and padding 1. " + TilingHint,
            error);
    }

    [Fact]
    public void Stride_that_does_not_tile_a_dilated_kernel_shows_the_dilated_extent()
    {
        var error = OneLayer.Error(Shape.Image(3, 32, 32), Layers.Conv(8, 3, stride: 2, dilation: 2));

        // extent 2·(3 − 1) + 1 = 5; (32 − 5 + 2·0)/2 + 1 = 14.5
        Assert.Equal(
            "layer: (32 − 5 + 2·0)/2 + 1 = 14.5 is not an integer — stride 2 does not tile input 32 with kernel 3 dilated by 2 (D(F − 1) + 1 = 5). " + TilingHint,
            error);
    }

    [Fact]
    public void Only_the_dimension_that_fails_is_reported_and_named()
    {
        // H: (32 − 5)/2 + 1 = 14.5 fails; W: (31 − 5)/2 + 1 = 14 tiles
        var messages = OneLayer.Messages(Shape.Image(3, 32, 31), Layers.Conv(8, 5, stride: 2));

        Assert.Equal(["H: (32 − 5 + 2·0)/2 + 1 = 14.5 is not an integer — stride 2 does not tile input 32 with kernel 5"], messages);
    }

    [Fact]
    public void Dimensions_that_fail_differently_are_each_reported()
    {
        // H: (32 − 5)/2 + 1 = 14.5; W: (30 − 5)/2 + 1 = 13.5
        var messages = OneLayer.Messages(Shape.Image(3, 32, 30), Layers.Conv(8, 5, stride: 2));

        Assert.Equal(
            [
                "H: (32 − 5 + 2·0)/2 + 1 = 14.5 is not an integer — stride 2 does not tile input 32 with kernel 5",
                "W: (30 − 5 + 2·0)/2 + 1 = 13.5 is not an integer — stride 2 does not tile input 30 with kernel 5",
            ],
            messages);
    }

    [Fact]
    public void Zero_stride_is_refused()
    {
        Assert.Equal("layer: stride must be at least 1; got 0", OneLayer.Error(Shape.Image(3, 8, 8), Layers.Conv(8, 3, stride: 0)));
    }

    [Fact]
    public void Negative_padding_is_refused()
    {
        Assert.Equal("layer: padding must be at least 0; got -1", OneLayer.Error(Shape.Image(3, 8, 8), Layers.Conv(8, 3, padding: -1)));
    }

    [Fact]
    public void Kernel_larger_than_the_padded_input_is_refused()
    {
        // 4 + 2·1 = 6 < 7
        Assert.Equal(
            "layer: kernel 7 is larger than the padded input 4 + 2·1 = 6. Hint: use a smaller kernel, more padding, or a larger input",
            OneLayer.Error(Shape.Image(1, 4, 4), Layers.Conv(1, 7, padding: 1)));
    }

    [Fact]
    public void Kernel_exactly_as_large_as_the_padded_input_gives_one_position()
    {
        // (4 − 6 + 2·1)/1 + 1 = 1
        Assert.Equal(Shape.Image(1, 1, 1), OneLayer.Info(Shape.Image(1, 4, 4), Layers.Conv(1, 6, padding: 1)).Output);
    }

    [Fact]
    public void Dilated_kernel_larger_than_the_input_shows_its_extent()
    {
        // extent 4·(3 − 1) + 1 = 9 > 5 + 2·0
        Assert.Equal(
            ["kernel 3 dilated by 4 (D(F − 1) + 1 = 9) is larger than the padded input 5 + 2·0 = 5"],
            OneLayer.Messages(Shape.Image(1, 5, 5), Layers.DilatedConv(1, 3, dilation: 4)));
    }

    [Fact]
    public void Groups_that_divide_neither_channels_nor_filters_are_both_reported()
    {
        Assert.Equal(
            [
                "groups 3 does not divide input channels 32 (32 / 3 = 10.667)",
                "groups 3 does not divide filters 64 (64 / 3 = 21.333)",
            ],
            OneLayer.Messages(Shape.Image(32, 8, 8), Layers.Conv(64, 3, groups: 3)));
    }

    [Fact]
    public void Groups_that_divide_the_channels_but_not_the_filters_are_reported()
    {
        Assert.Equal(
            ["groups 4 does not divide filters 30 (30 / 4 = 7.5)"],
            OneLayer.Messages(Shape.Image(32, 8, 8), Layers.Conv(30, 3, groups: 4)));
    }

    [Fact]
    public void Zero_filters_and_zero_groups_are_refused()
    {
        Assert.Equal(["filters must be at least 1; got 0"], OneLayer.Messages(Shape.Image(3, 8, 8), Layers.Conv(0, 3)));
        Assert.Equal(["groups must be at least 1; got 0"], OneLayer.Messages(Shape.Image(3, 8, 8), Layers.Conv(8, 3, groups: 0)));
    }

    [Fact]
    public void Every_problem_of_one_layer_is_reported_together()
    {
        var messages = OneLayer.Messages(Shape.Image(3, 8, 8), Layers.Conv(0, 3, stride: 0, padding: -2));

        Assert.Equal(
            ["filters must be at least 1; got 0", "stride must be at least 1; got 0", "padding must be at least 0; got -2"],
            messages);
    }

    [Fact]
    public void Ceil_rounding_is_for_pooling_only()
    {
        Assert.Equal(
            "layer: ceil rounding applies to pooling only (PyTorch's ceil_mode). Hint: use Rounding.Exact or Rounding.Floor",
            OneLayer.Error(Shape.Image(3, 32, 32), Layers.Conv(8, 5, stride: 2, rounding: Rounding.Ceil)));
    }

    [Fact]
    public void Kernel_with_more_dimensions_than_the_input_is_refused()
    {
        Assert.Equal(
            "layer: kernel 3×3×3 names 3 dimensions but the input [1, 8, 8] has 2 spatial dimensions. Hint: give one number for all dimensions or exactly 2",
            OneLayer.Error(Shape.Image(1, 8, 8), Layers.Conv(1, Size.Of(3, 3, 3))));
        Assert.Equal(
            "layer: stride 1×2 names 2 dimensions but the input [1, 8] has 1 spatial dimension. Hint: give one number for all dimensions or exactly 1",
            OneLayer.Error(Shape.Sequence(1, 8), Layers.Conv(1, 3, stride: Size.Of(1, 2))));
    }

    [Fact]
    public void Convolution_of_a_flat_vector_points_before_Flatten()
    {
        Assert.Equal(
            "layer: expects a [C, L], [C, H, W] or [C, D, H, W] input; got the flat vector [10]. Hint: spatial layers go before Flatten",
            OneLayer.Error(Shape.Vector(10), Layers.Conv(1, 3)));
    }
}
