using System.Globalization;
using static TorchSharp.torch;

namespace Cnn.Functional.Properties;

/// <summary>A measured quantity, reported rather than claimed: its value, over how many samples, and what it means.</summary>
public sealed record Measurement(string Name, string Subject, double Value, int Samples, string Description)
{
    public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0} of {1}: {2:0.###} ({3}; {4} outputs)", Name, Subject, Value, Description, Samples);
}

/// <summary>
/// The lecture's "pooling provides invariance to small translation", measured: the fraction of max-pool outputs that
/// do not change when the input moves by one pixel (either way, along each axis), over the outputs whose window stays
/// inside the input before and after the shift, for N(0, 1) inputs. It is a fraction, not a law: for i.i.d. inputs and
/// 2×2 windows with stride 2 it is about 1/3 (the shared column holds the largest of the 6 values seen), and it rises
/// with overlap and with smooth inputs.
/// </summary>
public static class ShiftStability
{
    public const string Name = "max-pool-shift-stability";

    /// <summary>Whether the measurement applies: max pooling over windows of a spatial input.</summary>
    public static bool Applies(Subject subject) =>
        subject.Layer is Pool { Function: PoolKind.Max } && !subject.InputShape.IsFlat;

    /// <summary>The fraction of interior outputs unchanged by 1-pixel shifts, over <paramref name="samples"/> random inputs.</summary>
    /// <exception cref="ArgumentException">The subject is not max pooling.</exception>
    public static Measurement Measure(Subject subject, int samples = 20, int seed = 0)
    {
        if (!Applies(subject)) throw new ArgumentException($"{subject.Name} is not max pooling over a spatial input", nameof(subject));
        var window = Window.Of(subject.Layer!, subject.InputShape)!;
        var input = subject.InputShape.Spatial;
        var output = subject.OutputShape.Spatial;
        int unchanged = 0, compared = 0;
        lock (Seeding.Gate)
        {
            using var instance = subject.Create(ScalarType.Float64, seed);
            for (var sample = 0; sample < samples; sample++)
            {
                using var scope = NewDisposeScope();
                var x = new InputTensor(Draw.Gaussian, seed + sample).Make([1, .. subject.InputShape.Dims.Items.Select(d => (long)d)], ScalarType.Float64);
                var y = instance.Forward(x);
                for (var axis = 0; axis < input.Length; axis++)
                    foreach (var step in new[] { -1, 1 })
                    {
                        var offsets = new int[input.Length];
                        offsets[axis] = step;
                        var moved = instance.Forward(new Translation(offsets).Apply(x));
                        // Outputs whose window lies inside the input both before and after the shift.
                        var (low, high) = (Math.Max(step, 0), input[axis] + Math.Min(step, 0) - 1);
                        var keep = Enumerable.Range(0, output[axis]).Where(o => window.Reads(axis, o).First >= low && window.Reads(axis, o).Last <= high)
                            .Where(o => window.Reads(axis, o).First >= 0 && window.Reads(axis, o).Last < input[axis]).Select(o => (long)o).ToArray();
                        if (keep.Length == 0) continue;
                        var index = tensor(keep);
                        var same = moved.index_select(2 + axis, index).eq(y.index_select(2 + axis, index));
                        unchanged += (int)same.sum().item<long>();
                        compared += (int)same.numel();
                    }
            }
        }
        var value = compared == 0 ? double.NaN : (double)unchanged / compared;
        return new Measurement(Name, subject.Name, value, compared, "fraction of max-pool outputs unchanged by a 1-pixel shift of an N(0, 1) input");
    }
}
