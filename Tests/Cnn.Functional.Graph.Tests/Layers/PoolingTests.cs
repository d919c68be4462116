namespace Cnn.Functional.Tests;

/// <summary>Sliding-window, global and adaptive pooling: shapes by hand, rounding modes and error texts.</summary>
public class PoolingTests
{
    [Theory]
    [InlineData(PoolKind.Max, "maxPool")]
    [InlineData(PoolKind.Average, "avgPool")]
    [InlineData(PoolKind.Sum, "sumPool")]
    [InlineData(PoolKind.L2, "l2Pool")]
    public void Every_pooling_function_halves_a_2x2_window_and_has_no_parameters(PoolKind function, string kind)
    {
        var layer = Layers.Pool(function, 2);
        var info = OneLayer.Info(Shape.Image(6, 28, 28), layer);

        // (28 − 2)/2 + 1 = 14; channels unchanged
        Assert.Equal(Shape.Image(6, 14, 14), info.Output);
        Assert.Equal(0, info.Parameters);
        Assert.Equal(0, info.Macs);
        Assert.Equal(kind, layer.Kind);
    }

    [Fact]
    public void Named_factories_pick_the_function()
    {
        Assert.Equal(PoolKind.Max, ((Pool)Layers.MaxPool(2)).Function);
        Assert.Equal(PoolKind.Average, ((Pool)Layers.AvgPool(2)).Function);
        Assert.Equal(PoolKind.Sum, ((Pool)Layers.SumPool(2)).Function);
        Assert.Equal(PoolKind.L2, ((Pool)Layers.L2Pool(2)).Function);
    }

    [Fact]
    public void The_stride_defaults_to_the_window()
    {
        var pool = (Pool)Layers.MaxPool(3);

        Assert.Equal(Size.All(3), pool.Stride);
        Assert.False(pool.IsOverlapping(2));
    }

    [Fact]
    public void AlexNets_overlapping_pooling_maps_55_to_27()
    {
        var pool = (Pool)Layers.OverlappingMaxPool();
        var info = OneLayer.Info(Shape.Image(96, 55, 55), pool);

        // F = 3, S = 2: (55 − 3)/2 + 1 = 26 + 1 = 27
        Assert.Equal(Shape.Image(96, 27, 27), info.Output);
        Assert.True(pool.IsOverlapping(2));
    }

    [Fact]
    public void Exact_rounding_refuses_a_window_that_does_not_tile()
    {
        Assert.Equal(
            "layer: (5 − 2 + 2·0)/2 + 1 = 2.5 is not an integer — stride 2 does not tile input 5 with window 2. " +
            "Hint: choose padding or stride so the division is exact, or opt in to PyTorch's floor rounding with Rounding.Floor " +
            "or its ceil_mode with Rounding.Ceil",
            OneLayer.Error(Shape.Image(1, 5, 5), Layers.MaxPool(2)));
    }

    [Fact]
    public void Floor_rounding_drops_the_partial_window()
    {
        // ⌊(5 − 2)/2⌋ + 1 = 1 + 1 = 2
        Assert.Equal(Shape.Image(1, 2, 2), OneLayer.Info(Shape.Image(1, 5, 5), Layers.MaxPool(2, rounding: Rounding.Floor)).Output);
    }

    [Fact]
    public void Ceil_rounding_keeps_the_partial_window()
    {
        // ⌈(5 − 2)/2⌉ + 1 = 2 + 1 = 3
        Assert.Equal(Shape.Image(1, 3, 3), OneLayer.Info(Shape.Image(1, 5, 5), Layers.MaxPool(2, rounding: Rounding.Ceil)).Output);
        // AlexNet's pooling on 13 with ceil: (13 − 3)/2 + 1 = 6 exactly, so ceil changes nothing
        Assert.Equal(Shape.Image(1, 6, 6), OneLayer.Info(Shape.Image(1, 13, 13), Layers.OverlappingMaxPool(rounding: Rounding.Ceil)).Output);
    }

    [Fact]
    public void Ceil_rounding_drops_a_last_window_that_would_start_in_the_padding()
    {
        // ⌈(5 + 2·1 − 2)/2⌉ + 1 = ⌈2.5⌉ + 1 = 4, but window 4 starts at (4 − 1)·2 = 6 ≥ 5 + 1: PyTorch keeps 3
        var info = OneLayer.Info(Shape.Image(1, 5, 5), Layers.MaxPool(2, stride: 2, padding: 1, rounding: Rounding.Ceil));

        Assert.Equal(Shape.Image(1, 3, 3), info.Output);
    }

