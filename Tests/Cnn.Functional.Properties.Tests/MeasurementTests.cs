using Cnn.Functional.Properties;

namespace Cnn.Functional.Tests;

/// <summary>
/// "Pooling provides invariance to small translation" is measured, not claimed: for independent N(0, 1) inputs a max
/// pool keeps an output when the largest value it sees before and after a 1-pixel shift lies in the columns both
/// windows share — 2 of the 6 values for 2×2 windows with stride 2, 6 of the 12 for 3×3 windows with stride 1.
/// </summary>
[Collection("Laws")]
public class MeasurementTests
{
    [Fact]
    public void Non_overlapping_2x2_max_pooling_keeps_about_a_third_of_its_outputs()
    {
        var stability = ShiftStability.Measure(Subject.For(Layers.MaxPool(2), Shape.Image(4, 12, 12)), samples: 40, seed: 1);
        Assert.InRange(stability.Value, 1 / 3.0 - 0.04, 1 / 3.0 + 0.04);
        Assert.True(stability.Samples > 10_000, stability.ToString());
    }

    [Fact]
    public void Overlapping_3x3_max_pooling_keeps_about_half()
    {
        var stability = ShiftStability.Measure(Subject.For(Layers.MaxPool(3, 1), Shape.Image(4, 12, 12)), samples: 20, seed: 2);
        Assert.InRange(stability.Value, 0.5 - 0.04, 0.5 + 0.04);
    }

    [Fact]
    public void Only_max_pooling_is_measured()
    {
        Assert.True(ShiftStability.Applies(Subject.For(Layers.MaxPool(2), Shape.Image(1, 4, 4))));
        Assert.False(ShiftStability.Applies(Subject.For(Layers.AvgPool(2), Shape.Image(1, 4, 4))));
    }
}
