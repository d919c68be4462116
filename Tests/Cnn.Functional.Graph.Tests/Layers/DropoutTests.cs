namespace Cnn.Functional.Tests;

/// <summary><see cref="Dropout"/>: identity shapes, no parameters, a rate in [0, 1).</summary>
public class DropoutTests
{
    [Fact]
    public void Dropout_keeps_the_shape_and_has_no_parameters()
    {
        var info = OneLayer.Info(Shape.Vector(4096), Layers.Dropout());

        Assert.Equal(Shape.Vector(4096), info.Output);
        Assert.Equal(0, info.Parameters);
        Assert.Equal(0, info.Buffers);
        Assert.Equal(new Dropout(0.5, false), Layers.Dropout());
        Assert.Equal("dropout", Layers.Dropout().Kind);
    }

    [Fact]
    public void Spatial_dropout_drops_channels_of_a_spatial_input()
    {
        var info = OneLayer.Info(Shape.Image(16, 8, 8), Layers.SpatialDropout(0.2));

        Assert.Equal(Shape.Image(16, 8, 8), info.Output);
        Assert.Equal(0, info.Parameters);
        Assert.Equal("spatialDropout", Layers.SpatialDropout().Kind);
    }

    [Fact]
    public void A_rate_of_zero_is_allowed()
    {
        Assert.Equal(Shape.Vector(10), OneLayer.Info(Shape.Vector(10), Layers.Dropout(0)).Output);
    }

    [Theory]
    [InlineData(1.0, "1")]
    [InlineData(-0.1, "-0.1")]
    [InlineData(double.NaN, "NaN")]
    public void A_rate_outside_0_to_1_is_refused(double rate, string shown)
    {
        Assert.Equal($"layer: rate must be in [0, 1); got {shown}", OneLayer.Error(Shape.Vector(10), Layers.Dropout(rate)));
    }

    [Fact]
    public void Spatial_dropout_of_a_flat_vector_is_refused()
    {
        Assert.Equal(
            "layer: spatial dropout drops whole channels of a spatial input; got the flat vector [10]. Hint: use Dropout without spatial",
            OneLayer.Error(Shape.Vector(10), Layers.SpatialDropout()));
    }
}
