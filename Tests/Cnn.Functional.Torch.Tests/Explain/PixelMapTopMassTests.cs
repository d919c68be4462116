using Cnn.Functional.Torch;

namespace Cnn.Functional.Tests.Explain;

/// <summary><see cref="PixelMap.TopMass"/>: how concentrated a map is, from uniform (the fraction itself) to one pixel (1).</summary>
public class PixelMapTopMassTests
{
    [Fact]
    public void A_uniform_map_gives_the_fraction_and_a_single_peak_gives_one()
    {
        Assert.Equal(0.1, PixelMap.Of(10, 10, Enumerable.Repeat(2f, 100).ToArray()).TopMass(0.1), 12);
        var peak = new float[100];
        peak[37] = 3;
        Assert.Equal(1.0, PixelMap.Of(10, 10, peak).TopMass(0.1), 12);
    }

    [Fact]
    public void Negative_values_carry_no_mass_and_the_count_rounds_up()
    {
        // 5 positions, top 10% → 1 position (⌈0.5⌉): the largest, 4, of the positive mass 4 + 3 + 1 = 8.
        var map = PixelMap.Of(1, 5, [4, -9, 3, 1, 0]);
        Assert.Equal(0.5, map.TopMass(0.1), 12);
        Assert.Equal(7.0 / 8, map.TopMass(0.4), 12);
        Assert.Equal(0, PixelMap.Of(1, 2, [-1, 0]).TopMass());
        Assert.Throws<ArgumentOutOfRangeException>(() => map.TopMass(0));
    }
}
