using Cnn.Functional.Properties;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Cnn.Functional.Tests.Properties;

/// <summary>
/// The lecture's size arithmetic, checked on random convolutions in 1, 2 and 3 dimensions with dilation,
/// groups and padding. Every expected size is computed here from the formula, not by the library:
/// O = (W − F' + 2P)/S + 1 with the dilated kernel F' = D(F − 1) + 1.
/// </summary>
public class ConvSizeProperties
{
    private static long DilatedKernel(int kernel, int dilation) => (long)dilation * (kernel - 1) + 1;

    private static long Numerator(ConvConfig c, int i) => c.Input[i] - DilatedKernel(c.Kernel[i], c.Dilation[i]) + 2L * c.Padding[i];

    private static Shape Expected(int channels, IEnumerable<long> spatial) => Shape.Of([channels, .. spatial.Select(x => checked((int)x))]);

    private static Shape Output(Graph graph) => graph.Infer().Output;

    [Property(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = 300)]
    public Property Valid_configurations_give_the_lecture_output_size(ConvConfig c)
    {
        var expected = Expected(c.Filters, Enumerable.Range(0, c.Rank).Select(i => Numerator(c, i) / c.Stride[i] + 1));
        var actual = Output(c.ToGraph(c.ToConv()));
        return (actual == expected).Label($"expected {expected}, inferred {actual}")
            .Classify(c.Groups > 1, "groups").Classify(c.Dilation.Any(d => d > 1), "dilated").Classify(c.Stride.Any(s => s > 1), "strided")
            .Classify(c.Padding.Any(p => p > 0), "padded").Collect($"{c.Rank}-D");
    }

    [Property(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = 300)]
    public Property Parameters_are_F_times_C_over_G_times_the_kernel_plus_F(ConvConfig c, bool bias)
    {
        var weights = (long)c.Filters * (c.Channels / c.Groups) * c.Kernel.Aggregate(1L, (a, k) => a * k);
        var expected = weights + (bias ? c.Filters : 0);
        var actual = c.ToGraph(c.ToConv(bias: bias)).Infer()[ConvConfig.LayerPath].Info.Parameters;
        return (actual == expected).Label($"expected {expected} parameters, inferred {actual}");
    }

    [Property(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = 300)]
    public Property Same_padding_preserves_the_size_at_stride_1(SameConvConfig same)
    {
        var c = same.Config with { Stride = Enumerable.Repeat(1, same.Config.Rank).ToEquatableArray() };
        var actual = Output(c.ToGraph(c.ToSameConv()));
        return (actual == Shape.Of([c.Filters, .. c.Input])).Label($"input {c.InputShape}, output {actual}")
            .Classify(c.Kernel.Any(k => k % 2 == 0), "even kernel").Classify(c.Kernel.Zip(c.Input).Any(p => p.First > p.Second), "kernel larger than input");
    }

    [Property(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = 300)]
    public Property Same_padding_gives_the_ceiling_of_W_over_S(SameConvConfig same)
    {
        var c = same.Config;
        var expected = Expected(c.Filters, Enumerable.Range(0, c.Rank).Select(i => (c.Input[i] + (long)c.Stride[i] - 1) / c.Stride[i]));
        var actual = Output(c.ToGraph(c.ToSameConv()));
        return (actual == expected).Label($"expected {expected}, inferred {actual}");
    }

    [Property(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = 300)]
    public Property A_transposed_convolution_inverts_an_exactly_tiling_convolution(ConvConfig c)
    {
        var graph = c.ToGraph(c.ToConv()).Then("features/convT", c.ToConvTranspose());
        var inferred = graph.Infer();
        var weights = (long)c.Filters * (c.Channels / c.Groups) * c.Kernel.Aggregate(1L, (a, k) => a * k);
        var parameters = inferred["features/convT"].Info.Parameters;
        return (inferred.Output == c.InputShape).Label($"conv then convT gave {inferred.Output} for input {c.InputShape}")
            .And((parameters == weights + c.Channels).Label($"convT parameters: expected {weights + c.Channels}, inferred {parameters}"));
    }

    [Property(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = 300)]
    public Property Floor_rounding_gives_the_floor_of_the_formula(FloorConvConfig floor)
    {
        var c = floor.Config;
        var expected = Expected(c.Filters, Enumerable.Range(0, c.Rank).Select(i => Numerator(c, i) / c.Stride[i] + 1));
        var actual = Output(c.ToGraph(c.ToConv(Rounding.Floor)));
        return (actual == expected).Label($"expected {expected}, inferred {actual}")
            .Classify(Enumerable.Range(0, c.Rank).Any(i => Numerator(c, i) % c.Stride[i] != 0), "does not tile");
    }

    [Property(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = 300)]
    public Property Exact_rounding_accepts_exactly_the_configurations_that_tile(FloorConvConfig floor)
    {
        var c = floor.Config;
        var tiles = Enumerable.Range(0, c.Rank).All(i => Numerator(c, i) % c.Stride[i] == 0);
        var errors = c.ToGraph(c.ToConv()).Validate();
        return (tiles == (errors.Count == 0)).Label($"tiles: {tiles}; errors: {string.Join("; ", errors)}")
            .And(errors.All(e => e.Message.Contains("is not an integer", StringComparison.Ordinal)).Label("only tiling errors"))
            .Classify(tiles, "tiles");
    }
}
