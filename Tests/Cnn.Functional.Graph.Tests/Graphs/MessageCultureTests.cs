using System.Globalization;

namespace Cnn.Functional.Tests;

/// <summary>Error messages read the same whatever the current culture: numbers always use a decimal point.</summary>
public class MessageCultureTests
{
    private static T WithDecimalComma<T>(Func<T> action)
    {
        var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        culture.NumberFormat.NumberDecimalSeparator = ",";
        var saved = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = culture;
        try
        {
            Assert.Equal("0,5", 0.5.ToString());
            return action();
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void Divisions_in_messages_use_a_decimal_point()
    {
        var messages = WithDecimalComma(() => OneLayer.Messages(Shape.Image(32, 8, 8), Layers.Conv(64, 3, groups: 3)));

        Assert.Equal("groups 3 does not divide input channels 32 (32 / 3 = 10.667)", messages[0]);
    }

    [Fact]
    public void Rates_and_constants_in_messages_use_a_decimal_point()
    {
        Assert.Equal(
            ["rate must be in [0, 1); got 1.5"],
            WithDecimalComma(() => OneLayer.Messages(Shape.Vector(4), Layers.Dropout(1.5))));
        Assert.Equal(
            ["epsilon must be a positive number; got -0.001"],
            WithDecimalComma(() => OneLayer.Messages(Shape.Vector(4), Layers.LayerNorm(epsilon: -0.001))));
        Assert.Equal(
            ["β must be a non-negative number; got -0.75"],
            WithDecimalComma(() => OneLayer.Messages(Shape.Image(4, 2, 2), Layers.LocalResponseNorm(beta: -0.75))));
    }

    [Fact]
    public void The_tiling_message_uses_a_decimal_point()
    {
        var messages = WithDecimalComma(() => OneLayer.Messages(Shape.Image(3, 32, 32), Layers.Conv(8, 5, stride: 2)));

        Assert.StartsWith("(32 − 5 + 2·0)/2 + 1 = 14.5 is not an integer", messages[0], StringComparison.Ordinal);
    }
}