    [Fact]
    public void Padding_up_to_half_the_window_is_allowed()
    {
        // (32 − 3 + 2·1)/1 + 1 = 32
        Assert.Equal(Shape.Image(4, 32, 32), OneLayer.Info(Shape.Image(4, 32, 32), Layers.MaxPool(3, stride: 1, padding: 1)).Output);
    }

    [Fact]
    public void Padding_more_than_half_the_window_is_refused()
    {
        Assert.Equal(
            "layer: padding 2 is more than half the window 3. " +
            "Hint: a pooling window must not lie entirely in the padding (PyTorch's rule): use padding ≤ window/2",
            OneLayer.Error(Shape.Image(4, 32, 32), Layers.MaxPool(3, stride: 1, padding: 2)));
    }

    [Fact]
    public void Window_larger_than_the_input_is_refused()
    {
        Assert.Equal(
            "layer: window 7 is larger than the padded input 5 + 2·0 = 5. Hint: use a smaller window, more padding, or a larger input",
            OneLayer.Error(Shape.Image(4, 5, 5), Layers.AvgPool(7)));
    }

    [Fact]
    public void Pooling_works_in_one_and_three_dimensions()
    {
        // (10 − 2)/2 + 1 = 5
        Assert.Equal(Shape.Sequence(4, 5), OneLayer.Info(Shape.Sequence(4, 10), Layers.MaxPool(2)).Output);
        // (8 − 2)/2 + 1 = 4 in D, H and W
        Assert.Equal(Shape.Volume(4, 4, 4, 4), OneLayer.Info(Shape.Volume(4, 8, 8, 8), Layers.AvgPool(2)).Output);
    }

    [Theory]
    [InlineData(PoolKind.Average, "globalAvgPool")]
    [InlineData(PoolKind.Max, "globalMaxPool")]
    [InlineData(PoolKind.Sum, "globalSumPool")]
    [InlineData(PoolKind.L2, "globalL2Pool")]
    public void Global_pooling_gives_a_flat_vector_of_the_channels(PoolKind function, string kind)
    {
        var layer = Layers.GlobalPool(function);
        var info = OneLayer.Info(Shape.Image(512, 7, 7), layer);

        Assert.Equal(Shape.Vector(512), info.Output);
        Assert.Equal(0, info.Parameters);
        Assert.Equal(kind, layer.Kind);
        Assert.Equal(Shape.Vector(8), OneLayer.Info(Shape.Sequence(8, 100), layer).Output);
        Assert.Equal(Shape.Vector(8), OneLayer.Info(Shape.Volume(8, 3, 4, 5), layer).Output);
    }

    [Fact]
    public void Global_pooling_of_a_flat_vector_is_refused()
    {
        Assert.Single(OneLayer.Errors(Shape.Vector(512), Layers.GlobalAvgPool()));
    }

    [Theory]
    [InlineData(13)]
    [InlineData(27)]
    [InlineData(6)]
    [InlineData(4)]
    public void Adaptive_pooling_gives_the_requested_size_from_any_input(int size)
    {
        var info = OneLayer.Info(Shape.Image(256, size, size), Layers.AdaptiveAvgPool(Size.Of(6, 6)));

        Assert.Equal(Shape.Image(256, 6, 6), info.Output);
        Assert.Equal(0, info.Parameters);
    }

    [Fact]
    public void Adaptive_max_pooling_to_one_and_to_a_rectangle()
    {
        Assert.Equal(Shape.Image(512, 1, 1), OneLayer.Info(Shape.Image(512, 7, 7), Layers.AdaptiveMaxPool(1)).Output);
        Assert.Equal(Shape.Image(3, 2, 5), OneLayer.Info(Shape.Image(3, 9, 9), Layers.AdaptiveMaxPool(Size.Of(2, 5))).Output);
    }

    [Fact]
    public void Adaptive_pooling_supports_only_max_and_average()
    {
        Assert.Equal(
            ["adaptive pooling supports Max and Average; got Sum"],
            OneLayer.Messages(Shape.Image(3, 8, 8), new AdaptivePool(PoolKind.Sum, 2)));
        Assert.Equal(
            ["output size must be at least 1; got 0"],
            OneLayer.Messages(Shape.Image(3, 8, 8), Layers.AdaptiveAvgPool(0)));
    }

    [Fact]
    public void Pooling_a_flat_vector_is_refused()
    {
        Assert.Single(OneLayer.Errors(Shape.Vector(10), Layers.MaxPool(2)));
    }
}
