using System.Numerics;
using Cnn.Functional.Properties;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Cnn.Functional.Tests.Properties;

/// <summary>
/// Convolutions and ceil-mode pooling with values up to <c>int.MaxValue</c>: the size and counts are computed
/// here in exact arithmetic (<see cref="BigInteger"/>); whenever one does not fit (a size beyond 32 bits, a
/// count beyond 64) inference must report a <see cref="GraphError"/>, and otherwise give exactly that answer.
/// Nothing may wrap around.
/// </summary>
public class ExtremeValueProperties
{
    private static readonly BigInteger IntMax = int.MaxValue;
    private static readonly BigInteger LongMax = long.MaxValue;

    /// <summary>The exact output size per dimension, or null when the lecture's formula gives no valid size.</summary>
    private static BigInteger[]? ConvSizes(ConvConfig c)
    {
        var sizes = new BigInteger[c.Rank];
        for (var i = 0; i < c.Rank; i++)
        {
            var extent = (BigInteger)c.Dilation[i] * (c.Kernel[i] - 1) + 1;
            var numerator = c.Input[i] + 2 * (BigInteger)c.Padding[i] - extent;
            if (extent > IntMax || numerator < 0 || numerator % c.Stride[i] != 0) return null;
            sizes[i] = numerator / c.Stride[i] + 1;
            if (sizes[i] > IntMax) return null;
        }
        return sizes;
    }

    /// <summary>PyTorch's ceil_mode size per dimension (window F, stride S, padding P ≤ F/2), or null when there is none.</summary>
    private static BigInteger[]? CeilPoolSizes(ConvConfig c)
    {
        var sizes = new BigInteger[c.Rank];
        for (var i = 0; i < c.Rank; i++)
        {
            BigInteger w = c.Input[i], f = c.Kernel[i], s = c.Stride[i], p = c.Padding[i];
            var numerator = w + 2 * p - f;
            if (numerator < 0) return null;
            var o = (numerator + s - 1) / s + 1;
            if ((o - 1) * s >= w + p) o--;
            if (o > IntMax) return null;
            sizes[i] = o;
        }
        return sizes;
    }

    private static Property Check(Graph graph, BigInteger[]? sizes, BigInteger? parameters, BigInteger? macs, int channels)
    {
        var audit = new ExceptionAudit();
        var result = audit.Get("ShapeInference.Run", () => ShapeInference.Run(graph));
        var fits = sizes is not null && parameters <= LongMax && macs <= LongMax;
        if (result is null) return audit.ToProperty();
        if (!fits)
        {
            audit.Require(!result.IsValid, $"accepted, but the exact answer does not fit: inferred {result.Nodes[^1].OutputShape}");
            audit.Require(result.Errors.All(e => e.Path == ConvConfig.LayerPath), $"errors elsewhere: {string.Join("; ", result.Errors)}");
            var thrown = audit.Run("Infer", () => { graph.Infer(); });
            audit.Require(!thrown, "Infer did not throw GraphException");
            return audit.ToProperty().Classify(true, "refused");
        }
        audit.Require(result.IsValid, $"refused a configuration whose answer fits: {string.Join("; ", result.Errors)}");
        if (result.IsValid)
        {
            var info = result.Nodes[^1].Info;
            var expected = Shape.Of([channels, .. sizes!.Select(x => (int)x)]);
            audit.Require(info.Output == expected, $"expected {expected}, inferred {info.Output}");
            audit.Require(info.Parameters == parameters && info.Macs == macs, $"expected {parameters} parameters and {macs} MACs, inferred {info.Parameters} and {info.Macs}");
        }
        return audit.ToProperty();
    }

    [Property(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = 500)]
    public Property Extreme_convolutions_give_the_exact_answer_or_a_graph_error(ExtremeConvConfig extreme, bool bias)
    {
        var c = extreme.Config;
        var sizes = ConvSizes(c);
        var weights = (BigInteger)c.Filters * (c.Channels / c.Groups) * c.Kernel.Aggregate(BigInteger.One, (a, k) => a * k);
        // Each product the library forms must fit in 64 bits: weights per filter, weights, positions, MACs.
        var perFilter = c.Channels / c.Groups * c.Kernel.Aggregate(BigInteger.One, (a, k) => a * k);
        var positions = sizes?.Aggregate(BigInteger.One, (a, o) => a * o);
        BigInteger? macs = positions is null || perFilter > LongMax || weights > LongMax || positions > LongMax ? null : positions * weights;
        return Check(c.ToGraph(c.ToConv(bias: bias)), sizes, weights + (bias ? c.Filters : 0), macs, c.Filters);
    }

