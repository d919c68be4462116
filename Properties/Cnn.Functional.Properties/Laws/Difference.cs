using System.Globalization;
using static TorchSharp.torch;

namespace Cnn.Functional.Properties;

/// <summary>
/// The comparison of a law's two sides: the largest absolute difference, the tolerance it is held to
/// (<see cref="Properties.Tolerance"/>), where it occurs (batch-first index), both values there, and how many values
/// were compared.
/// </summary>
public sealed record Difference(string Left, string Right, double Largest, double Tolerance, string Where, double LeftValue, double RightValue, int Compared)
{
    /// <summary>True when the largest difference is within the tolerance (NaN or ∞ never is).</summary>
    public bool Within => Largest <= Tolerance;

    /// <summary>
    /// Compares <paramref name="left"/> with <paramref name="reference"/> element by element in float64; the scale of
    /// the tolerance is the reference's largest magnitude. Shapes must agree (a law checks shapes first).
    /// </summary>
    public static Difference Of(string leftName, Tensor left, string referenceName, Tensor reference, ScalarType dtype) =>
        Of(leftName, left, referenceName, reference, dtype, double.NaN);

    /// <summary>
    /// As <see cref="Of(string, Tensor, string, Tensor, ScalarType)"/>, with the scale of the tolerance given: for a
    /// reference computed as a sum of large terms that cancel, the terms' magnitude (NaN: the reference's largest magnitude).
    /// </summary>
    public static Difference Of(string leftName, Tensor left, string referenceName, Tensor reference, ScalarType dtype, double scale)
    {
        using var scope = NewDisposeScope();
        if (!left.shape.SequenceEqual(reference.shape))
            return new Difference(leftName, referenceName, double.PositiveInfinity, 0,
                $"shapes differ: [{string.Join(", ", left.shape)}] and [{string.Join(", ", reference.shape)}]", double.NaN, double.NaN, 0);
        var a = left.to_type(ScalarType.Float64);
        var b = reference.to_type(ScalarType.Float64);
        var count = (int)a.numel();
        if (count == 0) return new Difference(leftName, referenceName, 0, 0, "nothing", 0, 0, 0);
        var difference = (a - b).abs().flatten();
        // NaN compares as the largest difference, so a NaN on either side is never within tolerance.
        difference = where(difference.isnan(), full_like(difference, double.PositiveInfinity), difference);
        var at = difference.argmax().item<long>();
        var largest = difference[at].item<double>();
        if (double.IsNaN(scale)) scale = b.abs().max().item<double>();
        var leftValue = a.flatten()[at].item<double>();
        var rightValue = b.flatten()[at].item<double>();
        return new Difference(leftName, referenceName, largest, Properties.Tolerance.For(dtype, double.IsFinite(scale) ? scale : 0),
            Index(at, left.shape), leftValue, rightValue, count);
    }

    /// <summary>Compares two numbers whose terms had magnitudes summing to <paramref name="scale"/> (e.g. inner products).</summary>
    public static Difference Of(string leftName, double left, string referenceName, double reference, double scale, ScalarType dtype)
    {
        var largest = double.IsNaN(left) || double.IsNaN(reference) ? double.PositiveInfinity : Math.Abs(left - reference);
        return new Difference(leftName, referenceName, largest, Properties.Tolerance.For(dtype, scale), "the scalar", left, reference, 1);
    }

    /// <summary>"[0, 2, 3, 1]": the row-major index <paramref name="flat"/> in a tensor of <paramref name="shape"/>.</summary>
    public static string Index(long flat, long[] shape)
    {
        var index = new long[shape.Length];
        for (var i = shape.Length - 1; i >= 0; i--)
        {
            index[i] = shape[i] == 0 ? 0 : flat % shape[i];
            flat = shape[i] == 0 ? 0 : flat / shape[i];
        }
        return "[" + string.Join(", ", index) + "]";
    }

    public override string ToString() => string.Format(CultureInfo.InvariantCulture,
        "largest difference {0:G4} (tolerance {1:G3}) at {2}: {3} = {4:G6}, {5} = {6:G6}; {7} values compared",
        Largest, Tolerance, Where, Left, LeftValue, Right, RightValue, Compared);
}
