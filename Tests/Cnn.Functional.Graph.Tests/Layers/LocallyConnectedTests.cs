namespace Cnn.Functional.Tests;

/// <summary>
/// <see cref="LocallyConnected"/> (the lecture's unshared convolution): a convolution's geometry with separate
/// weights at every output position, ΠS'·F·C·ΠK + ΠS'·F parameters.
/// </summary>
public class LocallyConnectedTests
{
    [Fact]
    public void Every_output_position_has_its_own_filters()
    {
        var info = OneLayer.Info(Shape.Image(2, 5, 5), Layers.LocallyConnected(4, 3));

        // (5 − 3)/1 + 1 = 3
        Assert.Equal(Shape.Image(4, 3, 3), info.Output);
        // 3·3 positions · (4·2·3·3) + 3·3 · 4 biases = 9·72 + 36 = 648 + 36 = 684
        Assert.Equal(684, info.Parameters);
        // the same work as the shared convolution: 9 positions · 72 = 648
        Assert.Equal(648, info.Macs);
    }

    [Fact]
    public void Unshared_weights_multiply_the_shared_count_by_the_positions()
    {
        var input = Shape.Image(2, 5, 5);
        var unshared = OneLayer.Info(input, Layers.LocallyConnected(4, 3, bias: false)).Parameters;
        var shared = OneLayer.Info(input, Layers.Conv(4, 3, bias: false)).Parameters;

        // shared: 4·2·3·3 = 72; unshared: 9 · 72 = 648
        Assert.Equal(72, shared);
        Assert.Equal(648, unshared);
    }

    [Fact]
    public void One_dimensional_locally_connected_with_stride()
    {
        var info = OneLayer.Info(Shape.Sequence(1, 9), Layers.LocallyConnected(2, 3, stride: 2));

        // (9 − 3)/2 + 1 = 4
        Assert.Equal(Shape.Sequence(2, 4), info.Output);
        // 4 positions · 2·1·3 + 4 · 2 biases = 24 + 8 = 32
        Assert.Equal(32, info.Parameters);
    }

    [Fact]
    public void Padding_keeps_the_size_and_adds_positions()
    {
        var info = OneLayer.Info(Shape.Image(3, 8, 8), Layers.LocallyConnected(2, 3, padding: 1));

        // (8 − 3 + 2·1)/1 + 1 = 8
        Assert.Equal(Shape.Image(2, 8, 8), info.Output);
        // 64 positions · 2·3·3·3 + 64 · 2 = 64·54 + 128 = 3,456 + 128 = 3,584
        Assert.Equal(3_584, info.Parameters);
    }

    [Fact]
    public void Stride_that_does_not_tile_is_reported()
    {
        Assert.Equal(
            ["(6 − 3 + 2·0)/2 + 1 = 2.5 is not an integer — stride 2 does not tile input 6 with kernel 3"],
            OneLayer.Messages(Shape.Image(1, 6, 6), Layers.LocallyConnected(2, 3, stride: 2)));
    }

    [Fact]
    public void Zero_filters_are_refused()
    {
        Assert.Equal(["filters must be at least 1; got 0"], OneLayer.Messages(Shape.Image(1, 6, 6), Layers.LocallyConnected(0, 3)));
    }
}
