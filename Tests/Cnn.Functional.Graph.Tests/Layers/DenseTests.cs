namespace Cnn.Functional.Tests;

/// <summary><see cref="Dense"/> (I·U + U parameters on a flat input) and <see cref="Flatten"/>.</summary>
public class DenseTests
{
    [Fact]
    public void Dense_has_I_times_U_weights_and_U_biases()
    {
        var info = OneLayer.Info(Shape.Vector(400), Layers.Dense(120));

        Assert.Equal(Shape.Vector(120), info.Output);
        // 400·120 + 120 = 48,000 + 120 = 48,120
        Assert.Equal(48_120, info.Parameters);
        // 400·120 = 48,000
        Assert.Equal(48_000, info.Macs);
    }

    [Fact]
    public void Dense_without_bias_counts_only_the_weights()
    {
        // 4,096·1,000 = 4,096,000
        Assert.Equal(4_096_000, OneLayer.Info(Shape.Vector(4096), Layers.Dense(1000, bias: false)).Parameters);
    }

    [Fact]
    public void Flatten_multiplies_the_dimensions()
    {
        // 16·5·5 = 400
        Assert.Equal(Shape.Vector(400), OneLayer.Info(Shape.Image(16, 5, 5), Layers.Flatten()).Output);
        // 512·7·7 = 25,088
        Assert.Equal(Shape.Vector(25_088), OneLayer.Info(Shape.Image(512, 7, 7), Layers.Flatten()).Output);
        // 2·3·4·5 = 120
        Assert.Equal(Shape.Vector(120), OneLayer.Info(Shape.Volume(2, 3, 4, 5), Layers.Flatten()).Output);
        Assert.Equal(Shape.Vector(10), OneLayer.Info(Shape.Vector(10), Layers.Flatten()).Output);
        Assert.Equal(0, OneLayer.Info(Shape.Image(16, 5, 5), Layers.Flatten()).Parameters);
    }

    [Fact]
    public void Dense_infers_its_input_features_after_flatten()
    {
        var inferred = Graph.Create("head", Shape.Image(16, 5, 5))
            .Then("flatten", Layers.Flatten())
            .Then("fc", Layers.Dense(10))
            .Infer();

        // 16·5·5 = 400 features; 400·10 + 10 = 4,010
        Assert.Equal(4_010, inferred["fc"].Info.Parameters);
    }

    [Fact]
    public void Dense_on_a_spatial_input_asks_for_Flatten()
    {
        Assert.Equal(
            "layer: a fully connected layer expects a flat input [features]; got [16, 5, 5]. " +
            "Hint: add Flatten before it (it would see 16·5·5 = 400 features) or a global pooling",
            OneLayer.Error(Shape.Image(16, 5, 5), Layers.Dense(120)));
    }

    [Fact]
    public void Dense_needs_at_least_one_unit()
    {
        Assert.Equal(["units must be at least 1; got 0"], OneLayer.Messages(Shape.Vector(10), Layers.Dense(0)));
    }
}
