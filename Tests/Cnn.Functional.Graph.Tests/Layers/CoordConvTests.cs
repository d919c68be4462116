namespace Cnn.Functional.Tests;

/// <summary><see cref="CoordConv"/>: a convolution over the input plus one coordinate channel per spatial dimension (and a radius).</summary>
public class CoordConvTests
{
    [Fact]
    public void Two_coordinate_channels_are_added_to_an_image()
    {
        var info = OneLayer.Info(Shape.Image(3, 32, 32), Layers.CoordConv(8, 3));

        // (32 − 3)/1 + 1 = 30
        Assert.Equal(Shape.Image(8, 30, 30), info.Output);
        // 8 · (3 + 2)·3·3 + 8 = 360 + 8 = 368
        Assert.Equal(368, info.Parameters);
        // 30·30 · 360 = 900 · 360 = 324,000
        Assert.Equal(324_000, info.Macs);
    }

    [Fact]
    public void The_radius_adds_a_third_channel()
    {
        var info = OneLayer.Info(Shape.Image(3, 32, 32), Layers.CoordConv(8, 3, withRadius: true));

        // 8 · (3 + 3)·3·3 + 8 = 432 + 8 = 440
        Assert.Equal(440, info.Parameters);
    }

    [Theory]
    [InlineData(1, false, 1)]
    [InlineData(1, true, 2)]
    [InlineData(2, false, 2)]
    [InlineData(2, true, 3)]
    [InlineData(3, false, 3)]
    [InlineData(3, true, 4)]
    public void Coordinate_channels_are_one_per_spatial_dimension_plus_the_radius(int spatialRank, bool withRadius, int expected)
    {
        var layer = (CoordConv)Layers.CoordConv(8, 3, withRadius: withRadius);

        Assert.Equal(expected, layer.CoordinateChannels(spatialRank));
    }

    [Fact]
    public void One_dimensional_coord_conv_adds_one_channel()
    {
        var info = OneLayer.Info(Shape.Sequence(2, 10), Layers.CoordConv(4, 3));

        // (10 − 3)/1 + 1 = 8; 4 · (2 + 1)·3 + 4 = 36 + 4 = 40
        Assert.Equal(Shape.Sequence(4, 8), info.Output);
        Assert.Equal(40, info.Parameters);
    }

    [Fact]
    public void Three_dimensional_coord_conv_with_radius_adds_four_channels()
    {
        var info = OneLayer.Info(Shape.Volume(1, 4, 4, 4), Layers.CoordConv(2, 1, withRadius: true));

        // 2 · (1 + 3 + 1)·1 + 2 = 10 + 2 = 12
        Assert.Equal(Shape.Volume(2, 4, 4, 4), info.Output);
        Assert.Equal(12, info.Parameters);
    }

    [Fact]
    public void Padding_and_stride_follow_the_convolution_formula()
    {
        var info = OneLayer.Info(Shape.Image(3, 32, 32), Layers.CoordConv(8, 3, stride: 2, padding: Padding.Same, bias: false));

        // ⌈32/2⌉ = 16; 8 · 5·9 = 360 (no bias)
        Assert.Equal(Shape.Image(8, 16, 16), info.Output);
        Assert.Equal(360, info.Parameters);
    }

    [Fact]
    public void Coord_conv_needs_a_spatial_input()
    {
        Assert.Equal(
            "layer: expects a [C, L], [C, H, W] or [C, D, H, W] input; got the flat vector [10]. Hint: spatial layers go before Flatten",
            OneLayer.Error(Shape.Vector(10), Layers.CoordConv(8, 3)));
    }
}
