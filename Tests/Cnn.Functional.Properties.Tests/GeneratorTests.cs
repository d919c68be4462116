using Cnn.Functional.Properties;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static TorchSharp.torch;

namespace Cnn.Functional.Tests;

/// <summary>The generators of cases make what they promise: permutations permute, window permutations stay in their windows, shifts are multiples of the period, recipes replay.</summary>
[Collection("Laws")]
public class GeneratorTests
{
    private static readonly int[] Extents = [5, 6];

    [Property(MaxTest = 200)]
    public Property Spatial_permutations_only_reorder_values() =>
        Prop.ForAll(TrialArbitraries.SpatialPermutations(Extents), g =>
        {
            using var scope = NewDisposeScope();
            var x = arange(60, dtype: ScalarType.Float64).reshape(1, 2, 5, 6);
            var y = g.Apply(x);
            return y.shape.SequenceEqual(x.shape) && y.flatten().sort().Values.eq(x.flatten()).all().item<bool>()
                // …and the same way in every channel: channel 1 is channel 0 plus 30.
                && (y[0, 1] - y[0, 0]).eq(30).all().item<bool>();
        });

    [Property(MaxTest = 200)]
    public Property Window_permutations_keep_every_value_in_its_window() =>
        Prop.ForAll(TrialArbitraries.WindowPermutations([7, 6], [2, 3], [2, 3], [1, 0], [4, 2]), g =>
            g is SpatialPermutation p && TrialGenerators.PreservesWindows(p.Order, [7, 6], [2, 3], [2, 3], [1, 0], [4, 2]));

    [Property(MaxTest = 200)]
    public Property Shifts_are_multiples_of_the_period_and_at_most_half_the_extent() =>
        Prop.ForAll(TrialArbitraries.Shifts(Extents, [2, 3]), g =>
        {
            var offsets = g switch { Translation t => t.Offsets, CircularShift c => c.Offsets, _ => throw new InvalidOperationException(g.ToString()) };
            return offsets[0] % 2 == 0 && offsets[1] % 3 == 0 && Math.Abs(offsets[0]) <= 2 && Math.Abs(offsets[1]) <= 3 && offsets.Any(o => o != 0);
        });

    [Property(MaxTest = 100, Arbitrary = [typeof(RecipeArbitraries)])]
    public Property An_input_recipe_gives_the_same_tensor_every_time(InputTensor recipe)
    {
        using var scope = NewDisposeScope();
        var a = recipe.Make([2, 3, 4], ScalarType.Float64);
        var b = recipe.Make([2, 3, 4], ScalarType.Float64);
        return a.eq(b).all().item<bool>().Label(recipe.ToString());
    }

    [Fact]
    public void A_translation_moves_values_and_fills_with_zeros()
    {
        using var scope = NewDisposeScope();
        var x = arange(1, 7, dtype: ScalarType.Float64).reshape(1, 1, 6);
        Assert.Equal(new double[] { 0, 0, 1, 2, 3, 4 }, new Translation(EquatableArray.Of(2)).Apply(x).data<double>().ToArray());
        Assert.Equal(new double[] { 3, 4, 5, 6, 0, 0 }, new Translation(EquatableArray.Of(-2)).Apply(x).data<double>().ToArray());
        Assert.Equal(new double[] { 5, 6, 1, 2, 3, 4 }, new CircularShift(EquatableArray.Of(2)).Apply(x).data<double>().ToArray());
    }

    [Fact]
    public void Distinct_draws_have_no_ties_even_in_float32()
    {
        using var scope = NewDisposeScope();
        var x = new InputTensor(Draw.Distinct, 9).Make([2, 4, 12, 12], ScalarType.Float32);
        Assert.Equal(x.numel(), x.flatten().unique().Item1.numel());
    }
}

/// <summary>The arbitrary input recipes, for parameters of type <see cref="InputTensor"/>.</summary>
public static class RecipeArbitraries
{
    public static Arbitrary<InputTensor> InputTensors() => TrialArbitraries.InputTensors();
}