    [Property(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = 300)]
    public Property Extreme_depthwise_separable_counts_are_exact_or_a_graph_error(ExtremeConvConfig extreme, int m, bool bias)
    {
        // Depthwise (C·M filters of ΠK weights, one group per channel), then pointwise (F·C·M weights + F biases).
        var c = extreme.Config with { Groups = 1 };
        var multiplier = new[] { 1, 2, 3, 65_536, 1_000_000_000, int.MaxValue }[Math.Abs(m % 6)];
        var sizes = ConvSizes(c);
        var kernel = c.Kernel.Aggregate(BigInteger.One, (a, k) => a * k);
        var channels = (BigInteger)c.Channels * multiplier;
        var positions = sizes?.Aggregate(BigInteger.One, (a, o) => a * o);
        var parameters = channels * kernel + c.Filters * channels + (bias ? c.Filters : 0);
        BigInteger? macs = positions * (channels * kernel + c.Filters * channels);
        var layer = Layers.DepthwiseSeparableConv(c.Filters, Size.Of([.. c.Kernel]), Size.Of([.. c.Stride]), Padding.Of([.. c.Padding]),
            Size.Of([.. c.Dilation]), multiplier, bias);
        // The depthwise step outputs a tensor [C·M, *S'], so C·M is a size and must fit 32 bits like every size;
        // every other intermediate product the layer forms is at most these totals.
        return Check(c.ToGraph(layer), channels > IntMax ? null : sizes, parameters, macs, c.Filters).Classify(channels > IntMax, "C·M beyond 32 bits");
    }

    [Property(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = 300)]
    public Property Dirac_partial_and_binary_convolutions_at_the_64_bit_boundary_count_exactly_or_refuse(LayerOnInput boundary)
    {
        // Stride 1, no padding, no dilation: O = W − K + 1. Weights F·(C/G)·ΠK, or Σ|row|·ΠK for a connection table;
        // parameters add F biases (and a Dirac convolution's 2F scales a, b); MACs = weights · output positions.
        var input = boundary.Input;
        (int Filters, Size Kernel, BigInteger PerTap, BigInteger Extra) counts = boundary.Layer switch
        {
            DiracConv d => (d.Filters, d.Kernel, (BigInteger)d.Filters * input.Channels, (d.Bias ? d.Filters : 0) + 2 * (BigInteger)d.Filters),
            PartialConv p => (p.Connections.Count, p.Kernel, p.Connections.Aggregate(BigInteger.Zero, (a, row) => a + row.Count), p.Bias ? p.Connections.Count : 0),
            BinaryConv b => (b.Filters, b.Kernel, (BigInteger)b.Filters * (input.Channels / b.Groups), b.Bias ? b.Filters : 0),
            _ => throw new InvalidOperationException($"unexpected layer {boundary.Layer}"),
        };
        var (filters, kernel, weightsPerTap, extra) = counts;
        var k = Enumerable.Range(0, input.SpatialRank).Select(i => kernel.Values[kernel.IsUniform ? 0 : i]).ToArray();
        var sizes = input.Spatial.Select((w, i) => (BigInteger)w - k[i] + 1).ToArray();
        var weights = weightsPerTap * k.Aggregate(BigInteger.One, (a, x) => a * x);
        var macs = weights * sizes.Aggregate(BigInteger.One, (a, o) => a * o);
        var graph = Graph.Create("boundary", input).Then(ConvConfig.LayerPath, boundary.Layer);
        return Check(graph, sizes, weights + extra, macs, filters)
            .Classify(weights + extra > LongMax, "parameters beyond 64 bits").Collect(boundary.Layer.GetType().Name);
    }

    [Property(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = 300)]
    public Property Extreme_ceil_mode_pooling_gives_the_exact_answer_or_a_graph_error(ExtremeConvConfig extreme)
    {
        // Pooling windows may not lie in the padding (P ≤ F/2) and have no dilation: make the configuration so.
        var c = extreme.Config with
        {
            Dilation = Enumerable.Repeat(1, extreme.Config.Rank).ToEquatableArray(),
            Padding = extreme.Config.Padding.Select((p, i) => Math.Min(p, extreme.Config.Kernel[i] / 2)).ToEquatableArray(),
        };
        var pool = Layers.MaxPool(Size.Of([.. c.Kernel]), Size.Of([.. c.Stride]), Padding.Of([.. c.Padding]), Rounding.Ceil);
        return Check(c.ToGraph(pool), CeilPoolSizes(c), 0, 0, c.Channels);
    }
}
