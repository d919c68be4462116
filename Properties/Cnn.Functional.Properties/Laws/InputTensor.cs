using static TorchSharp.torch;

namespace Cnn.Functional.Properties;

/// <summary>How the values of a generated input tensor are drawn.</summary>
public enum Draw
{
    /// <summary>Independent standard normal values: the general case.</summary>
    Gaussian,

    /// <summary>Integers from −3 to 3: many ties and exact zeros, and counterexamples that read easily.</summary>
    SmallIntegers,

    /// <summary>A random arrangement of distinct values (no ties), for laws about the arg-max.</summary>
    Distinct,

    /// <summary>Zero everywhere except a single 1 (the impulse): the simplest input that still shows a kernel.</summary>
    OneHot,
}

/// <summary>
/// A recipe for an input tensor: how its values are drawn and from which seed. The shape is not part of the
/// recipe — it comes from the subject — so a recipe still applies after shrinking makes the subject smaller.
/// Values come from <see cref="Random"/>, not from libtorch's global generator, so the same recipe gives the
/// same tensor on every machine, thread and dtype.
/// </summary>
public sealed record InputTensor(Draw Draw, int Seed)
{
    /// <summary>The tensor of shape <paramref name="shape"/> (batch first) in <paramref name="dtype"/>.</summary>
    public Tensor Make(long[] shape, ScalarType dtype)
    {
        var count = shape.Aggregate(1L, (a, d) => a * d);
        var values = Values((int)count);
        using var doubles = tensor(values, dtype: ScalarType.Float64);
        using var shaped = doubles.reshape(shape);
        return shaped.to_type(dtype);
    }

    /// <summary>The values in row-major order.</summary>
    public double[] Values(int count)
    {
        var random = new Random(Seed);
        var values = new double[count];
        switch (Draw)
        {
            case Draw.Gaussian:
                for (var i = 0; i < count; i++) values[i] = Gaussian(random);
                break;
            case Draw.SmallIntegers:
                for (var i = 0; i < count; i++) values[i] = random.Next(-3, 4);
                break;
            case Draw.Distinct:
                // A shuffled ramp centred on zero with unit steps: distinct, and exact in float32 up to 2²⁴ values.
                for (var i = 0; i < count; i++) values[i] = i - count / 2;
                random.Shuffle(values);
                for (var i = 0; i < count; i++) values[i] /= Math.Max(1, count / 4);
                break;
            default:
                if (count > 0) values[(int)((uint)Seed % (uint)count)] = 1;
                break;
        }
        return values;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    public override string ToString() => Draw switch
    {
        Draw.Gaussian => $"N(0, 1) values (seed {Seed})",
        Draw.SmallIntegers => $"integers in −3…3 (seed {Seed})",
        Draw.Distinct => $"distinct values (seed {Seed})",
        _ => $"an impulse (a single 1 at flat position {Seed} mod the size)",
    };
}
