using static TorchSharp.torch;

namespace Cnn.Functional.Torch;

/// <summary>
/// <see cref="ConvKMeans"/> for one layer: random windows of the layer's input are cut with the layer's kernel and
/// dilation (ignoring padding and stride: every fully inside window is equally likely), split by group, and clustered by
/// <see cref="SphericalKMeans"/> into the F/G filters of each group. A dense layer's "patches" are its input vectors.
/// </summary>
internal static class ConvKMeansFilters
{
    /// <summary>Why convolutional k-means cannot learn the weights <paramref name="slots"/> of a node, or null.</summary>
    public static string? Problem(IReadOnlyList<WeightSlot> slots)
    {
        if (slots.Count == 1 && slots[0] is { Layout: SlotLayout.OutIn, Banks: 0, Patches: not null }) return null;
        var weights = string.Join(", ", slots.Select(s => $"'{s.Weight}' {s.ShapeText}"));
        return slots.Count == 1
            ? $"conv-kmeans learns one shared filter bank [F, C/G, *K] from windows of the layer's input; the weight {weights} is not one"
            : $"conv-kmeans learns one shared filter bank [F, C/G, *K]; this layer has {slots.Count} weights ({weights})";
    }

    /// <summary>The weight of <paramref name="slot"/> [F, C/G, *K] (float64) learned from <paramref name="input"/>, the layer's input activations.</summary>
    public static Tensor Learn(ConvKMeans scheme, WeightSlot slot, Tensor input, Generator generator)
    {
        using var scope = NewDisposeScope();
        var x = input.detach().to(ScalarType.Float64, CPU);
        var source = slot.Patches!;
        if (source.Coordinates > 0)
        {
            var coordinates = CoordConvModule.Coordinates(x.shape[2..], source.WithRadius, ScalarType.Float64, CPU);
            x = cat([x, coordinates.expand([x.shape[0], .. coordinates.shape[1..]])], 1);
        }
        var kernel = slot.Kernel;
        var patches = kernel.Length == 0 ? Vectors(x, scheme.Patches, generator) : Windows(x, kernel, source.Dilation, scheme.Patches, generator);
        var (groups, inG, outG) = (slot.Groups, slot.InPerGroup, slot.OutPerGroup);
        var filters = new List<Tensor>();
        for (var g = 0L; g < groups; g++)
        {
            var points = patches.narrow(1, g * inG, inG).reshape(patches.shape[0], -1);
            filters.Add(SphericalKMeans.Filters(points, (int)outG, scheme, generator));
        }
        return cat(filters.ToArray(), 0).reshape(slot.Shape).MoveToOuterDisposeScope();
    }

    /// <summary>At most <paramref name="count"/> rows of <paramref name="x"/> [N, I] (all of them, in order, when N ≤ count).</summary>
    private static Tensor Vectors(Tensor x, int count, Generator generator)
    {
        var n = x.shape[0];
        if (n <= count) return x.alias();
        using var chosen = randperm(n, generator: generator).narrow(0, 0, count);
        return x.index_select(0, chosen);
    }

    /// <summary>
    /// <paramref name="count"/> windows [M, C, *K] of <paramref name="x"/> [N, C, *S] drawn uniformly (with replacement)
    /// over examples and positions. An input smaller than the dilated kernel is zero-padded to fit it.
    /// </summary>
    internal static Tensor Windows(Tensor x, long[] kernel, long[] dilation, int count, Generator generator)
    {
        using var scope = NewDisposeScope();
        var rank = kernel.Length;
        var extent = kernel.Select((k, i) => (k - 1) * dilation[i] + 1).ToArray();
        var spatial = x.shape[2..];
        if (spatial.Zip(extent).Any(p => p.First < p.Second))
        {
            // pad takes (before, after) pairs from the last dimension backwards.
            var pairs = new long[2 * rank];
            for (var i = 0; i < rank; i++)
            {
                var missing = Math.Max(0, extent[i] - spatial[i]);
                pairs[2 * (rank - 1 - i)] = missing / 2;
                pairs[2 * (rank - 1 - i) + 1] = missing - missing / 2;
            }
            x = nn.functional.pad(x, pairs);
            spatial = x.shape[2..];
        }
        // [N, C, *S] → [N, C, *P, *E] (a view) → the taps of each window's dilated grid, [N, C, *P, *K].
        var windows = x;
        for (var i = 0; i < rank; i++) windows = windows.unfold(2 + i, extent[i], 1);
        for (var i = 0; i < rank; i++) windows = windows.slice(2 + rank + i, 0, extent[i], dilation[i]);
        // [N, *P, C, *K]: example and position indices side by side, so one advanced index picks [M, C, *K].
        long[] order = [0, .. Enumerable.Range(2, rank).Select(d => (long)d), 1, .. Enumerable.Range(2 + rank, rank).Select(d => (long)d)];
        windows = windows.permute(order);
        var indices = new List<TensorIndex> { TensorIndex.Tensor(randint(x.shape[0], [count], generator: generator)) };
        for (var i = 0; i < rank; i++)
            indices.Add(TensorIndex.Tensor(randint(spatial[i] - extent[i] + 1, [count], generator: generator)));
        return windows.index(indices.ToArray()).contiguous().MoveToOuterDisposeScope();
    }
}
