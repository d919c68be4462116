using FsCheck;
using FsCheck.Fluent;
using static TorchSharp.torch;

namespace Cnn.Functional.Properties;

/// <summary>
/// Convolution commutes with translation (the lecture's "convolution provides equivariance", f(g(x)) = g(f(x))):
/// shifting the input by t, a multiple of the stride, shifts the output by t/stride (by t·stride for a transposed
/// convolution). Under circular padding that tiles its input (O·S = W) it holds everywhere for circular shifts; otherwise
/// it holds in the interior — the outputs whose window (through every layer of the subject) reads neither padding nor
/// the values the shift brought in. It applies to every layer with a sliding window or none (activations, batch norm,
/// LRN), and to chains and DAGs of them; position-sensitive layers (CoordConv, unshared convolution) are in its scope
/// and violate it, which is what the law must say about them.
/// </summary>
/// <remarks>Template: Equinox's <c>tests/test_nn.py</c> (circular padding, roll then convolve vs. convolve then roll).</remarks>
public sealed class TranslationEquivariance : Law
{
    public override string Name => "translation-equivariance";

    public override string Statement => "f(shift_t(x)) = shift_{t/s}(f(x)) for shifts t that are multiples of the stride s: everywhere under circular padding, in the interior otherwise";

    public override string Source => "lecture, 'Equivariance vs. Invariance' (f(g(x)) = g(f(x)); convolution provides equivariance); Equinox tests/test_nn.py";

    public override Applicability AppliesTo(Subject subject)
    {
        var geometry = Geometry.Of(subject);
        if (!geometry.Known) return Applicability.No($"no translation geometry: {geometry.Reason}");
        var input = subject.InputShape.Spatial;
        var output = subject.OutputShape.Spatial;
        for (var i = 0; i < input.Length; i++)
        {
            var offsets = new long[input.Length];
            offsets[i] = geometry.Axes[i].Period;
            if (offsets[i] <= input[i] / 2 && Region(geometry, input, output, offsets) is not null) return Applicability.Yes;
        }
        return Applicability.No($"the input {subject.InputShape} is too small: no shift by a multiple of the stride ({string.Join("×", geometry.Axes.Select(a => a.Period))}) leaves an output whose window avoids the border");
    }

    public override Gen<Trial> Trials(Subject subject)
    {
        var geometry = Geometry.Of(subject);
        return from trial in TrialGenerators.Cases()
               from shift in TrialGenerators.Shift(subject.InputShape.Spatial, geometry.Axes.Select(a => a.Period).ToArray())
               select trial with { Transformation = shift };
    }

    public override Outcome Run(Subject subject, Trial trial)
    {
        var geometry = Geometry.Of(subject);
        var (offsets, circular) = trial.Transformation switch
        {
            Translation t => (t.Offsets.Items.Select(o => (long)o).ToArray(), false),
            CircularShift c => (c.Offsets.Items.Select(o => (long)o).ToArray(), true),
            _ => (null, false),
        };
        if (offsets is null || offsets.Length != geometry.Axes.Length) return Outcome.Skip("the case has no shift of the subject's rank");
        for (var i = 0; i < offsets.Length; i++)
            if (offsets[i] % geometry.Axes[i].Period != 0 || offsets[i] * geometry.Axes[i].Num % geometry.Axes[i].Den != 0)
                return Outcome.Skip($"shift {offsets[i]} is not a multiple of the stride {geometry.Axes[i].Period}");

        using var instance = subject.Create(trial.DType, trial.Seed);
        var x = trial.MakeInput(subject.InputShape);
        var y = instance.Forward(x);
        var shifted = instance.Forward(trial.Transformation!.Apply(x));
        var outputShifts = offsets.Select((t, i) => geometry.Axes[i].Shift(t)).ToArray();
        var spatialDims = Enumerable.Range(2, offsets.Length).Select(d => (long)d).ToArray();

        if (circular && geometry.Wraps)
        {
            var expected = y.roll(outputShifts, spatialDims);
            return Outcome.Of(Difference.Of("f(shift(x))", shifted, "shift(f(x))", expected, trial.DType), "circular padding, every position");
        }
        var region = Region(geometry, subject.InputShape.Spatial, subject.OutputShape.Spatial, offsets);
        if (region is null) return Outcome.Skip("no output of this shift keeps its window away from the border");
        Tensor left = shifted, right = y;
        for (var i = 0; i < offsets.Length; i++)
        {
            left = left.index_select(2 + i, tensor(region[i]));
            right = right.index_select(2 + i, tensor(region[i].Select(o => o - outputShifts[i]).ToArray()));
        }
        var count = region.Aggregate(1L, (a, r) => a * r.Length);
        return Outcome.Of(Difference.Of("f(shift(x))", left, "shift(f(x))", right, trial.DType),
            $"interior of {string.Join("×", region.Select(r => r.Length))} = {count} of {subject.OutputShape.Spatial.Aggregate(1L, (a, s) => a * s)} output positions");
    }

    /// <summary>
    /// Per axis, the outputs o of f(shift(x)) whose reads lie where shift(x) holds shifted input values, and whose
    /// counterpart o − m is an output of f(x); null when some axis has none.
    /// </summary>
    private static long[][]? Region(Geometry geometry, int[] input, int[] output, long[] offsets)
    {
        var region = new long[offsets.Length][];
        for (var i = 0; i < offsets.Length; i++)
        {
            var axis = geometry.Axes[i];
            var t = offsets[i];
            var (low, high) = (Math.Max(t, 0), input[i] + Math.Min(t, 0) - 1);
            var m = axis.Shift(t);
            region[i] = Enumerable.Range(0, output[i]).Select(o => (long)o)
                .Where(o => o - m >= 0 && o - m < output[i] && axis.Reads(o).First >= low && axis.Reads(o).Last <= high).ToArray();
            if (region[i].Length == 0) return null;
        }
        return region;
    }
}
